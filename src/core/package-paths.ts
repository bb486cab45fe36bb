import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where mesh's own files are: the package root (package.json, profiles/, schemas/) and dist/, which holds
 * the compiled code and what the build steps generate (precompiled schemas, validators, profiles).
 * Found by walking up from this module, so the answer is the same from src/ (tests), dist/ and a bundle.
 */
function findPackageRoot(start: string): string {
  for (let directory = start; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, "package.json")) && existsSync(path.join(directory, "schemas"))) return directory;
    if (path.dirname(directory) === directory) return path.resolve(start, "../..");
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
export const DIST_DIRECTORY = path.join(PACKAGE_ROOT, "dist");

/** A file of the package, e.g. `packagePath("schemas")`. */
export function packagePath(...segments: string[]): string {
  return path.join(PACKAGE_ROOT, ...segments);
}

/** A file under dist/, e.g. `distPath("validators", "cel-rules.json")`. */
export function distPath(...segments: string[]): string {
  return path.join(DIST_DIRECTORY, ...segments);
}
