import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/core/findings.js";
import { schemasFromCrd, validateObjects } from "../../src/core/validate/index.js";
import { builtinSchemaSource } from "../../src/core/validate/builtin-schemas.js";
import { useCelInterpreterForAllRules } from "../../src/core/validate/cel/rules.js";
import { corpusMutations } from "../core/validate/corpus-mutations.js";
import { targetedMutations } from "../core/validate/targeted-mutations.js";
import { corpus, crdSuites, loadCrds, reference } from "./crd-suites.js";

/**
 * The built-in schemas must give the verdict the official CRDs give (loaded through the same path as
 * `--crds`), on valid documents and on systematic mutations of them, for every Gateway API variant and
 * for Istio. Runs over whatever kinds the built-in catalog has.
 */

const isError = (finding: Finding) => finding.severity === "error";

interface Tally {
  documents: number;
  rejectedByBoth: number;
  agreements: number;
  disagreements: string[];
  engineDisagreements: string[];
  celRulesHit: Set<string>;
  celRulesTotal: number;
}

const tallies = new Map<string, Tally>();

describe.skipIf(!existsSync(reference))("built-in schemas agree with the official CRDs", () => {
  afterAll(() => {
    for (const [name, tally] of tallies) {
      console.log(
        `${name}: ${tally.agreements}/${tally.documents} verdicts agree (${tally.rejectedByBoth} rejected by both), compiled CEL = interpreter on ${tally.documents - tally.engineDisagreements.length}; CEL rules exercised ${tally.celRulesHit.size}/${tally.celRulesTotal}`,
      );
    }
  });

  for (const suite of crdSuites) {
    it(`${suite.name}: same verdict on the corpus and its mutations`, () => {
      const crds = loadCrds(suite.crds);
      const official = crds.flatMap((crd) => schemasFromCrd(crd));
      const builtin = builtinSchemaSource(suite.variant);
      const options = { ...suite.variant, ignoreMissingSchemas: true };
      const documents: Record<string, any>[] = [];
      for (const base of corpus(suite.corpus)) {
        const group = String(base.apiVersion).split("/")[0];
        const served = official.filter((schema) => schema.group === group && schema.kind === base.kind && schema.served);
        // Only kinds the built-in catalog has in this variant (others are the schema helpers' gap, reported below).
        if (served.length === 0 || builtin.versionsOf(group!, base.kind).length === 0) continue;
        const version =
          served.find((schema) => `${group}/${schema.version}` === base.apiVersion) ??
          served.find((schema) => schema.storage) ??
          served[0]!;
        const document = { ...base, apiVersion: `${group}/${version.version}` };
        documents.push(document, ...corpusMutations(document), ...targetedMutations(document));
      }
      const ruleMessages = new Set(
        official.filter((schema) => schema.storage).flatMap((schema) => collectRuleMessages(schema.openAPIV3Schema)),
      );
      const tally: Tally = {
        documents: 0,
        rejectedByBoth: 0,
        agreements: 0,
        disagreements: [],
        engineDisagreements: [],
        celRulesHit: new Set(),
        celRulesTotal: ruleMessages.size,
      };
      for (const document of documents) {
        const withOfficial = validateObjects([document], { ...options, crds }).filter(isError);
        const withBuiltin = validateObjects([document], options).filter(isError);
        // The rules compiled to JavaScript must decide exactly as the CEL interpreter does.
        useCelInterpreterForAllRules(true);
        const interpreted = validateObjects([document], { ...options, crds }).filter(isError);
        useCelInterpreterForAllRules(false);
        const shape = (findings: Finding[]) => findings.map((finding) => `${finding.code} ${finding.path}`).sort();
        if (JSON.stringify(shape(interpreted)) !== JSON.stringify(shape(withOfficial))) {
          tally.engineDisagreements.push(
            `${document.kind} (${(document as any).__mutation}): compiled ${JSON.stringify(withOfficial.map((f) => f.message))} vs interpreted ${JSON.stringify(interpreted.map((f) => f.message))}`,
          );
        }
        tally.documents++;
        for (const finding of withOfficial) {
          if (finding.code === "CEL_RULE" || finding.code === "CEL_RUNTIME_ERROR")
            for (const message of ruleMessages) if (finding.message.includes(message)) tally.celRulesHit.add(message);
        }
        if (withOfficial.length > 0 === withBuiltin.length > 0) {
          tally.agreements++;
          if (withOfficial.length > 0) tally.rejectedByBoth++;
        } else {
          tally.disagreements.push(
            `${document.kind} ${document.metadata?.name} (${(document as any).__mutation ?? "unmutated"}): official ${JSON.stringify(withOfficial.map((f) => f.message))} vs built-in ${JSON.stringify(withBuiltin.map((f) => f.message))}`,
          );
        }
      }
      tallies.set(suite.name, tally);
      if (process.env.MESH_CONFORMANCE_VERBOSE) {
        console.log(
          `${suite.name}: CEL rules never violated:\n  ${[...ruleMessages].filter((message) => !tally.celRulesHit.has(message)).join("\n  ")}`,
        );
      }
      expect(tally.documents).toBeGreaterThan(0);
      expect(tally.disagreements.slice(0, 20)).toEqual([]);
      expect(tally.engineDisagreements.slice(0, 20)).toEqual([]);
    });
  }
});

function collectRuleMessages(schema: unknown, out: string[] = []): string[] {
  if (typeof schema !== "object" || schema === null) return out;
  const node = schema as Record<string, unknown>;
  for (const rule of (node["x-kubernetes-validations"] as { rule: string; message?: string }[] | undefined) ?? []) {
    if (!/\boldSelf\b/.test(rule.rule)) out.push(rule.message ?? rule.rule);
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === "status") continue;
    if (key === "properties" && typeof value === "object" && value !== null) {
      for (const [name, child] of Object.entries(value)) if (name !== "status") collectRuleMessages(child, out);
    } else if (typeof value === "object") collectRuleMessages(value, out);
  }
  return out;
}
