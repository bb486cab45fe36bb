import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleFromSources } from "../../core/operator/bundle.js";
import { istioCrdGroups } from "../../core/render/crd-source.js";
import { labelledCrd } from "../../core/render/labels.js";
import type { PrecomputedCrd } from "../../core/render/precomputed.js";
import { emitYaml } from "../../core/documents/yaml-emitter.js";
import { createSchemaLoader } from "../../core/schemas/index.js";

/**
 * Precompiles what `manifest generate` would otherwise redo on every run: profiles/ and the IstioOperator
 * schema (dist/operator-bundle.json, so runs parse no YAML) and the labelled base CRDs with their YAML text
 * (dist/base-crds.json), built from the schema sources so that an earlier build never feeds this one.
 */
export function run(): void {
  const root = new URL("../../../", import.meta.url);
  writeFileSync(new URL("../../operator-bundle.json", import.meta.url), JSON.stringify(bundleFromSources(root)));
  const loader = createSchemaLoader({ sourceDirectory: fileURLToPath(new URL("schemas/", root)) });
  const crds: PrecomputedCrd[] = loader
    .customResourceDefinitions(istioCrdGroups)
    .map(labelledCrd)
    .map((object) => ({ object, text: emitYaml(object) }));
  writeFileSync(new URL("../../base-crds.json", import.meta.url), JSON.stringify(crds));
}
