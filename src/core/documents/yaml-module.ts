import { createRequire } from "node:module";

type Yaml = typeof import("yaml");
const requireModule = createRequire(import.meta.url);
let yaml: Yaml | undefined;

/**
 * The yaml package, loaded on first use: most manifests go through the fast parse path and a run that
 * reports no finding never needs the full parser (saves a noticeable share of a small run's start-up).
 */
export function yamlModule(): Yaml {
  return (yaml ??= requireModule("yaml") as Yaml);
}
