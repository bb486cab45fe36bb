import type { FieldPath } from "../../findings.js";
import { shownValue, type FieldError } from "../field-errors.js";
import { isCIDR, isIP } from "../formats.js";
import { qualifiedNameProblems, labelValueProblems } from "../metadata.js";
import { re2SyntaxError } from "../patterns.js";
import { parseGoDuration } from "../../durations.js";
import { isIstioDnsLabel } from "../../dns-names.js";

/** The shared building blocks of Istio's webhook (docs/design/validation.md §3.1), returning problems as text. */

export type Reporter = (path: FieldPath, detail: string, options?: { warning?: boolean; value?: unknown; hint?: string }) => void;

export function collector(code: string): { errors: FieldError[]; report: Reporter } {
  const errors: FieldError[] = [];
  const report: Reporter = (path, detail, options = {}) => {
    errors.push({
      type: options.value === undefined ? "Message" : "Invalid",
      path,
      code,
      origin: "webhook",
      shown: options.value === undefined ? undefined : shownValue(options.value),
      detail,
      hint: options.hint,
      severity: options.warning ? "warning" : "error",
    });
  };
  return { errors, report };
}

/**
 * Durations repeat across objects (every `timeout: 5s`): the verdicts of the pure check on them are kept, bounded,
 * by text ("" for no problem).
 */
const REMEMBERED_TEXTS = 4096;
const durationVerdicts = new Map<string, string>();

function remembered(verdicts: Map<string, string>, text: string, check: (text: string) => string | undefined): string | undefined {
  let verdict = verdicts.get(text);
  if (verdict === undefined) {
    verdict = check(text) ?? "";
    if (verdicts.size >= REMEMBERED_TEXTS) verdicts.clear();
    verdicts.set(text, verdict);
  }
  return verdict === "" ? undefined : verdict;
}

/** Istio's FQDN check: ≤255, labels are DNS labels, the last is not all digits, a trailing dot allowed. */
export function fqdnProblem(host: string): string | undefined {
  // Most hosts are fine and each is met a few times: one scan says so, cheaper than hashing it for a memo.
  return isIstioFqdn(host) ? undefined : fqdnProblemDetail(host);
}

const DOT = 46;
const DASH = 45;
const MAX_LABEL_LENGTH = 63;

/**
 * fqdnProblem's "no problem" in one scan without allocating: 1–255 characters, an optional trailing dot, then
 * dot-separated labels of 1–63 letters, digits and `-` that neither start nor end with `-`, the last not all digits.
 */
export function isIstioFqdn(host: string): boolean {
  if (host.length === 0 || host.length > 255) return false;
  const end = host.charCodeAt(host.length - 1) === DOT ? host.length - 1 : host.length;
  let labelStart = 0;
  let digitsOnly = true;
  for (let index = 0; index <= end; index++) {
    const code = index < end ? host.charCodeAt(index) : DOT;
    if (code === DOT) {
      const length = index - labelStart;
      if (length === 0 || length > MAX_LABEL_LENGTH || host.charCodeAt(labelStart) === DASH || host.charCodeAt(index - 1) === DASH)
        return false;
      if (index === end) return !digitsOnly;
      labelStart = index + 1;
      digitsOnly = true;
    } else if (code >= 48 && code <= 57) {
      continue;
    } else if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === DASH) {
      digitsOnly = false;
    } else {
      return false;
    }
  }
  return false;
}

/** What is wrong with a host that is not an FQDN (undefined when nothing is: isIstioFqdn's slow twin). */
export function fqdnProblemDetail(host: string): string | undefined {
  if (host.length === 0) return "domain name cannot be empty";
  if (host.length > 255) return `domain name ${JSON.stringify(host)} too long (max 255)`;
  const labels = (host.endsWith(".") ? host.slice(0, -1) : host).split(".");
  if (/^[0-9]+$/.test(labels[labels.length - 1]!))
    return `domain name ${JSON.stringify(host)} invalid (top level domain cannot be all-numeric)`;
  for (const label of labels) {
    if (!isIstioDnsLabel(label)) return `domain name ${JSON.stringify(host)} invalid (label ${JSON.stringify(label)} invalid)`;
  }
  return undefined;
}

/** A wildcard domain: FQDN check where the first label may be `*`, `*label` or `*-label`. */
export function wildcardDomainProblem(host: string): string | undefined {
  return host.charCodeAt(0) === 42 /* * */ ? checkWildcardDomain(host) : fqdnProblem(host);
}

