import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderReport, reportFormats, parseReportFormat } from "../../../src/cli/printers/index.js";
import { UsageError } from "../../../src/core/errors.js";
import { sampleReport } from "./report-fixture.js";

const goldenDir = new URL("../../golden/printers/", import.meta.url);
const extensions = { text: "txt", json: "json", junit: "xml", sarif: "sarif.json", github: "txt" } as const;

/** Compares with a reviewed golden file; REFRESH_GOLDEN=1 rewrites it (review the diff before committing). */
function expectGolden(name: string, actual: string) {
  const file = new URL(name, goldenDir);
  if (process.env.REFRESH_GOLDEN === "1") {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, "utf8"));
}

describe("findings printers", () => {
  it.each(reportFormats)("%s matches its golden file", async (format) => {
    const output = await renderReport(format, sampleReport, { color: false, toolVersion: "0.0.0-test", sourceRoot: "/work/repo" });
    expectGolden(`report.${format}.${extensions[format]}`, output);
  });

  it("text prints one line per finding in file:line:col order, then the summary", async () => {
    const lines = (await renderReport("text", sampleReport, { color: false, toolVersion: "0" })).trimEnd().split("\n");
    expect(lines[0]).toBe(
      "manifests/broken.yaml:4:7: error yaml-syntax Flow sequence in block collection must be sufficiently indented and end with a ]",
    );
    expect(lines[1]).toMatch(
      /^manifests\/routes\.yaml:8:7: warning GWAPI_NO_MATCHING_PARENT .* \(HTTPRoute shop\/cart spec\.parentRefs\[0\]\)$/,
    );
    expect(lines.at(-1)).toBe("Summary: 3 objects in 2 files — 1 valid, 1 invalid, 1 skipped: no schema, 1 unreadable document, 1 warning");
  });

  it("text does not repeat a field path that the message already starts with", async () => {
    const finding = sampleReport.resources[0]!.findings[0]!;
    const report = {
      files: ["r.yaml"],
      resources: [],
      findings: [{ ...finding, file: "r.yaml", message: `${finding.path}: Required value` }],
    };
    const [line] = (await renderReport("text", report, { color: false, toolVersion: "0" })).split("\n");
    expect(line).toBe("r.yaml:12:15: error SCHEMA_ENUM spec.rules[0].matches[0].path.type: Required value (HTTPRoute shop/cart)");
  });

  it("text colours only when asked", async () => {
    const coloured = await renderReport("text", sampleReport, { color: true, toolVersion: "0" });
    expect(coloured).toContain("\u001b[31merror");
    expect(await renderReport("text", sampleReport, { color: false, toolVersion: "0" })).not.toContain("\u001b[");
  });

  it("json is a single parseable value with a summary", async () => {
    const value = JSON.parse(await renderReport("json", sampleReport, { color: false, toolVersion: "0" }));
    expect(value.schemaVersion).toBe(1);
    expect(value.summary).toMatchObject({
      files: 2,
      resources: 3,
      valid: 1,
      invalid: 1,
      skippedNoSchema: 1,
      unreadable: 1,
      errors: 2,
      warnings: 1,
    });
    expect(value.resources.map((resource: { status: string }) => resource.status)).toEqual(["invalid", "valid", "skipped"]);
    expect(value.findings).toHaveLength(3);
  });

  it("sarif is version 2.1.0 with one rule per code and regions for positions", async () => {
    const sarif = JSON.parse(await renderReport("sarif", sampleReport, { color: false, toolVersion: "1.2.3" }));
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual([
      "GWAPI_NO_MATCHING_PARENT",
      "SCHEMA_ENUM",
      "yaml-syntax",
    ]);
    expect(run.results[2].locations[0].physicalLocation.region).toEqual({ startLine: 12, startColumn: 15 });
    expect(run.results[1].level).toBe("warning");
  });

  it("github escapes newlines, percent signs, commas and colons as the runner requires", async () => {
    const output = await renderReport(
      "github",
      {
        files: ["a,b:c.yaml"],
        resources: [],
        findings: [
          { severity: "error", code: "x", origin: "yaml", message: "50% bad\nsecond line", file: "a,b:c.yaml", line: 2, column: 3 },
        ],
      },
      { color: false, toolVersion: "0" },
    );
    expect(output.split("\n")[0]).toBe("::error file=a%2Cb%3Ac.yaml,line=2,col=3,title=mesh x::50%25 bad%0Asecond line");
  });

  it("junit escapes XML and counts failures per file", async () => {
    const xml = await renderReport("junit", sampleReport, { color: false, toolVersion: "0" });
    expect(xml).toContain('<testsuites name="mesh validate" tests="4" failures="2" errors="0" skipped="1" time="0.002">');
    expect(xml).toContain('<skipped message="no schema for example.com/v1 Widget; not validated"/>');
    expect(xml).toContain("&quot;quoted&quot; &amp; &lt;tagged&gt;");
  });

  it("rejects an unknown format with a usage error listing the formats", () => {
    expect(() => parseReportFormat("xml")).toThrow(UsageError);
    expect(() => parseReportFormat("xml")).toThrow(/unknown output format "xml"/);
    expect(parseReportFormat(undefined)).toBe("text");
  });
});
