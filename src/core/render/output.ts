import { toYaml, toJson } from "../documents/write.js";
import type { KubeObject } from "../objects.js";

/**
 * The manifest stream as istioctl prints it (install.md §9): keys sorted, 2-space indent, list dashes at
 * their key's column, each object followed by a blank line and `---`.
 */
export function manifestYaml(objects: readonly KubeObject[]): string {
  return objects.map((object) => `${toYaml(object, { sortKeys: true, indentSequences: false })}\n---\n`).join("");
}

/** A kubectl-readable `v1 List` with sorted keys. */
export function manifestJson(objects: readonly KubeObject[]): string {
  return toJson({ apiVersion: "v1", kind: "List", items: objects }, { sortKeys: true });
}
