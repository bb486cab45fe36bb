import type { FieldPath } from "../../findings.js";
import { gatewayDurationToIstio } from "../durations.js";
import type { InputObject } from "../input.js";
import { hasKey, listOf, numberOf, recordOf, stringOf, type PlainRecord } from "../plain-data.js";
import { istioHeaders, istioRoute } from "./backends.js";
import type { ReverseContext } from "./context.js";
import { scalarText } from "../../json.js";

/** One Istio match with what it needs for ordering: the Gateway API match it came from. */
export interface HttpCandidate {
  /** Precedence of the Gateway API match (docs/design/convert.md §12.2), lower first. */
  rank: number[];
  match: PlainRecord;
  /** Everything but `match`; neighbours with equal actions merge into one entry. */
  actions: PlainRecord;
}

type PathKind = "exact" | "prefix" | "regex" | "all";

/** HTTPRoute/GRPCRoute rules → Istio http candidates (unsorted; ports add a `port` to every match). */
export function httpCandidates(route: InputObject, routeOrder: number, ports: readonly number[], context: ReverseContext): HttpCandidate[] {
  const candidates: HttpCandidate[] = [];
  const grpc = route.kind === "GRPCRoute";
  listOf(route.spec.rules).forEach((raw, ruleIndex) => {
    const rule = recordOf(raw) ?? {};
    const at: FieldPath = ["spec", "rules", ruleIndex];
    const matches = listOf(rule.matches).map((match) => recordOf(match) ?? {});
    const gatewayMatches = matches.length > 0 ? matches : [{}];
    const actions = ruleActions(rule, at, route, context);
    gatewayMatches.forEach((match, matchIndex) => {
      const matchAt: FieldPath = [...at, "matches", matchIndex];
      const halves = grpc ? [grpcMatch(match)] : httpMatchHalves(match);
      const conditions = otherConditions(match, route, matchAt, context);
      halves.forEach((half, halfIndex) => {
        const base: PlainRecord = { ...half.uri, ...conditions };
        const withPorts = ports.length === 0 ? [base] : ports.map((port) => ({ ...base, port }));
        const entry = actions.withRewrite(half.kind);
        for (const item of withPorts) {
          candidates.push({
            rank: [...precedence(match, grpc), routeOrder, ruleIndex, matchIndex, halfIndex],
            match: item,
            actions: entry,
          });
        }
      });
    });
  });
  return candidates;
}

/** Exact first, then PathPrefix by decreasing length, RegularExpression last; then method, header and query counts. */
function precedence(match: PlainRecord, grpc: boolean): number[] {
  if (grpc) return [0, 0, 0, 0, 0];
  const path = recordOf(match.path);
  const type = stringOf(path?.type) ?? "PathPrefix";
  const value = stringOf(path?.value) ?? "/";
  const typeRank = type === "Exact" ? 0 : type === "PathPrefix" ? 1 : 2;
  const length = type === "PathPrefix" ? -value.replace(/\/$/, "").length : 0;
  return [typeRank, length, hasKey(match, "method") ? 0 : 1, -listOf(match.headers).length, -listOf(match.queryParams).length];
}

/**
 * PathPrefix `P` is segment-based; Istio's prefix is a string prefix, so it becomes two matches:
 * `{exact: P}` and `{prefix: P/}` (the forward `full` conversion folds them back).
 */
function httpMatchHalves(match: PlainRecord): { uri: PlainRecord; kind: PathKind }[] {
  const path = recordOf(match.path);
  const type = stringOf(path?.type) ?? "PathPrefix";
  const value = stringOf(path?.value) ?? "/";
  if (type === "Exact") return [{ uri: { uri: { exact: value } }, kind: "exact" }];
  if (type === "RegularExpression") return [{ uri: { uri: { regex: value } }, kind: "regex" }];
  const trimmed = value.replace(/\/+$/, "");
  if (trimmed === "") return [{ uri: path ? { uri: { prefix: "/" } } : {}, kind: "all" }];
  return [
    { uri: { uri: { exact: trimmed } }, kind: "exact" },
    { uri: { uri: { prefix: `${trimmed}/` } }, kind: "prefix" },
  ];
}

