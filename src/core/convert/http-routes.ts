import { routeGroups } from "./route-limits.js";
import type { FieldPath } from "../findings.js";
import type { KubeObject } from "../objects.js";
import type { Attachment } from "./attach.js";
import { dedupeBackendRefs, routeBackendRefs, unroutedBackendRef, type BackendGrants, type BackendScope } from "./backends.js";
import { objectMeta, type ConvertContext, type Emitted } from "./context.js";
import { entryFilters, gatewayDuration } from "./http-filters.js";
import { convertMatches } from "./http-matches.js";
import type { InputObject } from "./input.js";
import { parseIstioDuration } from "./durations.js";
import { sanitizeName } from "./names.js";
import { hasKey, listOf, numberOf, recordOf, stringOf, type PlainRecord } from "./plain-data.js";
import { firstMatchShadows } from "./precedence.js";
import { scalarText } from "../json.js";

/** One Gateway API rule built from `http[i]` (two when a rewrite splits it), before being put into routes. */
interface RuleDraft {
  entryIndex: number;
  /** compat object name suffix / full rule name suffix: "" or "-prefix-match". */
  suffix: string;
  entryName: string | undefined;
  rule: PlainRecord;
}

const maxRulesPerRoute = 16;
const maxMatchesPerRoute = 128;

/** `spec.http` → HTTPRoutes: one per entry in `compat`, one per VirtualService in `full` (docs/design/convert.md §7.1). */
export function convertHttp(
  virtualService: InputObject,
  attachment: Attachment,
  grants: BackendGrants,
  context: ConvertContext,
): Emitted[] {
  const entries = listOf(virtualService.spec.http);
  if (entries.length === 0) return [];
  const scope: BackendScope = { virtualService, routeKind: "HTTPRoute", grants };
  const drafts: RuleDraft[] = [];
  const ports: (number | undefined)[] = [];
  entries.forEach((raw, index) => {
    const converted = convertEntry(recordOf(raw) ?? {}, ["spec", "http", index], index, scope, context);
    drafts.push(...converted.drafts);
    ports.push(...converted.ports);
  });
  for (const [earlier, later] of firstMatchShadows(entries)) {
    context.notes.error(
      "CONV318",
      `http[${earlier}] already matches every request http[${later}] matches: Istio never reached http[${later}], Gateway API ranks by specificity and will`,
      virtualService.source,
      ["spec", "http", later],
    );
  }
  const parentRefs = parentRefsWithPort(attachment, ports, virtualService, context);
  const groups = routeGroups(parentRefs, attachment.hostnames, context.full);
  const routes: Emitted[] = [];
  groups.forEach(({ parents, hostnames, suffix: hostSuffix }) => {
    if (context.full) {
      chunkRules(drafts).forEach((rules, chunkIndex) => {
        const name = `${virtualService.name}${chunkIndex === 0 ? "" : `-${chunkIndex + 1}`}${hostSuffix}`;
        const ruleNames = new Set<string>();
        routes.push(
          route(
            name,
            virtualService,
            parents,
            hostnames,
            rules.map((draft) => namedRule(draft, ruleNames, context)),
            rules.map((draft) => draft.entryIndex),
            context,
          ),
        );
      });
    } else {
      for (const draft of drafts) {
        const base = draft.entryName ? `${virtualService.name}-${draft.entryName}` : `${virtualService.name}-idx-${draft.entryIndex}`;
        routes.push(
          route(`${base}${draft.suffix}${hostSuffix}`, virtualService, parents, hostnames, [draft.rule], [draft.entryIndex], context),
        );
      }
    }
  });
  return routes;
}

