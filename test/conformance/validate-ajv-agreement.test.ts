import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ajvIncompatibilities } from "../../src/core/validate/ajv/schema.js";
import { precompiledValueValidator, useAjvFastPath } from "../../src/core/validate/ajv/validators.js";
import { builtinSchemaSource } from "../../src/core/validate/builtin-schemas.js";
import { rootWithoutMetadata } from "../../src/core/validate/engine.js";
import { schemasFromCrd, validateObjects, type KindSchema } from "../../src/core/validate/index.js";
import { checkValues, prunedForValueChecks, runtimeAjvValidator, walkerValueErrors } from "../core/validate/ajv/corpus.js";
import { corpusMutations } from "../core/validate/corpus-mutations.js";
import { targetedMutations } from "../core/validate/targeted-mutations.js";
import { corpus, crdSuites, loadCrds, reference } from "./crd-suites.js";

/**
 * The ajv fast path on the conformance corpus: the precompiled validators of the built-in schemas, and the
 * same translation applied to the official CRDs, accept exactly what the walker finds nothing wrong with,
 * and `mesh validate`'s findings are identical with and without the fast path.
 */

const counts: string[] = [];

describe.skipIf(!existsSync(reference))("the ajv fast path agrees with the walker on the conformance corpus", () => {
  beforeAll(() => useAjvFastPath(true));
  afterAll(() => {
    useAjvFastPath(false);
    for (const line of counts) console.log(line);
  });

  for (const suite of crdSuites) {
    it(`${suite.name}: ajv-valid ⇔ no value error, for the built-in and the official schemas`, () => {
      const official = loadCrds(suite.crds).flatMap((crd) => schemasFromCrd(crd));
      for (const schema of official.filter((candidate) => candidate.served)) {
        expect(ajvIncompatibilities(rootWithoutMetadata(schema.openAPIV3Schema)), `official ${schema.kind} ${schema.version}`).toEqual([]);
      }
      const builtin = builtinSchemaSource(suite.variant);
      const options = { ...suite.variant, ignoreMissingSchemas: true };
      let compared = 0;
      let accepted = 0;
      for (const base of corpus(suite.corpus)) {
        for (const document of [base, ...corpusMutations(base), ...targetedMutations(base)]) {
          const apiVersion = String(document.apiVersion);
          const kind = String(document.kind);
          const mutation = (document as { __mutation?: string }).__mutation ?? "base";
          const schemas: [string, KindSchema | undefined, ((data: unknown) => boolean) | undefined][] = [];
          const own = builtin.lookup(apiVersion, kind);
          if (own?.served) schemas.push(["built-in", own, precompiledValueValidator(own, suite.variant)]);
          const theirs = official.find(
            (schema) => `${schema.group}/${schema.version}` === apiVersion && schema.kind === kind && schema.served,
          );
          if (theirs) schemas.push(["official", theirs, undefined]);
          for (const [label, schema, precompiled] of schemas) {
            const { pruned, valueSchema } = prunedForValueChecks(document, schema!);
            const expected = walkerValueErrors(checkValues(pruned, valueSchema, [])).length === 0;
            if (label === "built-in") expect(precompiled?.(pruned), `${label} ${kind}: ${mutation} (precompiled)`).toBe(expected);
            expect(runtimeAjvValidator(valueSchema)(pruned), `${label} ${kind}: ${mutation}`).toBe(expected);
            compared++;
            if (expected) accepted++;
          }
          useAjvFastPath(false);
          const walked = JSON.stringify(validateObjects([document], options));
          useAjvFastPath(true);
          expect(JSON.stringify(validateObjects([document], options)), `${kind}: ${mutation} findings`).toBe(walked);
        }
      }
      counts.push(`${suite.name}: ajv and walker agree on ${compared} value checks (${accepted} accepted)`);
      expect(compared).toBeGreaterThan(1000);
    });
  }
});