function grpcMatch(match: PlainRecord): { uri: PlainRecord; kind: PathKind } {
  const method = recordOf(match.method);
  if (!method) return { uri: {}, kind: "all" };
  const service = stringOf(method.service);
  const name = stringOf(method.method);
  if ((stringOf(method.type) ?? "Exact") === "RegularExpression") {
    return { uri: { uri: { regex: `/${service ?? "[^/]+"}/${name ?? "[^/]+"}` } }, kind: "regex" };
  }
  if (service && name) return { uri: { uri: { exact: `/${service}/${name}` } }, kind: "exact" };
  if (service) return { uri: { uri: { prefix: `/${service}/` } }, kind: "prefix" };
  return { uri: { uri: { regex: `/[^/]+/${name ?? "[^/]+"}` } }, kind: "regex" };
}

function otherConditions(match: PlainRecord, route: InputObject, at: FieldPath, context: ReverseContext): PlainRecord {
  const out: PlainRecord = {};
  for (const field of ["headers", "queryParams"] as const) {
    const conditions: PlainRecord = {};
    listOf(match[field]).forEach((raw, index) => {
      const condition = recordOf(raw) ?? {};
      const name = stringOf(condition.name);
      const value = stringOf(condition.value) ?? "";
      if (!name) return;
      const type = stringOf(condition.type) ?? "Exact";
      if (type === "Exact") conditions[field === "headers" ? name.toLowerCase() : name] = { exact: value };
      else if (type === "RegularExpression") conditions[field === "headers" ? name.toLowerCase() : name] = { regex: value };
      else
        context.notes.error("CONV616", `${field} match type ${type} has no Istio form: condition dropped`, route.source, [
          ...at,
          field,
          index,
        ]);
    });
    if (Object.keys(conditions).length > 0) out[field] = conditions;
  }
  const method = stringOf(match.method);
  if (method && route.kind === "HTTPRoute") out.method = { exact: method };
  return out;
}

/**
 * The actions of a rule as an Istio http entry (without `match`), computed (and reported) once per rule;
 * only the rewrite depends on the kind of Istio match it is paired with.
 */
