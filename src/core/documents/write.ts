import { yamlPackage } from "../yaml-package.js";

export interface WriteOptions {
  /** Sort mapping keys alphabetically (what Go's YAML marshalling of unstructured objects does). */
  sortKeys?: boolean;
  /** Indent list items under their key (default); false puts the dash at the key's column, as Go's YAML writers do. */
  indentSequences?: boolean;
}

/**
 * Writes objects as a YAML stream: 2-space indent, no line folding, `---` between documents. Written in
 * YAML 1.1 style so that strings such as "on" or "0755" are quoted and kubectl reads them back as strings.
 */
export function toYamlStream(objects: readonly unknown[], options: WriteOptions = {}): string {
  return objects.map((object) => toYaml(object, options)).join("---\n");
}

export function toYaml(value: unknown, options: WriteOptions = {}): string {
  return yamlPackage().stringify(value, {
    version: "1.1",
    indent: 2,
    lineWidth: 0,
    minContentWidth: 0,
    sortMapEntries: options.sortKeys ?? false,
    aliasDuplicateObjects: false,
    indentSeq: options.indentSequences ?? true,
    customTags: (tags) =>
      tags.filter((tag) => {
        const t = tag as { tag?: string; format?: string };
        return t.tag !== "tag:yaml.org,2002:timestamp" && t.format !== "TIME";
      }),
  });
}

/** One JSON value, 2-space indent, trailing newline. */
export function toJson(value: unknown, options: WriteOptions = {}): string {
  return `${JSON.stringify(options.sortKeys ? sortedKeys(value) : value, null, 2)}\n`;
}

export function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortedKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
