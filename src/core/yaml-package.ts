import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { distPath } from "./package-paths.js";

type YamlPackage = typeof import("yaml");
let loaded: YamlPackage | undefined;

/**
 * The `yaml` package, loaded on first use (its API is synchronous, hence require rather than import()). In the
 * bundle (a CommonJS file where `require` exists) esbuild puts the package inside, so its compiled code is kept with
 * the bundle's; the build's own steps, run from tsc's output, load dist/vendor/yaml.cjs (one module for Node to
 * compile instead of about 70), or the package itself before the first build.
 */
export function yamlPackage(): YamlPackage {
  if (!loaded) {
    if (typeof require === "function") {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require("yaml") as YamlPackage;
    } else {
      const single = distPath("vendor", "yaml.cjs");
      loaded = createRequire(import.meta.url)(existsSync(single) ? single : "yaml") as YamlPackage;
    }
  }
  return loaded;
}
