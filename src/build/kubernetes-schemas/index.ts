import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { KUBERNETES_SCHEMA_DIRECTORY } from "../../core/schemas/kubernetes.js";
import type { Swagger } from "./compact.js";
import { mergeReleases, serializeDefinitions, serializeIndex } from "./merge.js";

/**
 * Development-time generator (`npm run schemas:kubernetes -- <directory>`): reads `<directory>/v<release>/swagger.json`
 * for every Kubernetes release there (the unprocessed OpenAPI v2 definitions published with the Kubernetes client
 * libraries) and rewrites schemas/kubernetes/. Not part of `npm run build`: the schemas are committed.
 */
export async function readReleases(directory: string): Promise<{ release: string; swagger: Swagger }[]> {
  const entries = (await readdir(directory, { withFileTypes: true })).filter(
    (entry) => entry.isDirectory() && /^v\d+\.\d+\.\d+$/.test(entry.name),
  );
  return Promise.all(
    entries.map(async (entry) => ({
      release: entry.name.slice(1),
      swagger: JSON.parse(await readFile(join(directory, entry.name, "swagger.json"), "utf8")) as Swagger,
    })),
  );
}

export async function writeKubernetesSchemas(sourceDirectory: string, outputDirectory = KUBERNETES_SCHEMA_DIRECTORY): Promise<void> {
  const releases = await readReleases(sourceDirectory);
  if (releases.length === 0) throw new Error(`no v<release>/swagger.json under ${sourceDirectory}`);
  const files = mergeReleases(releases);
  await rm(outputDirectory, { recursive: true, force: true });
  await mkdir(join(outputDirectory, "definitions"), { recursive: true });
  await writeFile(join(outputDirectory, "kinds.json"), serializeIndex(files.index));
  for (const [file, content] of files.definitionFiles) {
    await writeFile(join(outputDirectory, "definitions", `${file}.json`), serializeDefinitions(content));
  }
}

const source = process.argv[2];
if (process.argv[1]?.endsWith("kubernetes-schemas/index.js")) {
  if (!source) {
    console.error("usage: npm run schemas:kubernetes -- <directory holding v<release>/swagger.json>");
    process.exit(2);
  }
  await writeKubernetesSchemas(source);
}
