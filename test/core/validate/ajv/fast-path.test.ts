import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseManifestText } from "../../../../src/core/documents/index.js";
import { ALL_VARIANTS } from "../../../../src/core/schemas/index.js";
import { precompiledValueValidator, useAjvFastPath } from "../../../../src/core/validate/ajv/validators.js";
import { builtinSchemaSource } from "../../../../src/core/validate/builtin-schemas.js";
import { validateObjects } from "../../../../src/core/validate/index.js";
import { checkValues, checkValuesKnownValid, prunedForValueChecks, runtimeAjvValidator, walkerValueErrors } from "./corpus.js";
import { corpusMutations } from "../corpus-mutations.js";
import { targetedMutations } from "../targeted-mutations.js";

const corpus = (name: string) =>
  parseManifestText(readFileSync(new URL(`../../../fixtures/validate/corpus/${name}`, import.meta.url), "utf8"), name).documents.map(
    (document) => document.object as Record<string, unknown>,
  );

const documents = ["istio.yaml", "gateway-api.yaml"].flatMap((name) =>
  corpus(name).flatMap((base) => [base, ...corpusMutations(base), ...targetedMutations(base)]),
);

beforeAll(() => useAjvFastPath(true));
afterAll(() => useAjvFastPath(false));

describe("the precompiled ajv value check on the mutation corpus", () => {
  for (const variant of ALL_VARIANTS) {
    const label = `Gateway API ${variant.gatewayApiVersion} ${variant.channel}`;

    it(`accepts exactly the documents in which the walker finds no value error (${label})`, () => {
      const source = builtinSchemaSource(variant);
      let compared = 0;
      let accepted = 0;
      for (const document of documents) {
        const schema = source.lookup(String(document.apiVersion), String(document.kind));
        if (!schema?.served) continue;
        const { pruned, valueSchema } = prunedForValueChecks(document, schema);
        const walked = checkValues(pruned, valueSchema, []);
        const expected = walkerValueErrors(walked).length === 0;
        const mutation = (document as { __mutation?: string }).__mutation ?? "base";
        const precompiled = precompiledValueValidator(schema, variant);
        expect(precompiled, `built validator for ${String(document.kind)}`).toBeDefined();
        expect(precompiled!(pruned), `${String(document.kind)}: ${mutation}`).toBe(expected);
        expect(runtimeAjvValidator(valueSchema)(pruned), `${String(document.kind)}: ${mutation} (compiled at run time)`).toBe(expected);
        if (expected) {
          // The fast path's remaining walk collects the same duplicates and CEL sites as the full walk.
          expect(checkValuesKnownValid(pruned, valueSchema, [])).toEqual(walked);
          accepted++;
        }
        compared++;
      }
      expect(compared).toBeGreaterThan(3000);
      expect(accepted).toBeGreaterThan(100);
      expect(compared - accepted).toBeGreaterThan(1000);
    });

    it(`gives identical findings with and without the fast path (${label})`, () => {
      const options = { gatewayApiVersion: variant.gatewayApiVersion, channel: variant.channel };
      useAjvFastPath(true);
      const fast = documents.map((document) => validateObjects([document], options));
      useAjvFastPath(false);
      const walked = documents.map((document) => validateObjects([document], options));
      useAjvFastPath(true);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(walked));
    });
  }
});
