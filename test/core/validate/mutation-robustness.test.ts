import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseManifestText } from "../../../src/core/documents/index.js";
import { validateObjects } from "../../../src/core/validate/index.js";
import { corpusMutations } from "./corpus-mutations.js";
import { targetedMutations } from "./targeted-mutations.js";

const corpus = (name: string) =>
  parseManifestText(readFileSync(new URL(`../../fixtures/validate/corpus/${name}`, import.meta.url), "utf8"), name).documents.map(
    (document) => document.object as Record<string, unknown>,
  );

describe("the engine on thousands of mutated documents", () => {
  for (const [name, options] of [
    ["istio.yaml", {}],
    ["gateway-api.yaml", { channel: "experimental" as const }],
  ] as const) {
    it(`never throws, and rejects an unknown field in every spec (${name})`, () => {
      let checked = 0;
      for (const base of corpus(name)) {
        expect(
          validateObjects([base], options).filter((finding) => finding.severity === "error"),
          `${String(base.kind)} base`,
        ).toEqual([]);
        for (const mutant of [...corpusMutations(base), ...targetedMutations(base)]) {
          const findings = validateObjects([mutant], options);
          checked++;
          const description = (mutant as { __mutation?: string }).__mutation ?? "";
          // (Deeper objects may be maps such as labels or ports, where an added entry can be valid.)
          if (description === "spec given an unknown field") {
            expect(
              findings.map((finding) => finding.code),
              `${String(base.kind)}: ${description}`,
            ).toContain("SCHEMA_UNKNOWN_FIELD");
          }
        }
      }
      expect(checked).toBeGreaterThan(500);
    });
  }
});
