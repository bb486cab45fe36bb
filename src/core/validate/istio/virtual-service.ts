import type { FieldPath } from "../../findings.js";
import type { FieldError } from "../field-errors.js";
import type { ValidateOptions } from "../options.js";
import { isIP } from "../formats.js";
import { parseGoDuration } from "../../durations.js";
import { HostIndex } from "../../hosts.js";
import {
  collector,
  durationProblem,
  exportToProblems,
  fqdnProblem,
  headerValueProblem,
  isHeaderToken,
  isIPOrCidr,
  isPort,
  labelMapProblems,
  regexProblem,
  wildcardDomainProblem,
  type Reporter,
} from "./webhook-rules.js";
import { isIstioDnsLabel } from "../../dns-names.js";
import { recordsOf, type JsonObject } from "../../json.js";

const retryPolicies = new Set([
  "5xx",
  "gateway-error",
  "reset",
  "reset-before-request",
  "connect-failure",
  "retriable-4xx",
  "refused-stream",
  "retriable-status-codes",
  "retriable-headers",
  "envoy-ratelimited",
  "http3-post-connect-failure",
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
]);
const corsMethods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*"]);
const pseudoHeaders = new Set([":method", ":scheme", ":authority", ":path", ":status"]);

/** A gateway reference: `mesh`, `namespace/name`, or a name that passes the FQDN check. */
export function gatewayReferenceProblem(reference: string): { error?: string; warning?: string } {
  if (reference === "mesh") return {};
  const parts = reference.split("/");
  if (parts.length === 2) {
    if (!isIstioDnsLabel(parts[0]!) || !isIstioDnsLabel(parts[1]!))
      return { error: `invalid gateway name ${JSON.stringify(reference)}: namespace and name must be DNS labels` };
    return {};
  }
  if (parts.length > 2) return { error: `invalid gateway name ${JSON.stringify(reference)}` };
  const problem = fqdnProblem(reference);
  if (problem) return { error: `invalid gateway name ${JSON.stringify(reference)}: ${problem}` };
  if (reference.includes("."))
    return {
      warning: `gateway ${JSON.stringify(reference)} looks like name.namespace; use namespace/name (${reference.split(".").slice(1).join(".")}/${reference.split(".")[0]})`,
    };
  return {};
}

/** networking.istio.io VirtualService (docs/design/validation.md §3.3). */
export function validateIstioVirtualService(object: JsonObject, options: ValidateOptions): FieldError[] {
  const { errors, report } = collector("ISTIO_VIRTUALSERVICE");
  const spec = (object.spec ?? {}) as JsonObject;
  const namespace = ((object.metadata as JsonObject | undefined)?.namespace as string | undefined) ?? options.defaultNamespace;
  const hosts = Array.isArray(spec.hosts) ? (spec.hosts as string[]) : [];
  const gateways = Array.isArray(spec.gateways) ? (spec.gateways as string[]) : [];
  const delegate = hosts.length === 0;
  const appliesToMesh = gateways.length === 0 || gateways.includes("mesh");
  if (delegate) {
    if (gateways.length > 0) report(["spec", "gateways"], "delegate virtual service (no hosts) must not have gateways");
    if (spec.tls !== undefined) report(["spec", "tls"], "delegate virtual service (no hosts) must not have tls routes");
    if (spec.tcp !== undefined) report(["spec", "tcp"], "delegate virtual service (no hosts) must not have tcp routes");
  }
  gateways.forEach((gateway, index) => {
    const problem = gatewayReferenceProblem(gateway);
    if (problem.error) report(["spec", "gateways", index], problem.error, { value: gateway });
    if (problem.warning) report(["spec", "gateways", index], problem.warning, { warning: true });
  });
  const seen = new HostIndex<string>();
  hosts.forEach((host, index) => {
    if (host === "*" && appliesToMesh)
      report(["spec", "hosts", index], "wildcard host * is not allowed for virtual services bound to the mesh gateway", {
        hint: "list the hosts, or bind the VirtualService to a gateway",
      });
    else if (!isIP(host) && !/^outbound_\.\d+_\._\./.test(host)) {
      const problem = wildcardDomainProblem(host);
      if (problem) report(["spec", "hosts", index], problem, { value: host });
    }
    // Istio compares every pair; the index finds each host's first earlier overlap without doing so.
    const overlapping = typeof host === "string" ? seen.firstMatching(host) : undefined;
    if (overlapping !== undefined) report(["spec", "hosts", index], `duplicate hosts in virtual service: ${overlapping} & ${host}`);
    // Only later hosts look a host up: the last one (the only one, most often) is not indexed.
    if (typeof host === "string" && index < hosts.length - 1) seen.add(host, host);
  });
  if (recordsOf(spec.http).length === 0 && recordsOf(spec.tcp).length === 0 && recordsOf(spec.tls).length === 0) {
    report(["spec"], "http, tcp or tls must be provided in virtual service");
  }
  for (const problem of exportToProblems(spec.exportTo, namespace, false)) report(["spec", "exportTo"], problem);
  recordsOf(spec.http).forEach((route, index) =>
    checkHttpRoute(route, ["spec", "http", index], report, { delegate, gatewayBound: !appliesToMesh }),
  );
  if (recordsOf(spec.tls).length > 0) {
    const hostIndex = new HostIndex<string>();
    for (const host of hosts) if (typeof host === "string") hostIndex.add(host, host);
    recordsOf(spec.tls).forEach((route, index) => checkTlsRoute(route, ["spec", "tls", index], hosts, hostIndex, report));
  }
  recordsOf(spec.tcp).forEach((route, index) => {
    const at = ["spec", "tcp", index];
    recordsOf(route.match).forEach((match, matchIndex) => checkL4Match(match, [...at, "match", matchIndex], report));
    checkDestinations(route.route, [...at, "route"], report, true);
  });
  return errors;
}

