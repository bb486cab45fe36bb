import type { FieldPath } from "../../findings.js";
import { gatewayDurationToIstio, parseIstioDuration } from "../durations.js";
import type { InputObject } from "../input.js";
import { hasKey, listOf, numberOf, recordOf, stringOf, type PlainRecord } from "../plain-data.js";
import { istioHeaders, resolveBackend, RouteRejected, weightedDestinations } from "./backends.js";
import type { ReverseContext } from "./context.js";
import { cookieAffinity } from "./policies.js";

/**
 * One Istio http entry per Gateway API match, with what istiod sorts by: the match in istiod's form
 * (before the PathPrefix split mesh writes); undefined for a rule without matches (sorted last).
 */
export interface HttpEntry {
  sortMatch?: PlainRecord;
  entry: PlainRecord;
}

/** Retries istiod adds to every rule `retry` ("retry on connection errors" in the Gateway API spec). */
const connectionRetryOn = ["connect-failure", "refused-stream", "unavailable", "cancelled"];
const defaultRetryAttempts = 2;
type PathKind = "exact" | "prefix" | "regex" | "all";

/**
 * HTTPRoute/GRPCRoute rules → Istio http entries, unsorted, as istiod converts them (conversion.go):
 * a rule with several matches gives one entry per match. Throws RouteRejected where istiod rejects the route.
 */
export function httpEntries(route: InputObject, enforceGrants: boolean, context: ReverseContext): HttpEntry[] {
  const entries: HttpEntry[] = [];
  const grpc = route.kind === "GRPCRoute";
  listOf(route.spec.rules).forEach((raw, ruleIndex) => {
    const rule = recordOf(raw) ?? {};
    const at: FieldPath = ["spec", "rules", ruleIndex];
    const actions = ruleActions(rule, ruleIndex, at, route, enforceGrants, context);
    const matches = listOf(rule.matches).map((match) => recordOf(match) ?? {});
    if (matches.length === 0) {
      entries.push({ entry: actions.withRewrite("all") });
      return;
    }
    for (const match of matches) {
      const uri = grpc ? grpcUri(match) : httpUri(match);
      const conditions = otherConditions(match, grpc);
      const sortMatch: PlainRecord = { ...(uri.istiod ? { uri: uri.istiod } : {}), ...conditions };
      const split = uri.written.map((written) => ({ ...(written ? { uri: written } : {}), ...conditions }));
      const entry = actions.withRewrite(uri.kind);
      entries.push({ sortMatch, entry: Object.keys(split[0]!).length === 0 ? entry : withMatch(entry, split) });
    }
  });
  return entries;
}

/** `name` and `match` first, as a reader expects them. */
export function withMatch(entry: PlainRecord, match: PlainRecord[]): PlainRecord {
  const { name, match: _replaced, ...actions } = entry;
  return { name, match, ...actions };
}

/** The uri match: istiod's (for ordering) and what mesh writes (a PathPrefix `P` as `{exact: P}` + `{prefix: P/}`). */
function httpUri(match: PlainRecord): { istiod?: PlainRecord; written: (PlainRecord | undefined)[]; kind: PathKind } {
  const path = recordOf(match.path);
  const type = stringOf(path?.type) ?? "PathPrefix";
  const value = stringOf(path?.value) ?? "/";
  if (type === "Exact") return { istiod: { exact: value }, written: [{ exact: value }], kind: "exact" };
  if (type === "RegularExpression") return { istiod: { regex: value }, written: [{ regex: value }], kind: "regex" };
  const trimmed = value === "/" ? "/" : value.replace(/\/$/, "");
  if (trimmed === "/") return { istiod: { prefix: "/" }, written: [{ prefix: "/" }], kind: "all" };
  return { istiod: { prefix: trimmed }, written: [{ exact: trimmed }, { prefix: `${trimmed}/` }], kind: "prefix" };
}

