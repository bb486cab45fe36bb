import type { FieldPath } from "../findings.js";
import type { ConvertContext } from "./context.js";
import type { InputObject } from "./input.js";
import { hasKey, numberOf, recordOf, stringOf, type PlainRecord } from "./plain-data.js";

export const httpMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];

/** Match fields that narrow a match in Istio and have no HTTPRouteMatch form (docs/design/convert.md §7.2). */
const narrowingDropped = ["authority", "scheme", "port", "sourceLabels", "sourceNamespace", "gateways", "withoutHeaders"];

export interface ConvertedMatches {
  /** undefined: the entry had no `match` (matches every request). */
  matches: PlainRecord[] | undefined;
  /** `port` of every match (undefined: any port), for parentRef ports in `full`. */
  ports: (number | undefined)[];
}

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

/** Gateway API rejects Exact/PathPrefix values that are not clean absolute paths (the HTTPRoute path CEL rules, docs/design/validation.md §2.3). */
function isCleanPath(value: string): boolean {
  return (
    value.startsWith("/") &&
    !/\/\/|\/\.\/|\/\.\.\/|%2f|#/i.test(value) &&
    !/\/\.\.?$/.test(value) &&
    /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})+$/.test(value) &&
    value.length <= 1024
  );
}

export function convertMatches(entry: PlainRecord, at: FieldPath, virtualService: InputObject, context: ConvertContext): ConvertedMatches {
  // An entry without match serves every port.
  if (!Array.isArray(entry.match) || entry.match.length === 0) return { matches: undefined, ports: [undefined] };
  const matches: PlainRecord[] = [];
  const ports: (number | undefined)[] = [];
  entry.match.forEach((raw, index) => {
    const match = recordOf(raw) ?? {};
    const converted = convertMatch(match, [...at, "match", index], virtualService, context);
    for (const item of converted) {
      matches.push(Object.keys(item).length === 0 ? { path: { type: "PathPrefix", value: "/" } } : item);
      ports.push(numberOf(match.port));
    }
  });
  return { matches: context.full ? foldSegmentPrefixes(matches) : matches, ports };
}

function convertMatch(match: PlainRecord, at: FieldPath, virtualService: InputObject, context: ConvertContext): PlainRecord[] {
  const { notes, full } = context;
  const source = virtualService.source;
  const out: PlainRecord = {};
  const ignoreCase = match.ignoreUriCase === true;
  const uri = recordOf(match.uri);
  if (uri) {
    const path = convertUri(uri, full && ignoreCase, [...at, "uri"], virtualService, context);
    if (path) out.path = path;
  }
  const headers = headerMatches(recordOf(match.headers), [...at, "headers"], virtualService, context, "headers");
  if (headers.length > 0) out.headers = headers;
  const query = headerMatches(recordOf(match.queryParams), [...at, "queryParams"], virtualService, context, "queryParams");
  if (query.length > 0) out.queryParams = query;

  for (const field of narrowingDropped) {
    if (!hasKey(match, field)) continue;
    // full: a port every match agrees on becomes the parentRef port (http-routes.ts); disagreeing ports are an error there.
    if (field === "port" && full) continue;
    notes.error("CONV301", `match.${field} has no Gateway API form and is dropped: the match gets broader`, source, [...at, field]);
  }
  if (ignoreCase && !(full && uri)) {
    notes.error("CONV301", "match.ignoreUriCase is dropped: paths now match case-sensitively", source, [...at, "ignoreUriCase"]);
  }
  for (const field of ["statPrefix", "name"]) {
    if (hasKey(match, field)) notes.info("CONV301", `match.${field} is dropped`, source, [...at, field]);
  }

  const method = recordOf(match.method);
  if (!method) return [out];
  const exact = stringOf(method.exact);
  if (exact !== undefined) {
    const upper = exact.toUpperCase();
    if (httpMethods.includes(upper)) return [{ ...out, method: upper }];
    notes.error("CONV302", `method "${exact}" is not one Gateway API can match: condition dropped, the match gets broader`, source, [
      ...at,
      "method",
    ]);
    return [out];
  }
  const regex = stringOf(method.regex);
  if (full && regex !== undefined) {
    const alternatives = regex
      .replace(/^\^?\(?|\)?\$?$/g, "")
      .split("|")
      .map((item) => item.toUpperCase());
    if (alternatives.length > 0 && alternatives.every((item) => httpMethods.includes(item))) {
      notes.info("CONV302", `method regex "${regex}" becomes one match per method`, source, [...at, "method"]);
      return alternatives.map((item) => ({ ...out, method: item }));
    }
  }
  notes.error("CONV302", "method.regex / method.prefix cannot be converted: condition dropped, the match gets broader", source, [
    ...at,
    "method",
  ]);
  return [out];
}

