import {
  countOf,
  describeResource,
  sortFindings,
  summarize,
  type CheckedResource,
  type Finding,
  type FindingsReport,
} from "../../core/findings.js";
import type { Painter } from "../painter.js";

export interface TextOptions {
  painter: Painter;
  /** Print the summary line (always on unless the user asked for quiet output). */
  summary?: boolean;
  /** Only errors (and the summary). */
  quiet?: boolean;
  /** One line per kind skipped for lack of a schema. */
  listSkipped?: boolean;
  /** `--summary`: the summary line alone (no finding is formatted). */
  summaryOnly?: boolean;
}

/** `file:line:col: severity code message (Kind ns/name field)`, one finding per line, skipped kinds, then a summary. */
export function findingsToText(report: FindingsReport, options: TextOptions): string {
  const chalk = options.painter;
  if (options.summaryOnly) return `${summaryLine(report, chalk)}\n`;
  // One list, filled in one pass: most resources have no findings, and without -q every finding is shown.
  const shown: Finding[] = [];
  const onlyErrors = options.quiet === true;
  for (const finding of report.findings) if (!onlyErrors || finding.severity === "error") shown.push(finding);
  for (const resource of report.resources)
    for (const finding of resource.findings) if (!onlyErrors || finding.severity === "error") shown.push(finding);
  const lines = sortFindings(shown).map((finding) => findingLine(finding, chalk));
  if (options.listSkipped !== false && !options.quiet) lines.push(...skippedKindLines(report.resources, chalk));
  if (options.summary !== false) lines.push(summaryLine(report, chalk));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

export function findingLine(finding: Finding, chalk: Painter): string {
  const where = finding.file ? `${finding.file}:${finding.line ?? 1}:${finding.column ?? 1}: ` : "";
  const severity =
    finding.severity === "error"
      ? chalk.red(finding.severity)
      : finding.severity === "warning"
        ? chalk.yellow(finding.severity)
        : chalk.blue(finding.severity);
  // API-server style messages already start with the field path; do not repeat it.
  const path = finding.path && !startsWithPath(finding.message, finding.path) ? finding.path : "";
  const resource = describeResource(finding.resource);
  const context = resource && path ? `${resource} ${path}` : resource || path;
  return `${chalk.bold(where)}${severity} ${chalk.dim(finding.code)} ${finding.message}${context ? chalk.dim(` (${context})`) : ""}`;
}

/** Whether `message` starts with `path` and ": " (without building that text for every finding). */
function startsWithPath(message: string, path: string): boolean {
  return (
    message.length >= path.length + 2 &&
    message.charCodeAt(path.length) === 58 /* : */ &&
    message.charCodeAt(path.length + 1) === 32 &&
    message.startsWith(path)
  );
}

/** One line per kind without a schema (not per object): where it first occurs and how many objects were skipped. */
function skippedKindLines(resources: readonly CheckedResource[], chalk: Painter): string[] {
  const byKind = new Map<string, CheckedResource[]>();
  for (const resource of resources) {
    if (resource.skipped !== "no-schema") continue;
    const key = `${resource.resource.apiVersion ?? ""} ${resource.resource.kind ?? ""}`;
    byKind.set(key, [...(byKind.get(key) ?? []), resource]);
  }
  return [...byKind].map(([kind, skipped]) => {
    const first = skipped[0]!;
    return `${chalk.bold(`${first.file}:${first.line}:${first.column}: `)}${chalk.blue("skipped")} ${kind}: no schema, ${countOf(skipped.length, "object")} not validated${chalk.dim(
      ` (pass --crds with its CustomResourceDefinition to validate ${skipped.length === 1 ? "it" : "them"}, or --skip ${first.resource.kind ?? "the kind"})`,
    )}`;
  });
}

function summaryLine(report: FindingsReport, chalk: Painter): string {
  const summary = summarize(report);
  let line = `Summary: ${countOf(summary.resources, "object")} in ${countOf(summary.files, "file")} — ${summary.valid} valid, ${summary.invalid} invalid`;
  if (summary.skippedNoSchema > 0) line += `, ${summary.skippedNoSchema} skipped: no schema`;
  if (summary.skippedByFlag > 0) line += `, ${summary.skippedByFlag} skipped by --skip`;
  if (summary.unreadable > 0) line += `, ${countOf(summary.unreadable, "unreadable document")}`;
  if (summary.warnings > 0) line += `, ${countOf(summary.warnings, "warning")}`;
  const colour = summary.errors > 0 ? chalk.red : summary.warnings > 0 ? chalk.yellow : chalk.green;
  return colour(line);
}