function checkWildcardDomain(host: string): string | undefined {
  if (host.length === 0) return "domain name cannot be empty";
  if (host.length > 255) return `domain name ${JSON.stringify(host)} too long (max 255)`;
  if (host === "*") return undefined;
  if (host.startsWith("*")) {
    const rest = host.slice(1);
    if (rest.startsWith(".")) return fqdnProblem(rest.slice(1));
    if (rest === "") return undefined;
    const dot = rest.indexOf(".");
    const first = dot === -1 ? rest : rest.slice(0, dot);
    const body = first.startsWith("-") ? first.slice(1) : first;
    if (body !== "" && !isIstioDnsLabel(body))
      return `domain name ${JSON.stringify(host)} invalid (label ${JSON.stringify(first)} invalid)`;
    return dot === -1 ? undefined : fqdnProblem(rest.slice(dot + 1));
  }
  return fqdnProblem(host);
}

/** A `*` other than the whole host or a leading `*.`. */
export function hasPartialWildcard(host: string): boolean {
  if (host === "*") return false;
  const rest = host.startsWith("*.") ? host.slice(2) : host;
  return rest.includes("*");
}

export function isPort(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
}

export function isIPOrCidr(text: string): boolean {
  return isIP(text) || isCIDR(text);
}

export function labelMapProblems(labels: unknown): string[] {
  if (typeof labels !== "object" || labels === null) return [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    for (const problem of qualifiedNameProblems(key)) problems.push(`invalid label key ${JSON.stringify(key)}: ${problem}`);
    if (typeof value === "string")
      for (const problem of labelValueProblems(value)) problems.push(`invalid label value ${JSON.stringify(value)}: ${problem}`);
  }
  return problems;
}

/** Regex fields (match regex, rewrite regex, CORS origins): non-empty, ≤1024 chars, valid RE2. */
export function regexProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return "regex string match should not be empty";
  if (pattern.length > 1024) return `regex is too large (${pattern.length} characters, max 1024)`;
  const syntax = re2SyntaxError(pattern);
  return syntax === undefined ? undefined : `${JSON.stringify(pattern)} is not a valid RE2 regex: ${syntax}`;
}

/** Istio durations: ≥1 ms and whole milliseconds (protobuf Duration as the webhook checks it). */
export function durationProblem(text: unknown): string | undefined {
  if (typeof text !== "string") return 'duration must be a string such as "10s"';
  return remembered(durationVerdicts, text, checkDuration);
}

function checkDuration(text: string): string | undefined {
  const nanos = parseGoDuration(text);
  if (nanos === undefined) return `${JSON.stringify(text)} is not a duration; use Go syntax such as 300ms, 10s, 1m30s`;
  if (nanos < 1e6) return "duration must be greater than 1ms";
  if (Math.round(nanos) % 1e6 !== 0) return "only durations to ms precision are supported";
  return undefined;
}

const tokenName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isHeaderToken(name: string): boolean {
  return tokenName.test(name);
}

export function headerValueProblem(value: string): string | undefined {
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return `header value ${JSON.stringify(value)} contains control characters`;
  const stripped = value.replace(/%%/g, "").replace(/%[A-Z_][A-Z0-9_]*(?:\([^)]*\))?(?::[0-9]+)?%/g, "");
  if (stripped.includes("%")) return `header value ${JSON.stringify(value)}: '%' must start an Envoy %VARIABLE% or be escaped as %%`;
  return undefined;
}

/** exportTo entries: unique, `.`, `*`, `~` (ServiceEntry) or a DNS label; `*` and `~` stand alone. */
export function exportToProblems(exportTo: unknown, namespace: string, allowTilde: boolean): string[] {
  if (!Array.isArray(exportTo)) return [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of exportTo) {
    if (typeof entry !== "string") continue;
    const normalized = entry === "." ? namespace : entry;
    if (seen.has(normalized)) problems.push(`duplicate entries in exportTo: ${JSON.stringify(entry)}`);
    seen.add(normalized);
    if (entry === "~" && !allowTilde) problems.push("exportTo ~ (none) is not allowed for this kind");
    else if (entry !== "." && entry !== "*" && entry !== "~" && !isIstioDnsLabel(entry))
      problems.push(`invalid namespace in exportTo: ${JSON.stringify(entry)}`);
  }
  if (exportTo.length > 1 && (seen.has("*") || seen.has("~"))) problems.push("exportTo * or ~ must be the only entry");
  return problems;
}
