import { allFindings, summarize, type FindingsReport } from "../../core/findings.js";

/** One JSON value: the summary, every resource with its verdict, and every finding. */
export function findingsToJson(report: FindingsReport): string {
  const value = {
    summary: summarize(report),
    resources: report.resources.map((resource) => ({
      file: resource.file,
      line: resource.line,
      column: resource.column,
      ...resource.resource,
      valid: !resource.findings.some((finding) => finding.severity === "error"),
    })),
    findings: allFindings(report),
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}