function convertUri(
  uri: PlainRecord,
  ignoreCase: boolean,
  at: FieldPath,
  virtualService: InputObject,
  context: ConvertContext,
): PlainRecord | undefined {
  const { notes, full } = context;
  const source = virtualService.source;
  const exact = stringOf(uri.exact);
  const prefix = stringOf(uri.prefix);
  const regex = stringOf(uri.regex);
  if (exact === undefined && prefix === undefined && regex === undefined) {
    notes.error("CONV302", "uri without exact, prefix or regex cannot be converted: condition dropped", source, at);
    return undefined;
  }
  if (ignoreCase) {
    const value = exact !== undefined ? escapeRegex(exact) : prefix !== undefined ? `${escapeRegex(prefix)}.*` : regex!;
    notes.info("CONV301", "ignoreUriCase becomes a case-insensitive RegularExpression path match", source, at);
    return { type: "RegularExpression", value: `(?i)${value}` };
  }
  if (regex !== undefined) return { type: "RegularExpression", value: regex };
  const value = (exact ?? prefix)!;
  if (full && !isCleanPath(value)) {
    notes.info("CONV302", `path "${value}" is not accepted as an Exact/PathPrefix value: written as a RegularExpression`, source, at);
    return { type: "RegularExpression", value: exact !== undefined ? escapeRegex(value) : `${escapeRegex(value)}.*` };
  }
  if (exact !== undefined) return { type: "Exact", value: exact };
  if (!prefix!.endsWith("/")) {
    notes.once(`CONV319/${virtualService.namespace}/${virtualService.name}`, () =>
      notes.info(
        "CONV319",
        `prefix "${prefix}" does not end with "/": Istio matched it as a string prefix (also "${prefix}x"), Gateway API matches whole path segments`,
        source,
        at,
      ),
    );
  }
  return { type: "PathPrefix", value: prefix };
}

function headerMatches(
  record: PlainRecord | undefined,
  at: FieldPath,
  virtualService: InputObject,
  context: ConvertContext,
  field: "headers" | "queryParams",
): PlainRecord[] {
  if (!record) return [];
  const { notes, full } = context;
  const out: PlainRecord[] = [];
  for (const name of Object.keys(record).sort()) {
    const condition = recordOf(record[name]) ?? {};
    const exact = stringOf(condition.exact);
    const regex = stringOf(condition.regex);
    const prefix = stringOf(condition.prefix);
    if (exact !== undefined) out.push({ type: "Exact", name, value: exact });
    else if (regex !== undefined) out.push({ type: "RegularExpression", name, value: regex });
    else if (full && field === "headers" && prefix !== undefined)
      out.push({ type: "RegularExpression", name, value: `${escapeRegex(prefix)}.*` });
    else if (full && field === "headers" && Object.keys(condition).length === 0) out.push({ type: "RegularExpression", name, value: ".*" });
    else {
      const form = prefix !== undefined ? "a prefix" : Object.keys(condition).length === 0 ? "a presence" : "this";
      notes.error(
        "CONV302",
        `${field} "${name}": ${form} match cannot be converted; condition dropped, the match gets broader`,
        virtualService.source,
        [...at, name],
      );
    }
  }
  return out;
}

/**
 * The reverse command writes a Gateway API PathPrefix `P` as Istio `{exact: P}, {prefix: P/}`;
 * `full` folds such neighbours back into one PathPrefix.
 */
function foldSegmentPrefixes(matches: PlainRecord[]): PlainRecord[] {
  const out: PlainRecord[] = [];
  for (let i = 0; i < matches.length; i++) {
    const current = matches[i]!;
    const next = matches[i + 1];
    const path = recordOf(current.path);
    const nextPath = recordOf(next?.path);
    if (next && path?.type === "Exact" && nextPath?.type === "PathPrefix" && nextPath.value === `${String(path.value)}/`) {
      const rest = (match: PlainRecord) => JSON.stringify({ ...match, path: undefined });
      if (rest(current) === rest(next)) {
        out.push({ ...current, path: { type: "PathPrefix", value: path.value } });
        i++;
        continue;
      }
    }
    out.push(current);
  }
  return out;
}