interface RouteContext {
  delegate: boolean;
  gatewayBound: boolean;
}

function checkHttpRoute(route: JsonObject, at: FieldPath, report: Reporter, context: RouteContext): void {
  const has = (field: string) => route[field] !== undefined && route[field] !== null;
  if (has("redirect")) {
    if (has("route")) report(at, "HTTP route cannot contain both route and redirect");
    if (has("fault")) report(at, "HTTP route cannot contain both fault and redirect");
    if (has("rewrite")) report(at, "HTTP route rule cannot contain both rewrite and redirect");
    if (has("directResponse")) report(at, "HTTP route cannot contain both directResponse and redirect");
  } else if (has("directResponse")) {
    if (has("route")) report(at, "HTTP route cannot contain both route and directResponse");
    if (has("fault")) report(at, "HTTP route cannot contain both fault and directResponse");
    if (has("rewrite")) report(at, "HTTP route rule cannot contain both rewrite and directResponse");
  } else if (has("delegate")) {
    if (context.delegate) report([...at, "delegate"], "a delegate virtual service cannot delegate again");
    if (has("route")) report(at, "HTTP route cannot contain both route and delegate");
  } else if (recordsOf(route.route).length === 0) {
    report([...at, "route"], "HTTP route, redirect, directResponse or delegate is required", {
      hint: "add route: [{destination: {host: …}}]",
    });
  }
  if (has("mirror") && has("mirrors")) report(at, "HTTP route cannot contain both mirror and mirrors");
  recordsOf(route.match).forEach((match, index) => checkHttpMatch(match, [...at, "match", index], report, context));
  // Paths are built only for parts that are present (most routes have none of these).
  if (typeof route.headers === "object" && route.headers !== null) checkHeaderOperations(route.headers, [...at, "headers"], report);
  if (has("timeout")) {
    const problem = durationProblem(route.timeout);
    if (problem) report([...at, "timeout"], problem, { value: route.timeout });
  }
  if (route.retries) checkRetries(route.retries as JsonObject, [...at, "retries"], report);
  if (route.fault) checkFault(route.fault as JsonObject, [...at, "fault"], report);
  if (route.redirect) checkRedirect(route.redirect as JsonObject, [...at, "redirect"], report);
  if (route.rewrite) checkRewrite(route.rewrite as JsonObject, [...at, "rewrite"], report);
  if (route.corsPolicy) checkCors(route.corsPolicy as JsonObject, [...at, "corsPolicy"], report);
  const direct = route.directResponse as JsonObject | undefined;
  if (direct) {
    const status = direct.status;
    if (typeof status !== "number" || status < 200 || status > 600)
      report([...at, "directResponse", "status"], "directResponse status must be in the range 200-599", { value: status ?? null });
    const body = direct.body as JsonObject | undefined;
    const size =
      typeof body?.string === "string" ? body.string.length : typeof body?.bytes === "string" ? Math.floor((body.bytes.length * 3) / 4) : 0;
    if (size > 1024 * 1024) report([...at, "directResponse", "body"], "directResponse body is larger than 1 MB");
    else if (size > 100 * 1024) report([...at, "directResponse", "body"], "directResponse body is larger than 100 KB", { warning: true });
  }
  if (has("mirrorPercent")) report([...at, "mirrorPercent"], "mirrorPercent is deprecated; use mirrorPercentage", { warning: true });
  checkDestinations(route.route, [...at, "route"], report, false);
  const mirror = route.mirror as JsonObject | undefined;
  if (mirror) checkDestination(mirror, [...at, "mirror"], report);
  recordsOf(route.mirrors).forEach((policy, index) => {
    if (policy.destination) checkDestination(policy.destination as JsonObject, [...at, "mirrors", index, "destination"], report);
  });
}

