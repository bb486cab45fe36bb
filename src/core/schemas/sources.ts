import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SchemaSourceError, type Fragments } from "./gates.js";
import { yamlPackage } from "../yaml-package.js";

/** The hand-written YAML of one kind: `crd.yaml` plus one file per version, still gated. */
export interface KindSource {
  group: string;
  plural: string;
  directory: string;
  crd: Record<string, unknown>;
  /** version name → parsed `<version>.yaml` */
  versionFiles: Map<string, Record<string, unknown>>;
}

export interface GroupSource {
  group: string;
  fragments: Fragments;
  kinds: KindSource[];
}

export const FRAGMENTS_FILE = "_fragments.yaml";
export const KUBERNETES_DIRECTORY_NAME = "kubernetes";
export const CRD_FILE = "crd.yaml";

// The YAML parser is loaded only when sources are read (tests, the build): runs from dist read JSON and
// should not pay its import; the loader's API is synchronous, hence require rather than import().
let yamlParse: typeof import("yaml").parse | undefined;
function parseYaml(text: string): unknown {
  yamlParse ??= yamlPackage().parse;
  return yamlParse(text, { maxAliasCount: -1 });
}

function readYamlFile(path: string): unknown {
  try {
    return parseYaml(readFileSync(path, "utf8"));
  } catch (error) {
    throw new SchemaSourceError(`${path}: ${(error as Error).message}`);
  }
}

function readYamlMap(path: string): Record<string, unknown> {
  const value = readYamlFile(path);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SchemaSourceError(`${path}: expected a YAML mapping`);
  }
  return value as Record<string, unknown>;
}

function subdirectories(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Reads `schemas/<group>/…` below `root`; groups and kinds in name order so bundles are stable. */
export function readSchemaSources(root: string): GroupSource[] {
  if (!existsSync(root)) throw new SchemaSourceError(`schema sources not found at ${root}`);
  // schemas/kubernetes holds the built-in Kubernetes kinds in their own generated format (schemas/kubernetes.ts).
  const groups = subdirectories(root)
    .filter((group) => group !== KUBERNETES_DIRECTORY_NAME)
    .map((group) => readGroup(root, group));
  for (const group of groups) importFragments(group, groups);
  return groups;
}

/**
 * `x-mesh-import: [group, …]` in a `_fragments.yaml` makes those groups' fragments usable here (the
 * group's own win on a name clash): the experimental x-k8s.io group reuses the Gateway API building blocks.
 */
const IMPORT_KEY = "x-mesh-import";
function importFragments(group: GroupSource, groups: GroupSource[]): void {
  const imports = group.fragments[IMPORT_KEY];
  if (imports === undefined) return;
  const where = `${group.group}/${FRAGMENTS_FILE}`;
  if (!Array.isArray(imports)) throw new SchemaSourceError(`${where}: ${IMPORT_KEY} must list groups`);
  const { [IMPORT_KEY]: _imports, ...own } = group.fragments;
  let merged: Fragments = {};
  for (const name of imports) {
    const imported = groups.find((candidate) => candidate.group === name);
    if (!imported) throw new SchemaSourceError(`${where}: ${IMPORT_KEY} names unknown group ${String(name)}`);
    if (imported.fragments[IMPORT_KEY] !== undefined) {
      throw new SchemaSourceError(`${where}: ${String(name)} imports fragments itself; imports do not chain`);
    }
    merged = { ...merged, ...imported.fragments };
  }
  group.fragments = { ...merged, ...own };
}

function readGroup(root: string, group: string): GroupSource {
  const groupDirectory = join(root, group);
  const fragmentsPath = join(groupDirectory, FRAGMENTS_FILE);
  const fragments = existsSync(fragmentsPath) ? (readYamlMap(fragmentsPath) as Fragments) : {};
  const kinds = subdirectories(groupDirectory).map((plural) => {
    const directory = join(groupDirectory, plural);
    const crd = readYamlMap(join(directory, CRD_FILE));
    if (crd.group !== group) throw new SchemaSourceError(`${directory}/${CRD_FILE}: group must be ${group}`);
    if (crd.plural !== plural) throw new SchemaSourceError(`${directory}/${CRD_FILE}: plural must be ${plural}`);
    const versionFiles = new Map<string, Record<string, unknown>>();
    for (const file of readdirSync(directory).sort()) {
      if (file === CRD_FILE || !file.endsWith(".yaml")) continue;
      const name = file.slice(0, -".yaml".length);
      const content = readYamlMap(join(directory, file));
      if (content.version !== name) throw new SchemaSourceError(`${directory}/${file}: version must be ${name}`);
      versionFiles.set(name, content);
    }
    return { group, plural, directory, crd, versionFiles };
  });
  return { group, fragments, kinds };
}
