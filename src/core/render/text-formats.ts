import { toYaml, sortedKeys } from "../documents/write.js";

/** YAML embedded in a ConfigMap value: sorted keys (as Helm's toYaml), no trailing newline. */
export function yamlText(value: unknown, options: { sortKeys?: boolean } = {}): string {
  return toYaml(value, { sortKeys: options.sortKeys ?? true, indentSequences: false }).replace(/\n$/, "");
}

/** Helm's toPrettyJson: sorted keys, 2-space indent, no trailing newline. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value), null, 2);
}
