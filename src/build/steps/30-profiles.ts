import { writeFileSync } from "node:fs";
import { bundleFromSources } from "../../core/operator/bundle.js";

/** Precompiles profiles/ and the IstioOperator schema into dist/operator-bundle.json so runs parse no YAML. */
export async function run(): Promise<void> {
  const bundle = bundleFromSources(new URL("../../../", import.meta.url));
  writeFileSync(new URL("../../operator-bundle.json", import.meta.url), JSON.stringify(bundle));
}
