import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { bundleFiles } from "../../core/schemas/bundle.js";
import { readSchemaSources } from "../../core/schemas/sources.js";
import { BUNDLE_DIRECTORY, SOURCE_DIRECTORY } from "../../core/schemas/store.js";

/** Resolves schemas/ for every Gateway API variant into dist/schemas/*.json, so runs never parse YAML. */
export async function run(
  directories: { sourceDirectory: string; bundleDirectory: string } = {
    sourceDirectory: SOURCE_DIRECTORY,
    bundleDirectory: BUNDLE_DIRECTORY,
  },
): Promise<void> {
  const { sourceDirectory, bundleDirectory } = directories;
  const files = bundleFiles(readSchemaSources(sourceDirectory));
  // Written to a fresh directory: a stale bundle from a removed kind must not survive a rebuild.
  await rm(bundleDirectory, { recursive: true, force: true });
  await mkdir(bundleDirectory, { recursive: true });
  for (const [file, content] of files) await writeFile(join(bundleDirectory, file), JSON.stringify(content));
}