const requestStringMatches = ["scheme", "method", "authority"] as const;
const headerMatches = ["headers", "withoutHeaders"] as const;
const isRecord = (value: unknown): boolean => typeof value === "object" && value !== null;

function checkStringMatch(match: unknown, at: FieldPath, report: Reporter, allowEmptyPrefix: boolean): void {
  if (typeof match !== "object" || match === null) return;
  const value = match as JsonObject;
  if (typeof value.prefix === "string" && value.prefix === "" && !allowEmptyPrefix)
    report([...at, "prefix"], "prefix match should not be empty");
  if (typeof value.regex === "string") {
    const problem = regexProblem(value.regex);
    if (problem) report([...at, "regex"], problem);
  }
}

function checkHttpMatch(match: JsonObject, at: FieldPath, report: Reporter, context: RouteContext): void {
  // Paths are built only for the string matches present.
  if (isRecord(match.uri)) checkStringMatch(match.uri, [...at, "uri"], report, true);
  for (const field of requestStringMatches) if (isRecord(match[field])) checkStringMatch(match[field], [...at, field], report, false);
  for (const field of headerMatches) {
    const headers = match[field];
    if (typeof headers !== "object" || headers === null) continue;
    for (const [name, value] of Object.entries(headers as JsonObject)) {
      const isClaim = name.startsWith("@request.auth.claims.");
      if (isClaim && !context.gatewayBound)
        report([...at, field, name], "JWT claim based routing is only supported for gateway-bound virtual services");
      if (!isClaim && !pseudoHeaders.has(name.toLowerCase()) && !isHeaderToken(name))
        report([...at, field, name], `invalid header name ${JSON.stringify(name)}`);
      if (value === null)
        report([...at, field, name], "header match value must not be null", {
          hint: "use {} with withoutHeaders or a match such as {exact: …}",
        });
      else if (!(field === "withoutHeaders" && typeof value === "object" && Object.keys(value).length === 0))
        checkStringMatch(value, [...at, field, name], report, false);
    }
  }
  const queryParams = match.queryParams;
  if (typeof queryParams === "object" && queryParams !== null) {
    for (const [name, value] of Object.entries(queryParams as JsonObject))
      checkStringMatch(value, [...at, "queryParams", name], report, false);
  }
  if (match.port !== undefined && !isPort(match.port)) report([...at, "port"], "port must be in the range 1..65535", { value: match.port });
  for (const problem of labelMapProblems(match.sourceLabels)) report([...at, "sourceLabels"], problem);
  if (Array.isArray(match.gateways)) {
    (match.gateways as string[]).forEach((gateway, index) => {
      const problem = gatewayReferenceProblem(gateway);
      if (problem.error) report([...at, "gateways", index], problem.error);
    });
  }
  if (typeof match.sourceNamespace === "string" && !isIstioDnsLabel(match.sourceNamespace))
    report([...at, "sourceNamespace"], "sourceNamespace must be a DNS label", { value: match.sourceNamespace });
}

