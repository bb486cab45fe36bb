import { compareVersions, parseVersion } from "../../core/versions.js";
import { compactRelease, definitionFile, type CompactKind, type CompactNode, type Swagger } from "./compact.js";

/** What schemas/kubernetes/kinds.json holds. */
export interface KubernetesKindIndex {
  /** Kubernetes minor version → the patch release its schemas were generated from. */
  releases: Record<string, string>;
  kinds: (CompactKind & { kubernetes: string[] })[];
}

/** One definition's schema and the minor versions in which it is exactly this. */
export interface DefinitionVariant {
  kubernetes: string[];
  schema: CompactNode;
}

export interface KubernetesSchemaFiles {
  index: KubernetesKindIndex;
  /** File name (`core.v1`) → definition short name → its variants. */
  definitionFiles: Map<string, Record<string, DefinitionVariant[]>>;
}

/**
 * Compacts every release and merges them: a kind entry or a definition that is the same in several minor
 * versions is stored once and lists those versions.
 */
export function mergeReleases(releases: { release: string; swagger: Swagger }[]): KubernetesSchemaFiles {
  const ordered = [...releases].sort((a, b) => compareReleases(a.release, b.release));
  const index: KubernetesKindIndex = { releases: {}, kinds: [] };
  const kindEntries = new Map<string, CompactKind & { kubernetes: string[] }>();
  const variants = new Map<string, Map<string, DefinitionVariant>>();
  for (const { release, swagger } of ordered) {
    const minor = minorOf(release);
    index.releases[minor] = release;
    const compact = compactRelease(swagger);
    for (const kind of compact.kinds) {
      const key = JSON.stringify(kind);
      const entry = kindEntries.get(key);
      if (entry) entry.kubernetes.push(minor);
      else kindEntries.set(key, { ...kind, kubernetes: [minor] });
    }
    for (const [name, schema] of compact.definitions) {
      const text = JSON.stringify(schema);
      let byText = variants.get(name);
      if (!byText) variants.set(name, (byText = new Map<string, DefinitionVariant>()));
      const variant = byText.get(text);
      if (variant) variant.kubernetes.push(minor);
      else byText.set(text, { kubernetes: [minor], schema });
    }
  }
  index.kinds = [...kindEntries.values()].sort(
    (a, b) =>
      compareText(`${a.group}/${a.version}/${a.kind}`, `${b.group}/${b.version}/${b.kind}`) ||
      compareReleases(a.kubernetes[0]!, b.kubernetes[0]!),
  );
  const definitionFiles = new Map<string, Record<string, DefinitionVariant[]>>();
  for (const name of [...variants.keys()].sort(compareText)) {
    const file = definitionFile(name);
    let content = definitionFiles.get(file);
    if (!content) definitionFiles.set(file, (content = {}));
    content[name] = [...variants.get(name)!.values()];
  }
  return { index, definitionFiles };
}

/** Serialises one file: one kind or one definition per line, so a regeneration diff shows what changed. */
export function serializeIndex(index: KubernetesKindIndex): string {
  const kinds = index.kinds.map((kind) => `    ${JSON.stringify(kind)}`).join(",\n");
  return `{\n  "releases": ${JSON.stringify(index.releases)},\n  "kinds": [\n${kinds}\n  ]\n}\n`;
}

export function serializeDefinitions(content: Record<string, DefinitionVariant[]>): string {
  const lines = Object.entries(content).map(([name, list]) => `  ${JSON.stringify(name)}: ${JSON.stringify(list)}`);
  return `{\n${lines.join(",\n")}\n}\n`;
}

export function minorOf(release: string): string {
  const [major, minor] = release.replace(/^v/, "").split(".");
  return `${major}.${minor}`;
}

/** Orders `1.35.0` releases and `1.35` minors alike. */
function compareReleases(a: string, b: string): number {
  const version = (text: string) => parseVersion(text.split(".").length === 2 ? `${text}.0` : text)!;
  return compareVersions(version(a), version(b));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
