/** The one type that every stage produces (validation, conversion, install) and every printer consumes. */
export type Severity = "error" | "warning" | "info";

/** Which stage produced a finding; mirrors the API server's pipeline plus mesh's own stages. */
export type FindingOrigin =
  | "input"
  | "yaml"
  | "schema"
  | "cel"
  | "metadata"
  | "validation"
  | "webhook"
  | "analyzer"
  | "controller"
  | "convert"
  | "operator"
  | "install";

export interface ResourceIdentity {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}

export interface SourcePosition {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export interface Finding {
  severity: Severity;
  /** Stable, documented identifier such as `YAML001`, `SCHEMA_UNKNOWN_FIELD` or `CONV012`. */
  code: string;
  message: string;
  origin: FindingOrigin;
  file?: string;
  line?: number;
  column?: number;
  resource?: ResourceIdentity;
  /** API-server style field path, e.g. `spec.listeners[1].name`. */
  path?: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === "error");
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

// Equal strings compare equal without localeCompare, whose first call loads ICU's collator (~15 ms of a small run).
const compareText = (a: string, b: string): number => (a === b ? 0 : a.localeCompare(b));

/** Orders findings by file, position, then severity, so that every printer is deterministic. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareText(a.file ?? "", b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      severityRank[a.severity] - severityRank[b.severity] ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  );
}

/** `metadata.name`, `spec.listeners[1].name`, `metadata.labels[app.kubernetes.io/name]`. */
export type FieldPath = readonly (string | number)[];

/** `^[A-Za-z_$][A-Za-z0-9_$-]*$`, tested by character code: this runs for every finding's every path segment. */
function isIdentifier(segment: string): boolean {
  if (segment.length === 0) return false;
  for (let index = 0; index < segment.length; index++) {
    const code = segment.charCodeAt(index);
    const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;
    if (!letter && (index === 0 || !((code >= 48 && code <= 57) || code === 45))) return false;
  }
  return true;
}

export function formatFieldPath(path: FieldPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (isIdentifier(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${segment}]`;
  }
  return out;
}

/** Why a document was not validated: no schema for its kind (and not --strict), or its kind was given to --skip. */
export type SkipReason = "no-schema" | "skip-flag";

/** One resource (document) that a command read, with the findings about it. */
export interface CheckedResource {
  file: string;
  line: number;
  column: number;
  resource: ResourceIdentity;
  findings: Finding[];
  /** Set when the document was not validated at all: it is neither valid nor invalid. */
  skipped?: SkipReason;
  /** Time spent validating it, for JUnit's `time`. */
  durationMs?: number;
}

/** What `validate` (and every other checking command) hands to a printer. */
export interface FindingsReport {
  /** Inputs read, in order. */
  files: string[];
  resources: CheckedResource[];
  /** Findings not tied to one resource (YAML syntax errors, unreadable files). */
  findings: Finding[];
}

export interface ReportSummary {
  files: number;
  /** Documents that are Kubernetes objects (validated or skipped). */
  resources: number;
  valid: number;
  invalid: number;
  /** Documents not validated because mesh has no schema for their kind. */
  skippedNoSchema: number;
  /** Documents not validated because their kind was given to --skip. */
  skippedByFlag: number;
  /** Documents that could not be read (YAML errors and the like), each counted once. */
  unreadable: number;
  errors: number;
  warnings: number;
  infos: number;
}

export function allFindings(report: FindingsReport): Finding[] {
  return sortFindings([...report.findings, ...report.resources.flatMap((resource) => resource.findings)]);
}

export function summarize(report: FindingsReport): ReportSummary {
  // One pass that counts: no combined list of findings, no sort (allFindings would sort every finding only to count them).
  const counts = { error: 0, warning: 0, info: 0 };
  let invalid = 0;
  let skippedNoSchema = 0;
  let skippedByFlag = 0;
  for (const resource of report.resources) {
    let resourceHasErrors = false;
    for (const finding of resource.findings) {
      counts[finding.severity]++;
      if (finding.severity === "error") resourceHasErrors = true;
    }
    if (resourceHasErrors) invalid++;
    if (resource.skipped === "no-schema") skippedNoSchema++;
    else if (resource.skipped === "skip-flag") skippedByFlag++;
  }
  const unreadablePlaces = new Set<string>();
  for (const finding of report.findings) {
    counts[finding.severity]++;
    if (finding.severity === "error") unreadablePlaces.add(`${finding.file ?? ""}:${finding.line ?? 0}`);
  }
  return {
    files: report.files.length,
    resources: report.resources.length,
    valid: report.resources.length - invalid - skippedNoSchema - skippedByFlag,
    invalid,
    skippedNoSchema,
    skippedByFlag,
    unreadable: unreadablePlaces.size,
    errors: counts.error,
    warnings: counts.warning,
    infos: counts.info,
  };
}

export function describeResource(resource: ResourceIdentity | undefined): string {
  if (!resource) return "";
  const name = resource.name ?? "<unnamed>";
  return `${resource.kind ?? "<no kind>"} ${resource.namespace ? `${resource.namespace}/` : ""}${name}`;
}

/** The verdict on one document: skipped ones were not validated, so they are neither valid nor invalid. */
export function resourceStatus(resource: CheckedResource): "valid" | "invalid" | "skipped" {
  if (resource.skipped) return "skipped";
  return hasErrors(resource.findings) ? "invalid" : "valid";
}

/** "1 object", "2 objects". */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