function checkL4Match(match: JsonObject, at: FieldPath, report: Reporter): void {
  if (Array.isArray(match.destinationSubnets)) {
    (match.destinationSubnets as string[]).forEach((subnet, index) => {
      if (!isIPOrCidr(String(subnet)))
        report([...at, "destinationSubnets", index], "destination subnet must be an IP address or CIDR", { value: subnet });
    });
  }
  if (match.port !== undefined && !isPort(match.port)) report([...at, "port"], "port must be in the range 1..65535", { value: match.port });
  for (const problem of labelMapProblems(match.sourceLabels)) report([...at, "sourceLabels"], problem);
}

function checkTlsRoute(route: JsonObject, at: FieldPath, hosts: string[], hostIndex: HostIndex<string>, report: Reporter): void {
  const matches = recordsOf(route.match);
  if (matches.length === 0) report([...at, "match"], "TLS route must have at least one match condition");
  matches.forEach((match, index) => {
    const sniHosts = Array.isArray(match.sniHosts) ? (match.sniHosts as string[]) : [];
    if (sniHosts.length === 0) report([...at, "match", index, "sniHosts"], "TLS match must have at least one SNI host");
    sniHosts.forEach((sni, sniIndex) => {
      const where = [...at, "match", index, "sniHosts", sniIndex];
      if (isIP(sni)) report(where, "using an IP address as SNI host is not supported by most clients", { warning: true });
      else {
        const problem = wildcardDomainProblem(sni);
        if (problem) report(where, problem);
        else if (typeof sni === "string" && hostIndex.firstCovering(sni) === undefined) {
          report(
            where,
            `SNI host ${JSON.stringify(sni)} is not a compatible subset of any of the virtual service hosts: [${hosts.join(", ")}]`,
          );
        }
      }
    });
    checkL4Match(match, [...at, "match", index], report);
  });
  checkDestinations(route.route, [...at, "route"], report, true);
}

function checkDestinations(routes: unknown, at: FieldPath, report: Reporter, required: boolean): void {
  const destinations = recordsOf(routes);
  if (required && destinations.length === 0) report(at, "route is required");
  destinations.forEach((weighted, index) => {
    const destination = weighted.destination as JsonObject | undefined;
    if (!destination) report([...at, index, "destination"], "destination is required");
    else checkDestination(destination, [...at, index, "destination"], report);
    if (typeof weighted.weight === "number" && weighted.weight < 0)
      report([...at, index, "weight"], "weight must be non-negative", { value: weighted.weight });
    if (typeof weighted.headers === "object" && weighted.headers !== null)
      checkHeaderOperations(weighted.headers, [...at, index, "headers"], report);
  });
  if (destinations.length > 1 && destinations.every((weighted) => !weighted.weight)) {
    report(at, "total destination weight is 0; give at least one destination a weight", {
      hint: "with several destinations, weights decide the split",
    });
  }
}

function checkDestination(destination: JsonObject, at: FieldPath, report: Reporter): void {
  const host = destination.host;
  if (typeof host === "string") {
    if (host === "*") report([...at, "host"], "destination host may not be *", { value: host });
    else {
      const problem = wildcardDomainProblem(host);
      if (problem) report([...at, "host"], problem, { value: host });
    }
  }
  if (typeof destination.subset === "string" && !isIstioDnsLabel(destination.subset))
    report([...at, "subset"], "subset name must be a DNS label", { value: destination.subset });
  const port = destination.port as JsonObject | undefined;
  if (port && port.number !== undefined && !isPort(port.number))
    report([...at, "port", "number"], "port number must be in the range 1..65535", { value: port.number });
}