function grpcUri(match: PlainRecord): { istiod?: PlainRecord; written: (PlainRecord | undefined)[]; kind: PathKind } {
  const method = recordOf(match.method);
  if (!method) return { written: [undefined], kind: "all" };
  const service = stringOf(method.service);
  const name = stringOf(method.method);
  let uri: PlainRecord;
  if ((stringOf(method.type) ?? "Exact") === "RegularExpression") {
    uri = { regex: service === undefined ? `/[^/]+/${name ?? ".+"}` : name === undefined ? `/${service}/.+` : `/${service}/${name}` };
  } else if (service !== undefined && name !== undefined) uri = { exact: `/${service}/${name}` };
  else if (service !== undefined) uri = { prefix: `/${service}/` };
  else uri = { regex: `/[^/]+/${name ?? ".+"}` };
  const kind: PathKind = uri.exact !== undefined ? "exact" : uri.prefix !== undefined ? "prefix" : "regex";
  return { istiod: uri, written: [uri], kind };
}

function otherConditions(match: PlainRecord, grpc: boolean): PlainRecord {
  const out: PlainRecord = {};
  for (const field of grpc ? (["headers"] as const) : (["headers", "queryParams"] as const)) {
    const conditions: PlainRecord = {};
    for (const raw of listOf(match[field])) {
      const condition = recordOf(raw) ?? {};
      const name = stringOf(condition.name);
      if (!name) continue;
      const key = field === "headers" ? name.toLowerCase() : name;
      const value = stringOf(condition.value) ?? "";
      conditions[key] = (stringOf(condition.type) ?? "Exact") === "RegularExpression" ? { regex: value } : { exact: value };
    }
    if (Object.keys(conditions).length > 0) out[field] = conditions;
  }
  const method = grpc ? undefined : stringOf(match.method);
  if (method) out.method = { exact: method };
  return out;
}

/** Rule-level conversion, done once per rule; only the rewrite depends on the kind of match. */
function ruleActions(
  rule: PlainRecord,
  ruleIndex: number,
  at: FieldPath,
  route: InputObject,
  enforceGrants: boolean,
  context: ReverseContext,
): { withRewrite(kind: PathKind): PlainRecord } {
  const entry: PlainRecord = { name: stringOf(rule.name) ?? `${route.namespace}.${route.name}.${ruleIndex}` };
  const filters = listOf(rule.filters).map((filter) => recordOf(filter) ?? {});
  const allowed = route.kind === "GRPCRoute" ? grpcFilters : httpFilters;
  filters.forEach((filter, index) => {
    if (!allowed.has(String(filter.type)))
      throw new RouteRejected(`filter type ${String(filter.type)} is not supported by istiod`, [...at, "filters", index]);
  });
  const headers = istioHeaders(filters);
  if (headers) entry.headers = headers;
  const redirectFilter = recordOf(filters.find((filter) => filter.type === "RequestRedirect")?.requestRedirect);
  if (redirectFilter) entry.redirect = redirect(redirectFilter);
  const mirrors = filters
    .map((filter, index) => ({ filter, index }))
    .filter(({ filter }) => filter.type === "RequestMirror")
    .map(({ filter, index }) => mirror(recordOf(filter.requestMirror) ?? {}, [...at, "filters", index], route, enforceGrants, context))
    .filter((item): item is PlainRecord => item !== undefined);
  if (mirrors.length > 0) entry.mirrors = mirrors;
  const cors = recordOf(filters.find((filter) => filter.type === "CORS")?.cors);
  if (cors) entry.corsPolicy = corsPolicy(cors);
  retriesAndTimeouts(rule, entry, at, route, context);
  const backendRefs = listOf(rule.backendRefs);
  let routed = false;
  if (!redirectFilter) {
    const weighted = weightedDestinations(backendRefs, route, [...at, "backendRefs"], enforceGrants, context);
    if (weighted.totalWeight === 0) {
      // The Gateway API spec: no backendRefs → 404; backends that all have weight 0 → 500.
      entry.directResponse = { status: backendRefs.length === 0 ? 404 : 500 };
    } else if (weighted.destinations.length === 0) {
      entry.directResponse = { status: 500 };
    } else {
      const single = weighted.destinations.length === 1;
      entry.route = weighted.destinations.map(({ destination, weight, ref }, index) => {
        const item: PlainRecord = { destination, ...(single ? {} : { weight }) };
        const refFilters = listOf(ref.filters).map((filter) => recordOf(filter) ?? {});
        refFilters.forEach((filter, filterIndex) => {
          if (filter.type !== "RequestHeaderModifier" && filter.type !== "ResponseHeaderModifier")
            throw new RouteRejected(`backendRef filter type ${String(filter.type)} is not supported by istiod`, [
              ...at,
              "backendRefs",
              index,
              "filters",
              filterIndex,
            ]);
        });
        const backendHeaders = istioHeaders(refFilters);
        if (backendHeaders) item.headers = backendHeaders;
        return item;
      });
      routed = true;
      if (weighted.invalidWeight > 0) {
        // The share of invalid backends answers 500 (Gateway API spec); Istio expresses it as an abort.
        entry.fault = { abort: { percentage: { value: (100 * weighted.invalidWeight) / weighted.totalWeight }, httpStatus: 500 } };
      }
    }
  }
  const persistence = recordOf(rule.sessionPersistence);
  if (persistence) sessionAffinity(persistence, entry, [...at, "sessionPersistence"], route, context);
  const rewriteFilter = recordOf(filters.find((filter) => filter.type === "URLRewrite")?.urlRewrite);
  return {
    withRewrite(kind: PathKind): PlainRecord {
      if (!rewriteFilter || !routed) return entry;
      const converted = rewrite(rewriteFilter, kind);
      return Object.keys(converted).length > 0 ? { ...entry, rewrite: converted } : entry;
    },
  };
}

