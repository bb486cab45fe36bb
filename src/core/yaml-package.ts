import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { distPath } from "./package-paths.js";

type YamlPackage = typeof import("yaml");
let loaded: YamlPackage | undefined;

/**
 * The `yaml` package, loaded on first use (its API is synchronous, hence require rather than import()). The build
 * writes it as one file, dist/vendor/yaml.cjs: Node then compiles one module instead of resolving and wrapping
 * about 70, which saves a run that reads YAML with it (kubeconfigs, patches, release CRDs) about 15 ms.
 * Before the first build (the build's own steps) the package itself is used.
 */
export function yamlPackage(): YamlPackage {
  if (!loaded) {
    const single = distPath("vendor", "yaml.cjs");
    loaded = createRequire(import.meta.url)(existsSync(single) ? single : "yaml") as YamlPackage;
  }
  return loaded;
}
