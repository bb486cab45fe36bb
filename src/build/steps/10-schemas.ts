import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { AVAILABILITY_FILE, bundleFiles, KIND_DIRECTORY, kindFileName } from "../../core/schemas/bundle.js";
import type { SchemaBundle } from "../../core/schemas/types.js";
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
  for (const [file, content] of files) {
    if (file === AVAILABILITY_FILE) continue;
    for (const kind of (content as SchemaBundle).kinds) {
      const target = join(bundleDirectory, KIND_DIRECTORY, kindFileName(file, kind.group, kind.kind)!);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, JSON.stringify(kind));
    }
  }
}
