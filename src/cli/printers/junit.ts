import { describeResource, sortFindings, type Finding, type FindingsReport } from "../../core/findings.js";

/** JUnit XML as Jenkins, GitLab and the GitHub test reporters read it: a suite per file, a case per resource. */
export function findingsToJunit(report: FindingsReport): string {
  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  for (const file of report.files) {
    const cases: string[] = [];
    let failures = 0;
    const fileFindings = sortFindings(report.findings.filter((finding) => finding.file === file));
    if (fileFindings.length > 0) {
      const errors = fileFindings.filter((finding) => finding.severity === "error");
      if (errors.length > 0) failures++;
      cases.push(testCase(file, file, errors, fileFindings));
    }
    for (const resource of report.resources.filter((candidate) => candidate.file === file)) {
      const errors = resource.findings.filter((finding) => finding.severity === "error");
      if (errors.length > 0) failures++;
      const name = `${describeResource(resource.resource)} (${file}:${resource.line})`;
      cases.push(testCase(name, file, errors, sortFindings(resource.findings)));
    }
    totalTests += cases.length;
    totalFailures += failures;
    suites.push(
      `  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">\n${cases.join("")}  </testsuite>\n`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="mesh validate" tests="${totalTests}" failures="${totalFailures}" errors="0">\n` +
    suites.join("") +
    `</testsuites>\n`
  );
}

function testCase(name: string, classname: string, errors: Finding[], all: Finding[]): string {
  const open = `    <testcase name="${xml(name)}" classname="${xml(classname)}"`;
  if (all.length === 0) return `${open}/>\n`;
  const body: string[] = [];
  if (errors.length > 0) {
    const text = errors.map(findingText).join("\n");
    body.push(`      <failure message="${xml(errors[0]!.message)}" type="${xml(errors[0]!.code)}">${xml(text)}</failure>\n`);
  }
  const others = all.filter((finding) => finding.severity !== "error");
  if (others.length > 0) body.push(`      <system-out>${xml(others.map(findingText).join("\n"))}</system-out>\n`);
  return `${open}>\n${body.join("")}    </testcase>\n`;
}

function findingText(finding: Finding): string {
  const where = finding.file ? `${finding.file}:${finding.line ?? 1}:${finding.column ?? 1}: ` : "";
  return `${where}${finding.severity} ${finding.code} ${finding.message}${finding.path ? ` (${finding.path})` : ""}`;
}

function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}
