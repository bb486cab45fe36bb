import { allFindings, countOf, describeResource, summarize, type Finding, type FindingsReport } from "../../core/findings.js";

const commands = { error: "error", warning: "warning", info: "notice" } as const;

/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the file and line. Skipped objects
 * have no findings, so they annotate nothing (under --strict a missing schema is an error finding).
 */
export function findingsToGithub(report: FindingsReport): string {
  const lines = allFindings(report).map(annotation);
  const summary = summarize(report);
  let line = `${countOf(summary.resources, "object")} in ${countOf(summary.files, "file")}: ${summary.valid} valid, ${summary.invalid} invalid`;
  if (summary.skippedNoSchema > 0) line += `, ${summary.skippedNoSchema} skipped: no schema`;
  if (summary.skippedByFlag > 0) line += `, ${summary.skippedByFlag} skipped by --skip`;
  lines.push(line);
  return `${lines.join("\n")}\n`;
}

function annotation(finding: Finding): string {
  const properties: string[] = [];
  if (finding.file) {
    properties.push(`file=${escapeProperty(finding.file)}`);
    properties.push(`line=${finding.line ?? 1}`);
    properties.push(`col=${finding.column ?? 1}`);
  }
  properties.push(`title=${escapeProperty(`mesh ${finding.code}`)}`);
  const context = [describeResource(finding.resource), finding.path ?? ""].filter(Boolean).join(" ");
  const message = context ? `${finding.message} (${context})` : finding.message;
  return `::${commands[finding.severity]} ${properties.join(",")}::${escapeData(message)}`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
