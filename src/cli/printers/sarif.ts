import { allFindings, describeResource, type Finding, type FindingsReport } from "../../core/findings.js";

const levels = { error: "error", warning: "warning", info: "note" } as const;

/** SARIF 2.1.0, the format GitHub code scanning uploads accept. */
export function findingsToSarif(report: FindingsReport, toolVersion: string): string {
  const findings = allFindings(report);
  const ruleIds = [...new Set(findings.map((finding) => finding.code))].sort();
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "mesh",
            version: toolVersion,
            rules: ruleIds.map((id) => ({ id, name: id, shortDescription: { text: id } })),
          },
        },
        results: findings.map((finding) => result(finding, ruleIds.indexOf(finding.code))),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function result(finding: Finding, ruleIndex: number) {
  const context = [describeResource(finding.resource), finding.path ?? ""].filter(Boolean).join(" ");
  return {
    ruleId: finding.code,
    ruleIndex,
    level: levels[finding.severity],
    message: { text: context ? `${finding.message} (${context})` : finding.message },
    ...(finding.file
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(finding.file) },
                region: { startLine: finding.line ?? 1, startColumn: finding.column ?? 1 },
              },
            },
          ],
        }
      : {}),
  };
}

/** SARIF wants relative URIs with forward slashes; stdin has no file, so it gets a stable placeholder. */
function artifactUri(file: string): string {
  if (file === "<stdin>") return "stdin";
  return file.replace(/\\/g, "/").replace(/^\.\//, "").split("/").map(encodeURIComponent).join("/");
}