function checkHeaderOperations(headers: unknown, at: FieldPath, report: Reporter): void {
  if (typeof headers !== "object" || headers === null) return;
  for (const side of ["request", "response"] as const) {
    const operations = (headers as JsonObject)[side] as JsonObject | undefined;
    if (!operations) continue;
    for (const operation of ["set", "add"] as const) {
      const entries = operations[operation];
      if (typeof entries !== "object" || entries === null) continue;
      for (const [name, value] of Object.entries(entries as JsonObject)) {
        const where = [...at, side, operation, name];
        if (name === "") report(where, "header name cannot be empty");
        else if (name.startsWith(":") && !(side === "request" && name.toLowerCase() === ":authority"))
          report(where, `invalid header name ${JSON.stringify(name)}: pseudo-headers cannot be modified`);
        else if (side === "response" && name.toLowerCase() === "host") report(where, "the host header cannot be set on responses");
        if (typeof value === "string") {
          const problem = headerValueProblem(value);
          if (problem) report(where, problem);
        }
      }
    }
    if (Array.isArray(operations.remove)) {
      (operations.remove as string[]).forEach((name, index) => {
        if (name === "" || name.startsWith(":") || name.toLowerCase() === "host")
          report([...at, side, "remove", index], `header ${JSON.stringify(name)} cannot be removed`);
      });
    }
  }
}

function checkRetries(retries: JsonObject | undefined, at: FieldPath, report: Reporter): void {
  if (!retries) return;
  const attempts = retries.attempts;
  if (typeof attempts === "number" && attempts < 0) report([...at, "attempts"], "attempts cannot be negative", { value: attempts });
  if (
    attempts === 0 &&
    (retries.perTryTimeout !== undefined || retries.retryOn !== undefined || retries.retryRemoteLocalities !== undefined)
  ) {
    report(at, "http retry policy configured when attempts are set to 0 (disabled)");
  }
  for (const field of ["perTryTimeout", "backoff"]) {
    if (retries[field] !== undefined) {
      const problem = durationProblem(retries[field]);
      if (problem) report([...at, field], problem, { value: retries[field] });
    }
  }
  if (typeof retries.retryOn === "string") {
    for (const policy of invalidRetryPolicies(retries.retryOn)) {
      report([...at, "retryOn"], `${JSON.stringify(policy)} is not a valid retryOn policy`, {
        hint: `use HTTP status codes or ${[...retryPolicies].slice(0, 6).join(", ")}, …`,
      });
    }
  }
}

/** The entries of a retryOn list that are neither a policy nor a status code; routes repeat a few lists, so each is split once. */
function invalidRetryPolicies(retryOn: string): readonly string[] {
  let invalid = invalidRetryOn.get(retryOn);
  if (invalid === undefined) {
    invalid = retryOn
      .split(",")
      .map((part) => part.trim())
      .filter((policy) => policy !== "" && !retryPolicies.has(policy) && !/^[1-5][0-9]{2}$/.test(policy));
    if (invalidRetryOn.size >= REMEMBERED_TEXTS) invalidRetryOn.clear();
    invalidRetryOn.set(retryOn, invalid);
  }
  return invalid;
}

const REMEMBERED_TEXTS = 4096;
const invalidRetryOn = new Map<string, readonly string[]>();

function checkFault(fault: JsonObject | undefined, at: FieldPath, report: Reporter): void {
  if (!fault) return;
  if (!fault.abort && !fault.delay) report(at, "HTTP fault injection must have an abort and/or a delay");
  const percent = (value: unknown, where: FieldPath) => {
    const number = (value as JsonObject | undefined)?.value;
    if (typeof number === "number" && (number < 0 || number > 100 || (number > 0 && number < 0.0001)))
      report(where, "percentage must be in the range [0.0001, 100] or 0", { value: number });
  };
  const abort = fault.abort as JsonObject | undefined;
  if (abort) {
    percent(abort.percentage, [...at, "abort", "percentage"]);
    if (abort.http2Error !== undefined) report([...at, "abort", "http2Error"], "HTTP/2 abort fault injection is not supported yet");
    if (typeof abort.httpStatus === "number" && (abort.httpStatus < 200 || abort.httpStatus > 600))
      report([...at, "abort", "httpStatus"], "httpStatus must be in the range 200-599", { value: abort.httpStatus });
    if (abort.httpStatus === undefined && abort.grpcStatus === undefined && abort.http2Error === undefined)
      report([...at, "abort"], "abort has no error type (httpStatus or grpcStatus)", { warning: true });
  }
  const delay = fault.delay as JsonObject | undefined;
  if (delay) {
    percent(delay.percentage, [...at, "delay", "percentage"]);
    if (delay.exponentialDelay !== undefined) report([...at, "delay", "exponentialDelay"], "exponentialDelay is not supported yet");
    if (delay.fixedDelay !== undefined) {
      const problem = durationProblem(delay.fixedDelay);
      if (problem) report([...at, "delay", "fixedDelay"], problem, { value: delay.fixedDelay });
    }
  }
}