function ruleActions(
  rule: PlainRecord,
  at: FieldPath,
  route: InputObject,
  context: ReverseContext,
): { withRewrite(kind: PathKind): PlainRecord } {
  const { notes } = context;
  const source = route.source;
  const entry: PlainRecord = {};
  const name = stringOf(rule.name);
  if (name) entry.name = name;
  const filters = listOf(rule.filters).map((filter) => recordOf(filter) ?? {});
  const backendRefs = listOf(rule.backendRefs);
  const destinations = istioRoute(backendRefs, route, [...at, "backendRefs"], context);
  const redirectFilter = recordOf(filters.find((filter) => filter.type === "RequestRedirect")?.requestRedirect);
  const soleZero = backendRefs.length === 1 && numberOf(recordOf(backendRefs[0])?.weight) === 0;
  const allZero = backendRefs.length > 0 && backendRefs.every((ref) => numberOf(recordOf(ref)?.weight) === 0);
  if (redirectFilter) {
    const converted = redirect(redirectFilter);
    const changes = ["uri", "authority", "scheme", "port"].some((field) => converted[field] !== undefined);
    if (recordOf(redirectFilter.path)?.type === "ReplacePrefixMatch") {
      notes.error(
        "CONV604",
        `a redirect with ReplacePrefixMatch has no Istio form: ${changes ? "the path is kept as requested" : "nothing else changes, so the rule answers directResponse 500"}`,
        source,
        [...at, "filters"],
      );
    } else if (!changes) {
      notes.error(
        "CONV604",
        "a redirect that changes nothing (only a status code) has no Istio form: the rule answers directResponse 500",
        source,
        [...at, "filters"],
      );
    }
    if (changes) entry.redirect = converted;
    else entry.directResponse = { status: 500 };
  } else if (destinations.length === 0 || soleZero || allZero) {
    notes.warning(
      "CONV608",
      "rule without a backend that receives traffic: Istio answers with directResponse 500, as Gateway API implementations do",
      source,
      [...at, "backendRefs"],
    );
    entry.directResponse = { status: 500 };
  } else {
    entry.route = destinations;
  }
  const rewriteFilter = recordOf(filters.find((filter) => filter.type === "URLRewrite")?.urlRewrite);
  const mirrors = filters
    .filter((filter) => filter.type === "RequestMirror")
    .map((filter) => mirror(recordOf(filter.requestMirror) ?? {}, at, route, context))
    .filter(Boolean);
  if (mirrors.length > 0) entry.mirrors = mirrors;
  const headers = istioHeaders(filters);
  if (headers) entry.headers = headers;
  const cors = recordOf(filters.find((filter) => filter.type === "CORS")?.cors);
  if (cors) entry.corsPolicy = corsPolicy(cors);
  filters.forEach((filter, index) => {
    if (filter.type === "ExtensionRef")
      notes.error("CONV605", "ExtensionRef filters have no Istio form: dropped", source, [...at, "filters", index]);
  });
  const timeouts = recordOf(rule.timeouts);
  const request = stringOf(timeouts?.request);
  if (request !== undefined) {
    const timeout = gatewayDurationToIstio(request);
    if (timeout !== undefined) entry.timeout = timeout;
  }
  const retries: PlainRecord = {};
  const backendRequest = stringOf(timeouts?.backendRequest);
  if (backendRequest !== undefined) {
    notes.warning("CONV613", "timeouts.backendRequest becomes retries.perTryTimeout (a per-attempt timeout in Istio)", source, [
      ...at,
      "timeouts",
      "backendRequest",
    ]);
    retries.perTryTimeout = gatewayDurationToIstio(backendRequest);
  }
  const retry = recordOf(rule.retry);
  if (retry) {
    const attempts = numberOf(retry.attempts);
    if (attempts !== undefined) retries.attempts = attempts;
    const codes = listOf(retry.codes).map(String);
    if (codes.length > 0) retries.retryOn = codes.join(",");
    if (hasKey(retry, "backoff")) notes.warning("CONV613", "retry.backoff has no Istio form: dropped", source, [...at, "retry", "backoff"]);
  }
  if (Object.keys(retries).length > 0) entry.retries = retries;
  const persistence = recordOf(rule.sessionPersistence);
  if (persistence) {
    const cookie = (stringOf(persistence.type) ?? "Cookie") === "Cookie" ? stringOf(persistence.sessionName) : undefined;
    const hosts = destinations.map((item) => scalarText(recordOf(item.destination)?.host ?? ""));
    if (cookie && hosts.length > 0) {
      for (const host of hosts) context.sessionCookies.set(host, { namespace: route.namespace, cookie, route });
      notes.warning(
        "CONV613",
        "sessionPersistence becomes cookie consistent hashing in a DestinationRule per destination: it applies to all traffic to those hosts, not only this rule",
        source,
        [...at, "sessionPersistence"],
      );
    } else {
      notes.warning("CONV613", "sessionPersistence without a cookie name (or by header) is not converted", source, [
        ...at,
        "sessionPersistence",
      ]);
    }
  }
  return {
    withRewrite(kind: PathKind): PlainRecord {
      // Istio allows a rewrite only next to `route`.
      if (!rewriteFilter || !entry.route) return entry;
      const converted = rewrite(rewriteFilter, kind);
      return Object.keys(converted).length > 0 ? { ...entry, rewrite: converted } : entry;
    },
  };
}

