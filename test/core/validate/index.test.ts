import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseManifestText, type SourceDocument } from "../../../src/core/documents/index.js";
import type { Finding } from "../../../src/core/findings.js";
import { analyzeChecked, checkDocuments, defaultValidateOptions } from "../../../src/core/validate/index.js";

const fixtures = fileURLToPath(new URL("../../fixtures/analyze/", import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? yamlFiles(join(dir, entry.name)) : entry.name.endsWith(".yaml") ? [join(dir, entry.name)] : [],
  );
}

/** Every analyser fixture, one document list per file (their findings cover most analysers). */
const inputs: SourceDocument[][] = yamlFiles(fixtures).map((file) => parseManifestText(readFileSync(file, "utf8"), file).documents);

const withoutPlace = ({ file, line, column, ...rest }: Finding) => {
  void [file, line, column];
  return rest;
};

describe("analyzeChecked", () => {
  it("leaves findings unplaced only when asked, without reading any document position", () => {
    let findings = 0;
    for (const documents of inputs) {
      const placed = analyzeChecked(
        checkDocuments(documents, defaultValidateOptions),
        (index) => documents[index]!,
        defaultValidateOptions,
      );
      let asked = 0;
      const unplaced = analyzeChecked(
        checkDocuments(documents, defaultValidateOptions),
        () => {
          asked++;
          return { locate: () => ({ file: "elsewhere", line: 0, column: 0 }) };
        },
        defaultValidateOptions,
        "unplaced",
      );
      expect(asked).toBe(0);
      expect(unplaced.resources.length).toBe(placed.resources.length);
      placed.resources.forEach((resource, index) => {
        const other = unplaced.resources[index]!;
        const analysed = resource.findings.filter((finding) => finding.origin === "analyzer" || finding.origin === "controller");
        findings += analysed.length;
        for (const finding of analysed) expect(finding.line).toBeGreaterThan(0);
        // Findings of the checks before analysis keep their places; analysers' ones lose only theirs.
        expect(other.findings.length).toBe(resource.findings.length);
        for (const [at, finding] of other.findings.entries())
          if (analysed.includes(resource.findings[at]!)) expect(finding).toEqual(withoutPlace(resource.findings[at]!));
          else expect(finding).toEqual(resource.findings[at]);
      });
    }
    // The fixtures give the comparison something to compare.
    expect(findings).toBeGreaterThan(50);
  });
});
