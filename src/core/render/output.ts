import type { KubeObject } from "../objects.js";
import { attachedText } from "./precomputed.js";
import { emitYaml, sortedDeep } from "./yaml-emitter.js";

/**
 * The manifest stream as istioctl prints it (docs/design/install.md §9): keys sorted, 2-space indent, list dashes at
 * their key's column, each object followed by a blank line and `---`.
 */
export function manifestYaml(objects: readonly KubeObject[]): string {
  return objects.map((object) => `${attachedText(object) ?? emitYaml(object)}\n---\n`).join("");
}

/** A kubectl-readable `v1 List` with sorted keys. */
export function manifestJson(objects: readonly KubeObject[]): string {
  return `${JSON.stringify(sortedDeep({ apiVersion: "v1", kind: "List", items: objects }), null, 2)}\n`;
}