function convertEntry(
  entry: PlainRecord,
  at: FieldPath,
  entryIndex: number,
  scope: BackendScope,
  context: ConvertContext,
): { drafts: RuleDraft[]; ports: (number | undefined)[] } {
  const { notes, full } = context;
  const source = scope.virtualService.source;
  if (hasKey(entry, "mirror") && hasKey(entry, "mirrors")) {
    notes.error("CONV310", "mirror and mirrors are both set (Istio rejects this): http entry skipped", source, [...at, "mirrors"]);
    return { drafts: [], ports: [] };
  }
  const { matches, ports } = convertMatches(entry, at, scope.virtualService, context);
  let backendRefs = dedupeBackendRefs(routeBackendRefs(listOf(entry.route), [...at, "route"], scope, context, true));
  if (full && isServerErrorResponse(entry)) backendRefs = [unroutedBackendRef()];
  const filters = entryFilters(entry, at, scope, context);
  if (hasKey(entry, "redirect") && backendRefs.length > 0) {
    notes.warning(
      "CONV308",
      full
        ? "redirect together with route (Istio rejects this): the route's destinations are dropped"
        : "redirect together with route: the API server rejects a RequestRedirect filter next to backendRefs",
      source,
      [...at, "route"],
    );
    if (full) backendRefs = [];
  }
  const rule: PlainRecord = {};
  if (matches) rule.matches = matches;
  const prefixRedirect = filters.find((filter) => recordOf(recordOf(filter.requestRedirect)?.path)?.type === "ReplacePrefixMatch");
  if (prefixRedirect) {
    // CEL: a ReplacePrefixMatch redirect needs exactly one match, a PathPrefix (istiod writes one match per entry).
    if (!matches) rule.matches = [{ path: { type: "PathPrefix", value: "/" } }];
    else if (matches.length !== 1 || recordOf(matches[0]!.path)?.type !== "PathPrefix") {
      notes.error(
        "CONV307",
        "a %PREFIX()% redirect replaces the matched prefix, which Gateway API allows only on a rule with one prefix match: the redirect path is dropped",
        source,
        [...at, "redirect", "uri"],
      );
      delete (prefixRedirect.requestRedirect as PlainRecord).path;
    }
  }
  if (filters.length > 0) rule.filters = filters;
  if (backendRefs.length > 0) rule.backendRefs = backendRefs;
  const timeouts = entryTimeouts(entry, at, scope, context);
  if (timeouts) rule.timeouts = timeouts;
  const retry = entryRetry(entry, at, scope, context);
  if (retry) rule.retry = retry;
  const persistence = sessionPersistence(backendRefs, scope.virtualService, context);
  if (persistence) rule.sessionPersistence = persistence;
  noteDroppedFeatures(entry, at, scope, context);
  const entryName = stringOf(entry.name) ? sanitizeName(stringOf(entry.name)!) : undefined;

  const rewrite = recordOf(entry.rewrite);
  if (!rewrite) return { drafts: [{ entryIndex, suffix: "", entryName, rule: nonEmptyRule(rule) }], ports };
  return {
    drafts: rewriteDrafts(
      rule,
      rewrite,
      [...at, "rewrite"],
      { entryIndex, entryName, hasRedirect: hasKey(entry, "redirect") },
      scope,
      context,
    ),
    ports,
  };
}

/**
 * full + --experimental: cookie affinity of a DestinationRule for a backend of the rule
 * (`loadBalancer.consistentHash.httpCookie`) becomes the rule's `sessionPersistence`.
 */
function sessionPersistence(
  backendRefs: readonly PlainRecord[],
  virtualService: InputObject,
  context: ConvertContext,
): PlainRecord | undefined {
  if (!context.full || !context.options.experimental) return undefined;
  for (const ref of backendRefs) {
    if (ref.kind !== undefined) continue;
    const fqdn = `${String(ref.name)}.${scalarText(ref.namespace ?? virtualService.namespace)}.svc.${context.options.clusterDomain}`;
    const rule = context.destinationRules.get(fqdn);
    const cookie = recordOf(recordOf(recordOf(recordOf(rule?.spec.trafficPolicy)?.loadBalancer)?.consistentHash)?.httpCookie);
    const name = stringOf(cookie?.name);
    if (name) return { type: "Cookie", sessionName: name };
  }
  return undefined;
}

/** Istio `timeout` (+ `retries` with --experimental in full). */
function entryTimeouts(entry: PlainRecord, at: FieldPath, scope: BackendScope, context: ConvertContext): PlainRecord | undefined {
  const timeouts: PlainRecord = {};
  const timeout = stringOf(entry.timeout);
  if (timeout !== undefined) {
    const value = gatewayDuration(timeout, [...at, "timeout"], scope, context);
    if (value !== undefined) timeouts.request = value;
  }
  const perTry = stringOf(recordOf(entry.retries)?.perTryTimeout);
  if (retriesConverted(entry, context) && perTry !== undefined) {
    const value = gatewayDuration(perTry, [...at, "retries", "perTryTimeout"], scope, context);
    const request = timeouts.request === undefined ? undefined : parseIstioDuration(scalarText(timeouts.request));
    const backend = value === undefined ? undefined : parseIstioDuration(value);
    // CEL: backendRequest may not exceed request (unless request is 0, "no timeout").
    if (value !== undefined && (request === undefined || request === 0 || (backend ?? 0) <= request)) timeouts.backendRequest = value;
    else if (value !== undefined)
      context.notes.warning("CONV315", "retries.perTryTimeout is longer than timeout: dropped", scope.virtualService.source, [
        ...at,
        "retries",
        "perTryTimeout",
      ]);
  }
  return Object.keys(timeouts).length > 0 ? timeouts : undefined;
}