/**
 * istiod ignores rule sessionPersistence; mesh keeps the stickiness with cookie consistent hashing in a
 * DestinationRule per destination, which applies to all traffic to those hosts (a warning says so).
 */
function sessionAffinity(persistence: PlainRecord, entry: PlainRecord, at: FieldPath, route: InputObject, context: ReverseContext): void {
  const cookie = cookieAffinity(persistence);
  const hosts = listOf(entry.route).map((item) => stringOf(recordOf(recordOf(item)?.destination)?.host) ?? "");
  const name = stringOf(recordOf(recordOf(cookie?.consistentHash)?.httpCookie)?.name) ?? "";
  if (!cookie || hosts.length === 0) {
    context.notes.warning("CONV613", "sessionPersistence without a cookie name (or by header) is not converted", route.source, at);
    return;
  }
  for (const host of hosts) context.sessionCookies.set(host, { namespace: route.namespace, cookie: name, route });
  context.notes.warning(
    "CONV613",
    "sessionPersistence becomes cookie consistent hashing in a DestinationRule per destination: it applies to all traffic to those hosts, not only this rule",
    route.source,
    at,
  );
}

const httpFilters = new Set(["RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "RequestMirror", "URLRewrite", "CORS"]);
const grpcFilters = new Set(["RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror"]);

/**
 * istiod: `retry` → attempts (default 2), retryOn = connection errors + codes, backoff; attempts 0 disables
 * retries. timeouts.request → timeout; backendRequest → perTryTimeout when retries are set, else timeout.
 */
function retriesAndTimeouts(rule: PlainRecord, entry: PlainRecord, at: FieldPath, route: InputObject, context: ReverseContext): void {
  const retry = route.kind === "HTTPRoute" ? recordOf(rule.retry) : undefined;
  let retries: PlainRecord | undefined;
  if (retry) {
    const attempts = numberOf(retry.attempts) ?? defaultRetryAttempts;
    retries = { attempts };
    if (attempts > 0) retries.retryOn = [...connectionRetryOn, ...listOf(retry.codes).map(String)].join(",");
    const backoff = stringOf(retry.backoff);
    if (backoff !== undefined && attempts > 0) retries.backoff = gatewayDurationToIstio(backoff);
    else if (backoff !== undefined)
      context.notes.warning("CONV613", "retry.backoff with attempts 0 has no effect: dropped", route.source, [...at, "retry", "backoff"]);
  }
  const timeouts = recordOf(rule.timeouts);
  const request = nonZeroDuration(stringOf(timeouts?.request));
  if (request !== undefined) entry.timeout = request;
  const backendRequest = nonZeroDuration(stringOf(timeouts?.backendRequest));
  if (backendRequest !== undefined) {
    if (retries && numberOf(retries.attempts) !== 0) retries.perTryTimeout = backendRequest;
    else {
      if (request !== undefined)
        context.notes.warning(
          "CONV613",
          "without retries Istio has a single timeout: timeouts.backendRequest becomes the route timeout (as istiod does), the longer timeouts.request is not enforced",
          route.source,
          [...at, "timeouts"],
        );
      entry.timeout = backendRequest;
    }
  }
  if (retries) entry.retries = retries;
}

function nonZeroDuration(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const milliseconds = parseIstioDuration(text);
  if (!milliseconds) return undefined;
  return gatewayDurationToIstio(text);
}

function redirect(filter: PlainRecord): PlainRecord {
  const out: PlainRecord = {};
  const path = recordOf(filter.path);
  if (path?.type === "ReplaceFullPath") out.uri = stringOf(path.replaceFullPath);
  else if (path?.type === "ReplacePrefixMatch") out.uri = `%PREFIX()%${stringOf(path.replacePrefixMatch) ?? ""}`;
  const hostname = stringOf(filter.hostname);
  if (hostname) out.authority = hostname;
  const scheme = stringOf(filter.scheme);
  if (scheme) out.scheme = scheme;
  const port = numberOf(filter.port);
  // Gateway API keeps the request's port (or the scheme's default when the scheme changes); Istio's default differs.
  if (port !== undefined) out.port = port;
  else out.derivePort = scheme ? "FROM_PROTOCOL_DEFAULT" : "FROM_REQUEST_PORT";
  // Gateway API defaults to 302, Istio to 301.
  out.redirectCode = numberOf(filter.statusCode) ?? 302;
  return out;
}

/**
 * istiod: ReplacePrefixMatch R → `uri` R without its trailing `/` (`/` when empty); ReplaceFullPath F →
 * `uriRegexRewrite {match: /.*, rewrite: F}` (mesh writes `uri: F` on exact and regex matches). On the `{prefix: P/}` half of a split PathPrefix the
 * separator is part of the match, so R gets it back.
 */
function rewrite(filter: PlainRecord, kind: PathKind): PlainRecord {
  const out: PlainRecord = {};
  const path = recordOf(filter.path);
  if (path?.type === "ReplacePrefixMatch") {
    const replacement = (stringOf(path.replacePrefixMatch) ?? "").replace(/\/$/, "") || "/";
    out.uri = kind === "exact" || kind === "regex" || replacement === "/" ? replacement : `${replacement}/`;
  } else if (path?.type === "ReplaceFullPath") {
    const replacement = stringOf(path.replaceFullPath) ?? "/";
    // On an exact or regex match Istio's `uri` already replaces the whole path; a prefix needs the regex.
    if (kind === "exact" || kind === "regex") out.uri = replacement;
    else out.uriRegexRewrite = { match: "/.*", rewrite: replacement };
  }
  const hostname = stringOf(filter.hostname);
  if (hostname) out.authority = hostname;
  return out;
}

function mirror(
  filter: PlainRecord,
  at: FieldPath,
  route: InputObject,
  enforceGrants: boolean,
  context: ReverseContext,
): PlainRecord | undefined {
  const resolved = resolveBackend(recordOf(filter.backendRef) ?? {}, route, [...at, "requestMirror", "backendRef"], enforceGrants, context);
  if (!resolved.destination) {
    context.notes.error("CONV606", `${resolved.invalid}: the mirror is dropped, as istiod drops it`, route.source, at);
    return undefined;
  }
  const out: PlainRecord = { destination: resolved.destination };
  const fraction = recordOf(filter.fraction);
  const percent = numberOf(filter.percent);
  if (fraction) out.percentage = { value: (100 * (numberOf(fraction.numerator) ?? 0)) / (numberOf(fraction.denominator) ?? 100) };
  else if (percent !== undefined) out.percentage = { value: percent };
  return out;
}

/** Origins: `*` and wildcard hosts become anchored regular expressions; unmatched preflights are not forwarded. */
function corsPolicy(cors: PlainRecord): PlainRecord {
  const out: PlainRecord = {};
  const origins = listOf(cors.allowOrigins)
    .map(String)
    .filter((origin) => origin !== "");
  if (origins.length > 0) out.allowOrigins = origins.map(originMatch);
  if (cors.allowCredentials === true) out.allowCredentials = true;
  for (const field of ["allowMethods", "allowHeaders", "exposeHeaders"] as const) {
    const values = listOf(cors[field]).map(String);
    if (values.length > 0) out[field] = values;
  }
  const maxAge = numberOf(cors.maxAge);
  if (maxAge !== undefined && maxAge > 0) out.maxAge = `${maxAge}s`;
  out.unmatchedPreflights = "IGNORE";
  return out;
}

function originMatch(origin: string): PlainRecord {
  if (origin === "*") return { regex: "^.*$" };
  if (!origin.includes("*")) return { exact: origin };
  const escaped = origin.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[a-zA-Z0-9.-]+");
  return { regex: `^${escaped}$` };
}

/**
 * istiod's order (sortHTTPRoutes, stable): by the first match — exact, then prefix, then regex, then no
 * uri; longer uri first; with method first; more headers; more query parameters. Entries without a
 * match go last. Input order (route age, namespace, name, then rule order) breaks ties.
 */
export function sortHttpEntries(entries: readonly HttpEntry[]): PlainRecord[] {
  return [...entries]
    .map((item, index) => ({ item, index }))
    .sort((a, b) => compareEntries(a.item, b.item) || a.index - b.index)
    .map(({ item }) => item.entry);
}

function compareEntries(a: HttpEntry, b: HttpEntry): number {
  if (!a.sortMatch || !b.sortMatch) return (a.sortMatch ? 0 : 1) - (b.sortMatch ? 0 : 1);
  const m1 = a.sortMatch;
  const m2 = b.sortMatch;
  const r1 = uriRank(m1);
  const r2 = uriRank(m2);
  if (r1 !== r2) return r2 - r1;
  const l1 = uriLength(m1);
  const l2 = uriLength(m2);
  if (l1 !== l2) return l2 - l1;
  const method1 = hasKey(m1, "method") ? 1 : 0;
  const method2 = hasKey(m2, "method") ? 1 : 0;
  if (method1 !== method2) return method2 - method1;
  const headers = Object.keys(recordOf(m2.headers) ?? {}).length - Object.keys(recordOf(m1.headers) ?? {}).length;
  if (headers !== 0) return headers;
  return Object.keys(recordOf(m2.queryParams) ?? {}).length - Object.keys(recordOf(m1.queryParams) ?? {}).length;
}

function uriRank(match: PlainRecord): number {
  const uri = recordOf(match.uri);
  if (!uri) return -1;
  return uri.exact !== undefined ? 3 : uri.prefix !== undefined ? 2 : 1;
}

function uriLength(match: PlainRecord): number {
  const uri = recordOf(match.uri);
  if (!uri) return 0;
  return (stringOf(uri.exact) ?? stringOf(uri.prefix) ?? stringOf(uri.regex) ?? "").length;
}
