import type { FieldPath } from "../../../findings.js";
import type { AnalysisContext, Analyzer } from "../analyzer.js";
import { VirtualServiceIneffectiveMatch, VirtualServiceUnreachableRule } from "../messages.js";
import type { AnalyzedResource } from "../resource.js";
import { integer, record, records, specOf, text, type Json } from "../values.js";

/**
 * Istio's webhook warnings about rule order, reported by istioctl analyze: a rule after a rule without matches, or
 * whose matches all repeat earlier ones, is never used (IST0130); a match repeating an earlier one, or an HTTP prefix
 * match covered by an earlier prefix match with the same other conditions, has no effect (IST0131). For http, tcp
 * and tls rules alike.
 */
export const virtualServiceUnreachableRules: Analyzer = {
  name: "schema.ValidationAnalyzer.VirtualService",
  description: "Reports VirtualService rules and matches that can never be used",
  codes: [VirtualServiceUnreachableRule.code, VirtualServiceIneffectiveMatch.code],
  inputs: ["networking.istio.io/VirtualService"],
  analyze(context) {
    for (const vs of context.of("networking.istio.io/VirtualService")) {
      const spec = specOf(vs.object);
      for (const kind of ["http", "tcp", "tls"] as const) checkRules(context, vs, kind, records(spec[kind]));
    }
  },
};

interface PrefixMatch {
  rule: string;
  match: string;
  prefix: string;
  port: number | undefined;
  method: string;
  authority: string;
  headers: Map<string, string>;
  queryParams: Map<string, string>;
  withoutHeaders: Map<string, string>;
  path: FieldPath;
}

function checkRules(context: AnalysisContext, vs: AnalyzedResource, kind: "http" | "tcp" | "tls", rules: Json[]): void {
  const seen = new Map<string, number>();
  let catchAll = -1;
  const prefixes: PrefixMatch[] = [];
  const ruleName = (rule: Json, index: number) => (kind === "http" && text(rule.name) ? JSON.stringify(rule.name) : `#${index}`);
  rules.forEach((rule, ruleIndex) => {
    const at: FieldPath = ["spec", kind, ruleIndex];
    const matches = records(rule.match);
    if (matches.length === 0) {
      if (catchAll >= 0)
        context.report(vs, VirtualServiceUnreachableRule, at, ruleName(rule, ruleIndex), "only the last rule can have no matches");
      catchAll = ruleIndex;
      return;
    }
    let duplicates = 0;
    matches.forEach((match, matchIndex) => {
      const matchAt: FieldPath = [...at, "match", matchIndex];
      if (catchAll >= 0) {
        context.report(vs, VirtualServiceUnreachableRule, matchAt, ruleName(rule, ruleIndex), "route without matches defined before");
        return;
      }
      const key = canonical(match, kind === "http" ? "name" : undefined);
      const earlier = seen.get(key);
      const matchName = kind === "http" && text(match.name) ? JSON.stringify(match.name) : `#${matchIndex}`;
      if (earlier !== undefined) {
        context.report(
          vs,
          VirtualServiceIneffectiveMatch,
          matchAt,
          ruleName(rule, ruleIndex),
          matchName,
          ruleName(rules[earlier]!, earlier),
        );
        duplicates++;
        return;
      }
      seen.set(key, ruleIndex);
      if (kind === "http") {
        const prefix = prefixMatch(match, ruleName(rule, ruleIndex), matchName, matchAt);
        if (prefix) prefixes.push(prefix);
      }
    });
    if (duplicates === matches.length)
      context.report(vs, VirtualServiceUnreachableRule, at, ruleName(rule, ruleIndex), "all matches used by prior rules");
  });
  prefixes.forEach((earlier, index) => {
    for (const later of prefixes.slice(index + 1)) {
      if (later.prefix === earlier.prefix || !covers(earlier, later)) continue;
      context.report(
        vs,
        VirtualServiceIneffectiveMatch,
        later.path,
        later.rule,
        `${later.match} of prefix ${later.prefix}`,
        `${earlier.match} of prefix ${earlier.prefix} on ${earlier.rule}`,
      );
    }
  });
}

/**
 * JSON with sorted keys and without zero values, so that matches written differently but meaning the same compare
 * equal; `skipKey` (a match's name) is left out at the top. Written straight out, without a copy of the value: the
 * text is JSON.stringify's of the value with its zero values dropped (empty lists and objects, null, false, 0, "")
 * and its keys sorted, where JSON.stringify puts array-index keys first in numeric order.
 */
export function canonical(value: unknown, skipKey?: string): string {
  return canonicalText(value, skipKey) ?? "null";
}

function canonicalText(value: unknown, skipKey?: string): string | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    let out = "[";
    for (let index = 0; index < value.length; index++) out += (index === 0 ? "" : ",") + (canonicalText(value[index]) ?? "null");
    return out + "]";
  }
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value);
    // Object.keys lists array-index keys first, in numeric order; JSON.stringify keeps them there, whatever their insertion.
    let indexKeys = 0;
    while (indexKeys < keys.length && isArrayIndex(keys[indexKeys]!)) indexKeys++;
    const ordered = indexKeys === 0 ? keys.sort() : [...keys.slice(0, indexKeys), ...keys.slice(indexKeys).sort()];
    let out = "";
    for (const key of ordered) {
      // An own `__proto__` key never made it into the sorted copy this text stands for.
      if (key === skipKey || key === "__proto__") continue;
      const entry = canonicalText((value as Json)[key]);
      if (entry !== undefined) out += (out === "" ? "{" : ",") + JSON.stringify(key) + ":" + entry;
    }
    return out === "" ? undefined : out + "}";
  }
  if (value === null || value === undefined || value === false || value === 0 || value === "") return undefined;
  return JSON.stringify(value);
}

function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (first < 48 || first > 57) return false;
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

function exactOrPrefix(value: unknown): string {
  const match = record(value);
  if (text(match.exact)) return `exact:${text(match.exact)}`;
  if (text(match.prefix)) return `prefix:${text(match.prefix)}`;
  return "";
}

function conditionMap(value: unknown): Map<string, string> {
  return new Map(Object.entries(record(value)).map(([key, condition]) => [key, exactOrPrefix(condition)]));
}

function prefixMatch(match: Json, rule: string, matchName: string, path: FieldPath): PrefixMatch | undefined {
  const prefix = text(record(match.uri).prefix);
  if (!prefix) return undefined;
  return {
    rule,
    match: matchName,
    prefix,
    port: integer(match.port),
    method: exactOrPrefix(match.method) || "exact:GET",
    authority: exactOrPrefix(match.authority),
    headers: conditionMap(match.headers),
    queryParams: conditionMap(match.queryParams),
    withoutHeaders: conditionMap(match.withoutHeaders),
    path,
  };
}

/** Istio's rule for "the earlier prefix match takes every request of the later one". */
function covers(earlier: PrefixMatch, later: PrefixMatch): boolean {
  if (!later.prefix.startsWith(earlier.prefix) || later.port !== earlier.port) return false;
  if (earlier.method !== later.method && !earlier.method.startsWith(later.method)) return false;
  if (earlier.authority !== later.authority && !earlier.authority.startsWith(later.authority)) return false;
  return [
    [earlier.headers, later.headers],
    [earlier.queryParams, later.queryParams],
    [earlier.withoutHeaders, later.withoutHeaders],
  ].every(([a, b]) => {
    if (a!.size !== b!.size) return false;
    for (const [key, value] of a!) {
      const other = b!.get(key);
      if (other === undefined || (value !== other && !value.startsWith(other))) return false;
    }
    return true;
  });
}