function retriesConverted(entry: PlainRecord, context: ConvertContext): boolean {
  return context.full && context.options.experimental && recordOf(entry.retries) !== undefined;
}

/** full + --experimental: Istio `retries` → HTTPRoute `retry` (codes from numeric retryOn tokens; gateway-error → 502–504). */
function entryRetry(entry: PlainRecord, at: FieldPath, scope: BackendScope, context: ConvertContext): PlainRecord | undefined {
  if (!retriesConverted(entry, context)) return undefined;
  const retries = recordOf(entry.retries)!;
  const retry: PlainRecord = {};
  const attempts = numberOf(retries.attempts);
  if (attempts !== undefined) retry.attempts = attempts;
  const codes = new Set<number>();
  const dropped: string[] = [];
  for (const token of (stringOf(retries.retryOn) ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean)) {
    if (/^\d{3}$/.test(token) && Number(token) >= 400 && Number(token) <= 599) codes.add(Number(token));
    else if (token === "gateway-error") for (const code of [502, 503, 504]) codes.add(code);
    else dropped.push(token);
  }
  if (codes.size > 0) retry.codes = [...codes].sort((a, b) => a - b);
  if (dropped.length > 0) {
    context.notes.warning(
      "CONV315",
      `retryOn conditions ${dropped.join(", ")} have no Gateway API form: dropped`,
      scope.virtualService.source,
      [...at, "retries", "retryOn"],
    );
  }
  return retry;
}

function noteDroppedFeatures(entry: PlainRecord, at: FieldPath, scope: BackendScope, context: ConvertContext): void {
  const { notes } = context;
  const source = scope.virtualService.source;
  if (hasKey(entry, "retries") && !retriesConverted(entry, context)) {
    notes.warning(
      "CONV315",
      "retries are not converted (Gateway API retry is experimental); the implementation's default retry policy applies",
      source,
      [...at, "retries"],
    );
  }
  const fault = recordOf(entry.fault);
  if (fault && hasKey(fault, "abort")) {
    notes.error("CONV316", "fault abort has no Gateway API equivalent: dropped, so requests it answered now reach the backends", source, [
      ...at,
      "fault",
      "abort",
    ]);
  }
  if (fault && hasKey(fault, "delay"))
    notes.warning("CONV316", "fault delay has no Gateway API equivalent: dropped", source, [...at, "fault", "delay"]);
  const directResponse = recordOf(entry.directResponse);
  if (context.full && isServerErrorResponse(entry)) {
    notes.info("CONV313", "directResponse 500 becomes a backend with weight 0, which Gateway API answers with 500", source, [
      ...at,
      "directResponse",
    ]);
  } else if (directResponse && numberOf(directResponse.status) === 404 && !hasKey(directResponse, "body") && !hasKey(entry, "route")) {
    notes.info("CONV313", "directResponse 404 becomes a rule without backends, which Gateway API answers with 404", source, [
      ...at,
      "directResponse",
    ]);
  } else if (hasKey(entry, "directResponse")) {
    notes.error("CONV313", "directResponse is not converted: the rule has no backends, so Gateway API answers 404 instead", source, [
      ...at,
      "directResponse",
    ]);
  }
  if (hasKey(entry, "delegate")) {
    notes.error("CONV314", "delegate is not converted: convert the delegate VirtualService's routes into this route by hand", source, [
      ...at,
      "delegate",
    ]);
  }
}

/** istiod's answer for a rule whose backends may not be used: `directResponse: {status: 500}`, nothing else. */
function isServerErrorResponse(entry: PlainRecord): boolean {
  const directResponse = recordOf(entry.directResponse);
  return (
    directResponse !== undefined &&
    numberOf(directResponse.status) === 500 &&
    !hasKey(directResponse, "body") &&
    !hasKey(entry, "route") &&
    !hasKey(entry, "redirect")
  );
}

/**
 * Gateway API has one URLRewrite per rule and ReplacePrefixMatch only for PathPrefix matches, so an Istio
 * rewrite over mixed matches splits into a full-path and a prefix part (docs/design/convert.md §7.6).
 */