function redirect(filter: PlainRecord): PlainRecord {
  const out: PlainRecord = {};
  const path = recordOf(filter.path);
  if (path?.type === "ReplaceFullPath") out.uri = stringOf(path.replaceFullPath);
  const hostname = stringOf(filter.hostname);
  if (hostname) out.authority = hostname;
  const scheme = stringOf(filter.scheme);
  if (scheme) out.scheme = scheme;
  const port = numberOf(filter.port);
  if (port !== undefined) out.port = port;
  // Gateway API defaults to 302, Istio to 301: always write the code.
  out.redirectCode = numberOf(filter.statusCode) ?? 302;
  return out;
}

function rewrite(filter: PlainRecord, kind: PathKind): PlainRecord {
  const out: PlainRecord = {};
  const hostname = stringOf(filter.hostname);
  if (hostname) out.authority = hostname;
  const path = recordOf(filter.path);
  const full = stringOf(path?.replaceFullPath);
  const prefix = stringOf(path?.replacePrefixMatch);
  if (path?.type === "ReplacePrefixMatch" && prefix !== undefined) {
    // The `P/` half (and prefix `/`) keeps the separator that the segment-based replacement keeps.
    out.uri = kind === "exact" || prefix.endsWith("/") ? prefix : `${prefix}/`;
  } else if (path?.type === "ReplaceFullPath" && full !== undefined) {
    if (kind === "exact" || kind === "regex") out.uri = full;
    else out.uriRegexRewrite = { match: "^.*$", rewrite: full };
  }
  return out;
}

function mirror(filter: PlainRecord, at: FieldPath, route: InputObject, context: ReverseContext): PlainRecord | undefined {
  const ref = recordOf(filter.backendRef) ?? {};
  const backends = istioRoute([ref], route, [...at, "filters"], context);
  const destination = backends[0]?.destination;
  if (!destination) return undefined;
  const out: PlainRecord = { destination };
  const percent = numberOf(filter.percent);
  const fraction = recordOf(filter.fraction);
  if (percent !== undefined) out.percentage = { value: percent };
  else if (fraction) out.percentage = { value: ((numberOf(fraction.numerator) ?? 0) / (numberOf(fraction.denominator) ?? 100)) * 100 };
  return out;
}

function corsPolicy(cors: PlainRecord): PlainRecord {
  const out: PlainRecord = {};
  const origins = listOf(cors.allowOrigins).map(String);
  if (origins.length > 0) {
    out.allowOrigins = origins.map((origin) =>
      origin === "*"
        ? { regex: ".*" }
        : origin.includes("*")
          ? { regex: origin.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace("*", "[^.]+") }
          : { exact: origin },
    );
  }
  for (const field of ["allowMethods", "allowHeaders", "exposeHeaders"] as const) {
    const values = listOf(cors[field]).map(String);
    if (values.length > 0) out[field] = values;
  }
  const maxAge = numberOf(cors.maxAge);
  if (maxAge !== undefined) out.maxAge = `${maxAge}s`;
  if (cors.allowCredentials === true) out.allowCredentials = true;
  return out;
}

/** Stable sort by precedence, then merge neighbours with identical actions into one entry. */
export function httpEntries(candidates: HttpCandidate[]): PlainRecord[] {
  const sorted = [...candidates].sort((a, b) => compareRanks(a.rank, b.rank));
  const entries: { actions: string; entry: PlainRecord; matches: PlainRecord[] }[] = [];
  for (const candidate of sorted) {
    const key = JSON.stringify(candidate.actions);
    const last = entries[entries.length - 1];
    if (last && last.actions === key) last.matches.push(candidate.match);
    else entries.push({ actions: key, entry: candidate.actions, matches: [candidate.match] });
  }
  return entries.map(({ entry, matches }) => {
    const matchesAll = matches.some((match) => Object.keys(match).length === 0);
    const { name, ...rest } = entry;
    return { ...(name !== undefined ? { name } : {}), ...(matchesAll ? {} : { match: matches }), ...rest };
  });
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