function checkRedirect(redirect: JsonObject | undefined, at: FieldPath, report: Reporter): void {
  if (!redirect) return;
  if (!redirect.uri && !redirect.authority && !redirect.scheme && redirect.port === undefined && !redirect.derivePort) {
    report(at, "redirect must specify URI, authority, scheme, or port");
  }
  if (
    redirect.redirectCode !== undefined &&
    (typeof redirect.redirectCode !== "number" || redirect.redirectCode < 300 || redirect.redirectCode > 399)
  ) {
    report([...at, "redirectCode"], "redirect code must be 3xx", { value: redirect.redirectCode });
  }
  if (redirect.scheme !== undefined && redirect.scheme !== "http" && redirect.scheme !== "https")
    report([...at, "scheme"], "redirect scheme must be http or https", { value: redirect.scheme });
  if (redirect.port !== undefined && !isPort(redirect.port))
    report([...at, "port"], "redirect port must be in the range 1..65535", { value: redirect.port });
}

function checkRewrite(rewrite: JsonObject | undefined, at: FieldPath, report: Reporter): void {
  if (!rewrite) return;
  if (rewrite.uri !== undefined && rewrite.uriRegexRewrite !== undefined)
    report(at, "rewrite may only contain one of uri and uriRegexRewrite");
  if (!rewrite.uri && !rewrite.uriRegexRewrite && !rewrite.authority) report(at, "rewrite must specify uri, uriRegexRewrite, or authority");
  const regexRewrite = rewrite.uriRegexRewrite as JsonObject | undefined;
  if (regexRewrite) {
    if (typeof regexRewrite.match !== "string" || typeof regexRewrite.rewrite !== "string")
      report([...at, "uriRegexRewrite"], "uriRegexRewrite requires both match and rewrite");
    else {
      const problem = regexProblem(regexRewrite.match);
      if (problem) report([...at, "uriRegexRewrite", "match"], problem);
    }
  }
}

function checkCors(cors: JsonObject | undefined, at: FieldPath, report: Reporter): void {
  if (!cors) return;
  recordsOf(cors.allowOrigins).forEach((origin, index) => {
    if (Object.keys(origin).length === 0) report([...at, "allowOrigins", index], "allowOrigins entry must set exact, prefix or regex");
    checkStringMatch(origin, [...at, "allowOrigins", index], report, false);
  });
  if (Array.isArray(cors.allowMethods)) {
    (cors.allowMethods as string[]).forEach((method, index) => {
      if (!corsMethods.has(method))
        report([...at, "allowMethods", index], `${JSON.stringify(method)} is not a valid HTTP method`, {
          hint: "use GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE or *",
        });
    });
  }
  for (const field of ["allowHeaders", "exposeHeaders"]) {
    if (Array.isArray(cors[field])) {
      (cors[field] as string[]).forEach((header, index) => {
        if (header !== "*" && !isHeaderToken(header)) report([...at, field, index], `invalid header name ${JSON.stringify(header)}`);
      });
    }
  }
  if (cors.maxAge !== undefined) {
    const problem = durationProblem(cors.maxAge);
    if (problem) report([...at, "maxAge"], problem, { value: cors.maxAge });
    else if (typeof cors.maxAge === "string" && (parseGoDuration(cors.maxAge) ?? 0) % 1e9 !== 0) {
      report([...at, "maxAge"], "max_age duration is accurate only to seconds precision", { value: cors.maxAge });
    }
  }
}