function rewriteDrafts(
  rule: PlainRecord,
  rewrite: PlainRecord,
  at: FieldPath,
  entry: { entryIndex: number; entryName: string | undefined; hasRedirect: boolean },
  scope: BackendScope,
  context: ConvertContext,
): RuleDraft[] {
  const { notes, full } = context;
  const source = scope.virtualService.source;
  const draft = (suffix: string, value: PlainRecord): RuleDraft => ({
    entryIndex: entry.entryIndex,
    entryName: entry.entryName,
    suffix,
    rule: nonEmptyRule(value),
  });
  if (entry.hasRedirect) {
    notes.warning("CONV311", "rewrite next to redirect (Istio rejects this) is dropped", source, at);
    return [draft("", rule)];
  }
  const authority = stringOf(rewrite.authority);
  const hostname = full && authority !== undefined ? authority.toLowerCase() : undefined;
  if (authority !== undefined && hostname === undefined)
    notes.info("CONV311", "rewrite.authority is dropped: the backend sees the original Host", source, [...at, "authority"]);
  const uri = stringOf(rewrite.uri);
  const withRewrite = (base: PlainRecord, path: PlainRecord | undefined): PlainRecord => {
    const urlRewrite: PlainRecord = {};
    if (hostname !== undefined) urlRewrite.hostname = hostname;
    if (path) urlRewrite.path = path;
    if (Object.keys(urlRewrite).length === 0) return base;
    return { ...base, filters: [...((base.filters as PlainRecord[] | undefined) ?? []), { type: "URLRewrite", urlRewrite }] };
  };
  const regexRewrite = recordOf(rewrite.uriRegexRewrite);
  if (regexRewrite) {
    const fullPath = full && uri === undefined ? wholePathReplacement(regexRewrite) : undefined;
    if (fullPath !== undefined) {
      notes.info("CONV311", "a regex rewrite of the whole path (istiod's form of ReplaceFullPath) becomes ReplaceFullPath", source, [
        ...at,
        "uriRegexRewrite",
      ]);
      return [draft("", withRewrite(rule, { type: "ReplaceFullPath", replaceFullPath: fullPath }))];
    }
    notes.error("CONV311", "rewrite.uriRegexRewrite has no Gateway API form: dropped, so backends receive the original path", source, [
      ...at,
      "uriRegexRewrite",
    ]);
  }
  if (!uri) return [draft("", withRewrite(rule, undefined))];

  const matches = rule.matches as PlainRecord[] | undefined;
  const isPrefix = (match: PlainRecord) => recordOf(match.path) === undefined || recordOf(match.path)?.type === "PathPrefix";
  const exactOrRegex = (matches ?? []).filter((match) => !isPrefix(match));
  const prefixes = (matches ?? []).filter(isPrefix);
  const drafts: RuleDraft[] = [];
  if (exactOrRegex.length > 0) {
    drafts.push(draft("", withRewrite({ ...rule, matches: exactOrRegex }, { type: "ReplaceFullPath", replaceFullPath: uri })));
  }
  if (prefixes.length > 0 || matches === undefined) {
    const prefixPath = { type: "ReplacePrefixMatch", replacePrefixMatch: uri };
    if (!full) {
      const { matches: _dropped, ...rest } = rule;
      drafts.push(draft("-prefix-match", withRewrite(prefixes.length > 0 ? { ...rest, matches: prefixes } : rest, prefixPath)));
    } else {
      // CEL: a ReplacePrefixMatch rewrite needs exactly one match, and it must be a PathPrefix.
      const single = prefixes.length > 0 ? prefixes : [{}];
      single.forEach((match, index) => {
        const explicit = recordOf(match.path) ? match : { path: { type: "PathPrefix", value: "/" }, ...match };
        drafts.push(
          draft(index === 0 ? "-prefix-match" : `-prefix-match-${index + 1}`, withRewrite({ ...rule, matches: [explicit] }, prefixPath)),
        );
      });
    }
  }
  if (drafts.length > 1 || (drafts.length === 1 && drafts[0]!.suffix !== "")) {
    notes.info(
      "CONV312",
      "rewrite.uri splits into a ReplaceFullPath part (exact/regex matches) and a ReplacePrefixMatch part (prefix matches)",
      source,
      [...at, "uri"],
    );
  }
  return drafts;
}

