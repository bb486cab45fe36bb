import type { FieldPath } from "../findings.js";
import type { ConvertContext } from "./context.js";
import { destinationRef, headerFilters, type BackendScope } from "./backends.js";
import { formatGatewayDuration, parseIstioDuration } from "./durations.js";
import { isValidHostname } from "./hosts.js";
import { httpMethods } from "./http-matches.js";
import { hasKey, listOf, numberOf, recordOf, stringOf, stringsOf, type PlainRecord } from "./plain-data.js";

const redirectCodes = [301, 302, 303, 307, 308];
const prefixMarker = "%PREFIX()%";

/**
 * The filters of one `http` entry except URLRewrite, in Gateway API order (docs/design/convert.md §7.4):
 * redirect, mirror, mirrors, request headers, response headers, CORS.
 */
export function entryFilters(entry: PlainRecord, at: FieldPath, scope: BackendScope, context: ConvertContext): PlainRecord[] {
  const filters: PlainRecord[] = [];
  const redirect = recordOf(entry.redirect);
  if (redirect) filters.push(redirectFilter(redirect, [...at, "redirect"], scope, context));
  const mirror = recordOf(entry.mirror);
  if (mirror) {
    const percentField = ["mirrorPercentage", "mirrorPercent", "mirror_percent"].find((field) => hasKey(entry, field));
    const percent =
      percentField === "mirrorPercentage"
        ? numberOf(recordOf(entry.mirrorPercentage)?.value)
        : percentField
          ? numberOf(entry[percentField])
          : undefined;
    const filter = mirrorFilter(mirror, percent, [...at, "mirror"], percentField ? [...at, percentField] : undefined, scope, context);
    if (filter) filters.push(filter);
  }
  listOf(entry.mirrors).forEach((item, index) => {
    const policy = recordOf(item) ?? {};
    const destination = recordOf(policy.destination);
    if (!destination) return;
    const percent = hasKey(policy, "percentage") ? numberOf(recordOf(policy.percentage)?.value) : undefined;
    const path: FieldPath = [...at, "mirrors", index];
    const filter = mirrorFilter(
      destination,
      percent,
      [...path, "destination"],
      hasKey(policy, "percentage") ? [...path, "percentage"] : undefined,
      scope,
      context,
    );
    if (filter) filters.push(filter);
  });
  const headers = recordOf(entry.headers);
  if (headers) filters.push(...headerFilters(headers));
  const cors = recordOf(entry.corsPolicy);
  if (cors) {
    if (context.full && context.options.gatewayApiVersion !== "v1.2.1") {
      const filter = corsFilter(cors, [...at, "corsPolicy"], scope, context);
      if (filter) filters.push(filter);
    } else {
      context.notes.info(
        "CONV317",
        "corsPolicy is dropped; configure CORS on the route (HTTPRoute CORS filter, Gateway API v1.5)",
        scope.virtualService.source,
        [...at, "corsPolicy"],
      );
    }
  }
  return filters;
}

function redirectFilter(redirect: PlainRecord, at: FieldPath, scope: BackendScope, context: ConvertContext): PlainRecord {
  const { notes, full } = context;
  const source = scope.virtualService.source;
  const out: PlainRecord = {};
  const scheme = stringOf(redirect.scheme);
  if (scheme !== undefined) {
    if (scheme === "http" || scheme === "https") out.scheme = scheme;
    else notes.warning("CONV307", `redirect scheme "${scheme}" is not http or https: dropped`, source, [...at, "scheme"]);
  }
  const authority = stringOf(redirect.authority);
  if (authority !== undefined) {
    const host = authority.toLowerCase();
    if (full && isValidHostname(host) && !host.startsWith("*")) out.hostname = host;
    else notes.info("CONV307", "redirect authority is dropped; the Location keeps the request's host", source, [...at, "authority"]);
  }
  const uri = stringOf(redirect.uri);
  // istiod writes Gateway API's ReplacePrefixMatch redirects as `%PREFIX()%<prefix>`.
  const replacedPrefix = full && uri?.startsWith(prefixMarker) ? uri.slice(prefixMarker.length) || "/" : undefined;
  if (replacedPrefix !== undefined) out.path = { type: "ReplacePrefixMatch", replacePrefixMatch: replacedPrefix };
  else if (uri !== undefined) out.path = { type: "ReplaceFullPath", replaceFullPath: uri };
  const port = numberOf(redirect.port);
  if (port !== undefined && port > 0) out.port = port;
  if (hasKey(redirect, "derivePort")) notes.info("CONV307", "redirect derivePort is dropped", source, [...at, "derivePort"]);
  let statusCode = numberOf(redirect.redirectCode) ?? 301;
  if (!redirectCodes.includes(statusCode)) {
    notes.warning(
      "CONV307",
      `redirectCode ${statusCode} is not one of ${redirectCodes.join(", ")}${full ? ": 301 used" : "; the API server rejects it"}`,
      source,
      [...at, "redirectCode"],
    );
    if (full) statusCode = 301;
  }
  // Istio's default is 301; Gateway API's would be 302, so the code is always written.
  out.statusCode = statusCode;
  return { type: "RequestRedirect", requestRedirect: out };
}

function mirrorFilter(
  destination: PlainRecord,
  percent: number | undefined,
  at: FieldPath,
  percentAt: FieldPath | undefined,
  scope: BackendScope,
  context: ConvertContext,
): PlainRecord | undefined {
  const backendRef = destinationRef(destination, at, scope, context);
  if (!backendRef) return undefined;
  const mirror: PlainRecord = { backendRef };
  if (percentAt) {
    const share =
      context.full && context.options.gatewayApiVersion !== "v1.2.1" && percent !== undefined ? mirrorShare(percent) : undefined;
    if (share) Object.assign(mirror, share);
    else
      context.notes.warning("CONV309", "mirror percentage is dropped: every request is mirrored", scope.virtualService.source, percentAt);
  }
  return { type: "RequestMirror", requestMirror: mirror };
}

