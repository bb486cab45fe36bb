import { describeResource, sortFindings, type CheckedResource, type Finding, type FindingsReport } from "../../core/findings.js";

/**
 * JUnit XML as Jenkins, GitLab and the GitHub test reporters read it: a suite per file, a case per document.
 * A rejected document's failure text lists every finding about it; a document mesh had no schema for is
 * `<skipped/>`, not passed.
 */
export function findingsToJunit(report: FindingsReport): string {
  const suites: string[] = [];
  let totals = { tests: 0, failures: 0, skipped: 0, seconds: 0 };
  for (const file of report.files) {
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    let seconds = 0;
    const fileFindings = sortFindings(report.findings.filter((finding) => finding.file === file));
    if (fileFindings.length > 0) {
      if (fileFindings.some((finding) => finding.severity === "error")) failures++;
      cases.push(testCase(file, file, fileFindings, 0));
    }
    for (const resource of report.resources.filter((candidate) => candidate.file === file)) {
      const name = `${describeResource(resource.resource)} (${file}:${resource.line})`;
      const caseSeconds = (resource.durationMs ?? 0) / 1000;
      seconds += caseSeconds;
      if (resource.skipped) {
        skipped++;
        cases.push(skippedCase(name, file, resource, caseSeconds));
        continue;
      }
      const findings = sortFindings(resource.findings);
      if (findings.some((finding) => finding.severity === "error")) failures++;
      cases.push(testCase(name, file, findings, caseSeconds));
    }
    totals = {
      tests: totals.tests + cases.length,
      failures: totals.failures + failures,
      skipped: totals.skipped + skipped,
      seconds: totals.seconds + seconds,
    };
    suites.push(
      `  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time(seconds)}">\n${cases.join("")}  </testsuite>\n`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="mesh validate" tests="${totals.tests}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}" time="${time(totals.seconds)}">\n` +
    suites.join("") +
    `</testsuites>\n`
  );
}

function testCase(name: string, classname: string, findings: Finding[], seconds: number): string {
  const open = `    <testcase name="${xml(name)}" classname="${xml(classname)}" time="${time(seconds)}"`;
  if (findings.length === 0) return `${open}/>\n`;
  const errors = findings.filter((finding) => finding.severity === "error");
  const text = xml(findings.map(findingText).join("\n"));
  if (errors.length > 0) {
    const message = errors.length === 1 ? errors[0]!.message : `${errors.length} errors; first: ${errors[0]!.message}`;
    return `${open}>\n      <failure message="${xml(message)}" type="${xml(errors[0]!.code)}">${text}</failure>\n    </testcase>\n`;
  }
  return `${open}>\n      <system-out>${text}</system-out>\n    </testcase>\n`;
}

function skippedCase(name: string, classname: string, resource: CheckedResource, seconds: number): string {
  const kind = `${resource.resource.apiVersion ?? ""} ${resource.resource.kind ?? ""}`.trim();
  const message = resource.skipped === "no-schema" ? `no schema for ${kind}; not validated` : `${kind} skipped by --skip`;
  return `    <testcase name="${xml(name)}" classname="${xml(classname)}" time="${time(seconds)}">\n      <skipped message="${xml(message)}"/>\n    </testcase>\n`;
}

function findingText(finding: Finding): string {
  const where = finding.file ? `${finding.file}:${finding.line ?? 1}:${finding.column ?? 1}: ` : "";
  return `${where}${finding.severity} ${finding.code} ${finding.message}${finding.path ? ` (${finding.path})` : ""}`;
}

function time(seconds: number): string {
  return seconds.toFixed(3);
}

function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}