/** `{match: "/.*", rewrite: "/new"}` (any path → one path, no capture groups) → "/new". */
function wholePathReplacement(regexRewrite: PlainRecord): string | undefined {
  const match = stringOf(regexRewrite.match);
  const replacement = stringOf(regexRewrite.rewrite);
  if (match === undefined || replacement === undefined || !replacement.startsWith("/") || replacement.includes("\\")) return undefined;
  return ["/.*", "^/.*", "/.*$", "^/.*$", ".*", "^.*$"].includes(match) ? replacement : undefined;
}

/** A rule with nothing in it would be pruned away; it still has to match (and fail) requests. */
function nonEmptyRule(rule: PlainRecord): PlainRecord {
  if (Object.keys(rule).length === 0) return { matches: [{ path: { type: "PathPrefix", value: "/" } }] };
  const ordered: PlainRecord = {};
  for (const key of ["matches", "filters", "backendRefs", "timeouts", "retry", "sessionPersistence"])
    if (rule[key] !== undefined) ordered[key] = rule[key];
  return ordered;
}

/** Rule names (Gateway API v1.5) from Istio route names, unique within the route. */
function namedRule(draft: RuleDraft, taken: Set<string>, context: ConvertContext): PlainRecord {
  if (!draft.entryName || context.options.gatewayApiVersion === "v1.2.1") return draft.rule;
  const base = sanitizeName(`${draft.entryName}${draft.suffix}`);
  let name = base;
  for (let attempt = 2; taken.has(name); attempt++) name = `${base}-${attempt}`;
  taken.add(name);
  return { name, ...draft.rule };
}

/** full: ≤16 rules and ≤128 matches per HTTPRoute (CRD limits); the rest continues in `<vs>-2`, … */
function chunkRules(drafts: readonly RuleDraft[]): RuleDraft[][] {
  const chunks: RuleDraft[][] = [];
  let current: RuleDraft[] = [];
  let matches = 0;
  for (const draft of drafts) {
    const count = listOf(draft.rule.matches).length;
    if (current.length === maxRulesPerRoute || (current.length > 0 && matches + count > maxMatchesPerRoute)) {
      chunks.push(current);
      current = [];
      matches = 0;
    }
    current.push(draft);
    matches += count;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * full: a port every match of every entry names becomes the port of each parentRef (Gateway listeners or, for the
 * mesh, the Service port). Entries that disagree (or some without a port) cannot share one HTTPRoute's parents.
 */
function parentRefsWithPort(
  attachment: Attachment,
  ports: (number | undefined)[],
  virtualService: InputObject,
  context: ConvertContext,
): PlainRecord[] {
  const distinct = new Set(ports);
  const named = [...distinct].filter((port) => port !== undefined);
  if (!context.full || named.length === 0) return attachment.parentRefsFor("HTTPRoute");
  if (distinct.size === 1) return attachment.parentRefsFor("HTTPRoute", named[0]);
  context.notes.error(
    "CONV301",
    `match.port differs between matches (${[...distinct].map((port) => port ?? "any").join(", ")}): one HTTPRoute has one set of parentRef ports, so the port is dropped and the routes attach to every port; split the VirtualService by port`,
    virtualService.source,
    ["spec", "http"],
  );
  return attachment.parentRefsFor("HTTPRoute");
}

function route(
  name: string,
  virtualService: InputObject,
  parentRefs: PlainRecord[],
  hostnames: string[],
  rules: PlainRecord[],
  entryIndexes: number[],
  context: ConvertContext,
): Emitted {
  const object: KubeObject = {
    apiVersion: context.apiVersions.HTTPRoute,
    kind: "HTTPRoute",
    metadata: objectMeta(sanitizeName(name), virtualService.namespace, virtualService),
    spec: { parentRefs: parentRefs.map((ref) => ({ ...ref })), hostnames: [...hostnames], rules },
  };
  return { object, from: virtualService, inputPath: (path) => entryPath(path, entryIndexes) };
}

/** `spec.rules[i]…` → the `spec.http[j]` entry the rule came from; parentRefs → gateways, hostnames → hosts. */
function entryPath(path: FieldPath, entryIndexes: readonly number[]): FieldPath {
  if (path[1] === "rules" && typeof path[2] === "number") {
    const entry = entryIndexes[path[2]];
    return entry === undefined ? ["spec", "http"] : ["spec", "http", entry];
  }
  if (path[1] === "hostnames") return ["spec", "hosts"];
  if (path[1] === "parentRefs") return ["spec", "gateways"];
  return ["spec"];
}
