import { emitYaml, sortedDeep } from "../documents/yaml-emitter.js";

/** YAML embedded in a ConfigMap value: sorted keys (as Helm's toYaml), no trailing newline. */
export function yamlText(value: unknown): string {
  return emitYaml(value).replace(/\n$/, "");
}

/** Helm's toPrettyJson: sorted keys, 2-space indent, no trailing newline. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(sortedDeep(value), null, 2);
}