/** 25 → `percent: 25`; 0.5 → `fraction: {numerator: 5, denominator: 1000}`. */
export function mirrorShare(percent: number): PlainRecord | undefined {
  if (percent < 0 || percent > 100) return undefined;
  if (Number.isInteger(percent)) return { percent };
  for (let scale = 10; scale <= 1_000_000; scale *= 10) {
    const numerator = Math.round(percent * scale);
    if (Math.abs(numerator - percent * scale) < 1e-6) return { fraction: { numerator, denominator: 100 * scale } };
  }
  return undefined;
}

const originPattern = /^(\*|https?:\/\/(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:\d{1,5})?)$/;
const headerToken = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,256}$/;

function corsFilter(cors: PlainRecord, at: FieldPath, scope: BackendScope, context: ConvertContext): PlainRecord | undefined {
  const { notes } = context;
  const source = scope.virtualService.source;
  const out: PlainRecord = {};
  const origins: string[] = [];
  listOf(cors.allowOrigins).forEach((raw, index) => {
    const match = recordOf(raw) ?? {};
    const exact = stringOf(match.exact);
    const regex = stringOf(match.regex);
    const origin = exact !== undefined ? exact.toLowerCase() : regex !== undefined ? originOfRegex(regex) : undefined;
    if (origin !== undefined && originPattern.test(origin)) origins.push(origin);
    else notes.warning("CONV317", 'CORS origin is not an exact origin or "*": dropped', source, [...at, "allowOrigins", index]);
  });
  stringsOf(cors.allowOrigin).forEach((origin) => originPattern.test(origin.toLowerCase()) && origins.push(origin.toLowerCase()));
  if (origins.length === 0) {
    notes.warning("CONV317", "corsPolicy without a convertible origin is dropped", source, at);
    return undefined;
  }
  out.allowOrigins = origins.includes("*") ? ["*"] : [...new Set(origins)];
  const methods = stringsOf(cors.allowMethods).map((method) => method.toUpperCase());
  const validMethods = methods.includes("*") ? ["*"] : methods.filter((method) => httpMethods.includes(method));
  if (validMethods.length !== methods.length && !methods.includes("*"))
    notes.warning("CONV317", "CORS methods outside the Gateway API method list are dropped", source, [...at, "allowMethods"]);
  if (validMethods.length > 0) out.allowMethods = [...new Set(validMethods)];
  for (const field of ["allowHeaders", "exposeHeaders"] as const) {
    const headers = stringsOf(cors[field]);
    const valid = field === "allowHeaders" && headers.includes("*") ? ["*"] : headers.filter((header) => headerToken.test(header));
    if (valid.length !== headers.length && !headers.includes("*"))
      notes.warning("CONV317", `CORS ${field} entries that are not header names are dropped`, source, [...at, field]);
    if (valid.length > 0) out[field] = [...new Set(valid)];
  }
  const maxAge = stringOf(cors.maxAge);
  if (maxAge !== undefined) {
    const ms = parseIstioDuration(maxAge);
    if (ms !== undefined) out.maxAge = Math.ceil(ms / 1000);
  }
  if (cors.allowCredentials === true) out.allowCredentials = true;
  if (hasKey(cors, "unmatchedPreflights"))
    notes.info("CONV317", "corsPolicy.unmatchedPreflights is dropped", source, [...at, "unmatchedPreflights"]);
  notes.info("CONV317", "corsPolicy becomes a CORS filter", source, at);
  return { type: "CORS", cors: out };
}

/**
 * A regex origin Gateway API can write: anything (`.*`, `^.*$`, `*`) → `*`; an anchored origin with one
 * wildcard host label (`^https://.*\.example\.com$`, as istiod writes `https://*.example.com`) → that
 * wildcard origin; an escaped literal origin → itself.
 */
function originOfRegex(regex: string): string | undefined {
  const body = regex.replace(/^\^/, "").replace(/\$$/, "");
  if (body === "*" || body === ".*" || body === ".+") return "*";
  const parts = /^(https?):\/\/((?:\.\*|\.\+|\[\^\.\]\*|\[\^\.\]\+|\[\^\/\]\*|\[\^\/\]\+)\\\.)?((?:[a-z0-9-]|\\\.)+)((?::\d{1,5})?)$/i.exec(
    body,
  );
  if (!parts) return undefined;
  return `${parts[1]!.toLowerCase()}://${parts[2] ? "*." : ""}${parts[3]!.replaceAll("\\.", ".").toLowerCase()}${parts[4]}`;
}

/** Istio `timeout` → Gateway API `timeouts.request` (docs/design/convert.md §7.5, E8). */
export function gatewayDuration(text: string, at: FieldPath, scope: BackendScope, context: ConvertContext): string | undefined {
  const ms = parseIstioDuration(text);
  const formatted = ms === undefined ? undefined : formatGatewayDuration(ms);
  if (!formatted) {
    context.notes.warning(
      "CONV322",
      `duration "${text}" cannot be written as a Gateway API duration: dropped`,
      scope.virtualService.source,
      at,
    );
    return undefined;
  }
  if (formatted.rounded) {
    context.notes.warning(
      "CONV322",
      `duration "${text}" rounded up to ${formatted.value} (Gateway API durations count whole milliseconds)`,
      scope.virtualService.source,
      at,
    );
  }
  return formatted.value;
}
