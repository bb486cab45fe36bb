import { sortFindings, type Finding } from "../../../src/core/findings.js";

/** One finding per line, as a reviewer reads them: `line:col severity CODE message (path)`. */
export function formatFindingsForGolden(findings: readonly Finding[]): string {
  return sortFindings(findings)
    .map(
      (finding) =>
        `${finding.line ?? "-"}:${finding.column ?? "-"} ${finding.severity} ${finding.code} ${finding.message}${finding.path ? ` (${finding.path})` : ""}`,
    )
    .join("\n")
    .concat(findings.length > 0 ? "\n" : "");
}
