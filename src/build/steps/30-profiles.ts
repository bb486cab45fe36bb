import { writeFileSync } from "node:fs";
import { bundleFromSources } from "../../core/operator/bundle.js";
import { istioCrds } from "../../core/render/base.js";
import { emitYaml } from "../../core/render/yaml-emitter.js";

/**
 * Precompiles what `manifest generate` would otherwise redo on every run: profiles/ and the IstioOperator
 * schema (dist/operator-bundle.json, so runs parse no YAML) and the YAML texts of the base CRDs
 * (dist/base-crds.json). Runs after 10-schemas, whose bundles the CRDs are built from.
 */
export async function run(): Promise<void> {
  const bundle = bundleFromSources(new URL("../../../", import.meta.url));
  writeFileSync(new URL("../../operator-bundle.json", import.meta.url), JSON.stringify(bundle));
  const texts: Record<string, string> = {};
  for (const crd of istioCrds({ attachPrecomputedText: false })) texts[crd.metadata.name ?? ""] = emitYaml(crd);
  writeFileSync(new URL("../../base-crds.json", import.meta.url), JSON.stringify(texts));
}
