import { isAbsolute, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { FINDINGS_DOCS_URL, findingCode, findingDocsUrl } from "../../core/finding-codes.js";
import { allFindings, describeResource, type Finding, type FindingsReport } from "../../core/findings.js";

const levels = { error: "error", warning: "warning", info: "note" } as const;
const SOURCE_ROOT = "%SRCROOT%";

/**
 * SARIF 2.1.0, the format GitHub code scanning uploads accept. Rules carry the catalogue's descriptions and
 * help links; locations are relative to `%SRCROOT%` (the repository root or working directory) so code scanning
 * maps them onto the checked-out files.
 */
export function findingsToSarif(report: FindingsReport, toolVersion: string, sourceRoot: string): string {
  const findings = allFindings(report);
  const ruleIds = [...new Set(findings.map((finding) => finding.code))].sort();
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: { name: "mesh", version: toolVersion, informationUri: FINDINGS_DOCS_URL, rules: ruleIds.map(rule) },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: directoryUri(sourceRoot) } },
        results: findings.map((finding) => result(finding, ruleIds.indexOf(finding.code), sourceRoot)),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function rule(id: string) {
  const entry = findingCode(id);
  if (!entry) return { id, name: id, shortDescription: { text: id }, fullDescription: { text: `mesh finding ${id}` } };
  return {
    id,
    name: id,
    shortDescription: { text: entry.summary },
    fullDescription: { text: entry.description },
    helpUri: findingDocsUrl(id),
    defaultConfiguration: { level: levels[entry.level] },
  };
}

function result(finding: Finding, ruleIndex: number, sourceRoot: string) {
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
                artifactLocation: artifactLocation(finding.file, sourceRoot),
                region: { startLine: finding.line ?? 1, startColumn: finding.column ?? 1 },
              },
            },
          ],
        }
      : {}),
  };
}

/** Relative to %SRCROOT% with forward slashes; a file outside it keeps an absolute file URI; stdin has no file. */
function artifactLocation(file: string, sourceRoot: string): { uri: string; uriBaseId?: string } {
  if (file === "<stdin>") return { uri: "stdin" };
  const relativePath = isAbsolute(file) ? relative(sourceRoot, file) : file;
  if (relativePath.startsWith("..") || isAbsolute(relativePath)) return { uri: pathToFileURL(file).href };
  const uri = relativePath.split(sep).join("/").replace(/\\/g, "/").replace(/^\.\//, "").split("/").map(encodeURIComponent).join("/");
  return { uri, uriBaseId: SOURCE_ROOT };
}

function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith("/") ? href : `${href}/`;
}
