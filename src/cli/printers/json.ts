import { allFindings, resourceStatus, summarize, type FindingsReport } from "../../core/findings.js";

/** Bumped on any incompatible change of the JSON report; docs/validate.md describes each version. */
export const JSON_REPORT_SCHEMA_VERSION = 1;

/** One JSON value, a versioned envelope: the summary, every document with its status, and every finding. */
export function findingsToJson(report: FindingsReport, toolVersion: string): string {
  const value = {
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    tool: { name: "mesh", version: toolVersion },
    summary: summarize(report),
    resources: report.resources.map((resource) => ({
      file: resource.file,
      line: resource.line,
      column: resource.column,
      ...resource.resource,
      status: resourceStatus(resource),
      ...(resource.skipped ? { skipReason: resource.skipped } : {}),
    })),
    findings: allFindings(report),
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}
