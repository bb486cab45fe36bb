import { Chalk } from "chalk";
import { allFindings, describeResource, summarize, type Finding, type FindingsReport } from "../../core/findings.js";

export interface TextOptions {
  color: boolean;
  /** Print the summary line (always on unless the user asked for quiet output). */
  summary?: boolean;
}

/** `file:line:col: severity code message (Kind ns/name field)`, one finding per line, then a summary. */
export function findingsToText(report: FindingsReport, options: TextOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const lines = allFindings(report).map((finding) => findingLine(finding, chalk));
  if (options.summary !== false) lines.push(summaryLine(report, chalk));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

export function findingLine(finding: Finding, chalk: InstanceType<typeof Chalk>): string {
  const where = finding.file ? `${finding.file}:${finding.line ?? 1}:${finding.column ?? 1}: ` : "";
  const severity =
    finding.severity === "error"
      ? chalk.red(finding.severity)
      : finding.severity === "warning"
        ? chalk.yellow(finding.severity)
        : chalk.blue(finding.severity);
  // API-server style messages already start with the field path; do not repeat it.
  const path = finding.path && !finding.message.startsWith(`${finding.path}: `) ? finding.path : "";
  const context = [describeResource(finding.resource), path].filter(Boolean).join(" ");
  return `${chalk.bold(where)}${severity} ${chalk.dim(finding.code)} ${finding.message}${context ? chalk.dim(` (${context})`) : ""}`;
}

function summaryLine(report: FindingsReport, chalk: InstanceType<typeof Chalk>): string {
  const summary = summarize(report);
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  let line = `Summary: ${plural(summary.resources, "resource")} in ${plural(summary.files, "file")} — ${summary.valid} valid, ${summary.invalid} invalid`;
  const fileLevelErrors = report.findings.filter((finding) => finding.severity === "error").length;
  if (fileLevelErrors > 0) line += `, ${plural(fileLevelErrors, "unreadable document")}`;
  if (summary.warnings > 0) line += `, ${plural(summary.warnings, "warning")}`;
  const colour = summary.errors > 0 ? chalk.red : summary.warnings > 0 ? chalk.yellow : chalk.green;
  return colour(line);
}
