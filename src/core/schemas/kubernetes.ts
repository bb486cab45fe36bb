import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { JSONSchemaProps } from "./types.js";
import { packagePath } from "../package-paths.js";

/** schemas/kubernetes/: the generated core-kind schemas, read at run time (shipped in the package). */
export const KUBERNETES_SCHEMA_DIRECTORY = packagePath("schemas", "kubernetes");

/** One built-in kind at one version, as one Kubernetes minor version serves it. */
export interface KubernetesKindSchema {
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: "Namespaced" | "Cluster";
  /** Whether the object has a `status` (the API server then resets it on create). */
  hasStatus: boolean;
  openAPIV3Schema: JSONSchemaProps;
}

/** The built-in kinds of one Kubernetes minor version; schemas are resolved on first lookup. */
export interface KubernetesSchemaSet {
  /** The minor version (`1.35`) and the patch release its schemas come from (`1.35.0`). */
  minor: string;
  release: string;
  lookup(group: string, version: string, kind: string): KubernetesKindSchema | undefined;
  versionsOf(group: string, kind: string): KubernetesKindSchema[];
  groups(): ReadonlySet<string>;
  kindsOf(group: string): string[];
}

interface IndexEntry {
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: "Namespaced" | "Cluster";
  definition: string;
  kubernetes: string[];
}

interface KindIndex {
  releases: Record<string, string>;
  kinds: IndexEntry[];
}

type CompactNode = Record<string, unknown>;
type DefinitionFile = Record<string, { kubernetes: string[]; schema: CompactNode }[]>;

/** Files read once per process, shared by every minor version. */
class SchemaFiles {
  private index: KindIndex | undefined;
  private readonly definitionFiles = new Map<string, DefinitionFile>();
  constructor(private readonly directory: string) {}

  kindIndex(): KindIndex {
    return (this.index ??= JSON.parse(readFileSync(join(this.directory, "kinds.json"), "utf8")) as KindIndex);
  }

  definition(name: string, minor: string): CompactNode {
    const file = name.slice(0, name.lastIndexOf("."));
    let content = this.definitionFiles.get(file);
    if (!content) {
      content = JSON.parse(readFileSync(join(this.directory, "definitions", `${file}.json`), "utf8")) as DefinitionFile;
      this.definitionFiles.set(file, content);
    }
    const variant = content[name]?.find((candidate) => candidate.kubernetes.includes(minor));
    if (!variant) throw new Error(`schemas/kubernetes: no definition ${name} for Kubernetes ${minor}`);
    return variant.schema;
  }
}

const filesByDirectory = new Map<string, SchemaFiles>();
const setsByKey = new Map<string, KubernetesSchemaSet>();

/** Minor versions mesh has built-in schemas for, oldest first. */
export function kubernetesMinorVersions(directory = KUBERNETES_SCHEMA_DIRECTORY): string[] {
  return Object.keys(filesFor(directory).kindIndex().releases).sort(compareMinor);
}

/** The patch release each minor version's schemas were generated from. */
export function kubernetesReleases(directory = KUBERNETES_SCHEMA_DIRECTORY): Record<string, string> {
  return { ...filesFor(directory).kindIndex().releases };
}

export function kubernetesSchemaSet(minor: string, directory = KUBERNETES_SCHEMA_DIRECTORY): KubernetesSchemaSet {
  const key = `${directory}\u0000${minor}`;
  let set = setsByKey.get(key);
  if (!set) {
    set = createSet(filesFor(directory), minor);
    setsByKey.set(key, set);
  }
  return set;
}

function filesFor(directory: string): SchemaFiles {
  let files = filesByDirectory.get(directory);
  if (!files) filesByDirectory.set(directory, (files = new SchemaFiles(directory)));
  return files;
}

function createSet(files: SchemaFiles, minor: string): KubernetesSchemaSet {
  const index = files.kindIndex();
  const release = index.releases[minor];
  if (release === undefined) throw new Error(`no built-in schemas for Kubernetes ${minor}`);
  const entries = index.kinds.filter((entry) => entry.kubernetes.includes(minor));
  const byKind = new Map<string, IndexEntry[]>();
  for (const entry of entries) {
    const key = `${entry.group}/${entry.kind}`;
    byKind.set(key, [...(byKind.get(key) ?? []), entry]);
  }
  const resolved = new Map<string, JSONSchemaProps>();
  const schemas = new Map<IndexEntry, KubernetesKindSchema>();

  // References become shared objects, so PodSpec is resolved once however many kinds embed it; recursive
  // definitions (JSONSchemaProps) become cycles, which the walkers never follow (they walk the data).
  const resolve = (name: string): JSONSchemaProps => {
    let target = resolved.get(name);
    if (!target) {
      target = {};
      resolved.set(name, target);
      Object.assign(target, convert(files.definition(name, minor)));
    }
    return target;
  };
  const convert = (node: CompactNode): JSONSchemaProps => {
    if (typeof node.$ref === "string") return resolve(node.$ref);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "properties") {
        const properties: Record<string, JSONSchemaProps> = {};
        for (const [name, child] of Object.entries(value as Record<string, CompactNode>)) properties[name] = convert(child);
        out.properties = properties;
      } else if (key === "items" || key === "additionalProperties") {
        out[key] = convert(value as CompactNode);
      } else if (key === "x-kubernetes-list-type" || key === "x-kubernetes-list-map-keys") {
        // For built-in kinds the list type only guides server-side apply: create accepts duplicate env names or
        // container ports, and the built-in validation rejects the duplicates that matter (container names, …).
        continue;
      } else {
        out[key] = value;
      }
    }
    return out;
  };
  const schemaOf = (entry: IndexEntry): KubernetesKindSchema => {
    let schema = schemas.get(entry);
    if (!schema) {
      const root = resolve(entry.definition);
      schema = {
        group: entry.group,
        version: entry.version,
        kind: entry.kind,
        plural: entry.plural,
        scope: entry.scope,
        hasStatus: root.properties?.status !== undefined,
        openAPIV3Schema: root,
      };
      schemas.set(entry, schema);
    }
    return schema;
  };
  const groups = new Set(entries.map((entry) => entry.group));
  return {
    minor,
    release,
    lookup(group, version, kind) {
      const entry = byKind.get(`${group}/${kind}`)?.find((candidate) => candidate.version === version);
      return entry ? schemaOf(entry) : undefined;
    },
    versionsOf(group, kind) {
      return (byKind.get(`${group}/${kind}`) ?? []).map(schemaOf);
    },
    groups: () => groups,
    kindsOf(group) {
      return [...new Set(entries.filter((entry) => entry.group === group).map((entry) => entry.kind))];
    },
  };
}

export function compareMinor(a: string, b: string): number {
  const [aMajor, aMinor] = a.split(".").map(Number);
  const [bMajor, bMinor] = b.split(".").map(Number);
  return aMajor! - bMajor! || aMinor! - bMinor!;
}
