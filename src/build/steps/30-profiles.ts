import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleFromSources } from "../../core/operator/bundle.js";
import { istioCrdGroups } from "../../core/render/crd-source.js";
import { labelledCrd } from "../../core/render/labels.js";
import { precomputedCrdFiles, type PrecomputedCrdIndex } from "../../core/render/precomputed.js";
import { emitYaml } from "../../core/documents/yaml-emitter.js";
import { createSchemaLoader } from "../../core/schemas/index.js";

/**
 * Precompiles what `manifest generate` would otherwise redo on every run: profiles/ and the IstioOperator
 * schema (dist/operator-bundle.json, so runs parse no YAML) and the labelled base CRDs with their YAML text
 * (dist/base-crds.json and .yaml), built from the schema sources so that an earlier build never feeds this one.
 */
export function run(): void {
  const root = new URL("../../../", import.meta.url);
  writeFileSync(new URL("../../operator-bundle.json", import.meta.url), JSON.stringify(bundleFromSources(root)));
  const loader = createSchemaLoader({ sourceDirectory: fileURLToPath(new URL("schemas/", root)) });
  const objects = loader.customResourceDefinitions(istioCrdGroups).map(labelledCrd);
  const texts = objects.map((object) => emitYaml(object));
  const index: PrecomputedCrdIndex = { objects, textLengths: texts.map((text) => text.length) };
  writeFileSync(new URL(`../../${precomputedCrdFiles.index}`, import.meta.url), JSON.stringify(index));
  writeFileSync(new URL(`../../${precomputedCrdFiles.texts}`, import.meta.url), texts.join(""));
}
