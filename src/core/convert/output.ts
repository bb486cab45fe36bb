import { toJson } from "../documents/index.js";
import { sortFindings, type Finding } from "../findings.js";
import type { KubeObject } from "../objects.js";
import { objectsToYaml } from "../documents/yaml-emitter.js";

export type ObjectFormat = "yaml" | "json";

/** stdout of a conversion: a YAML stream, or with JSON a `v1` List that also carries the findings. */
export function renderConverted(objects: readonly KubeObject[], findings: readonly Finding[], format: ObjectFormat): string {
  if (format === "yaml") return objects.length === 0 ? "" : objectsToYaml(objects);
  return toJson({ apiVersion: "v1", kind: "List", items: objects, findings: sortFindings(findings) });
}

export interface OutputFile {
  /** Relative to the output directory. */
  path: string;
  text: string;
}

/**
 * One file per object for `--output-dir`: `<namespace>/<kind>-<name>.yaml`. Names come from the input,
 * so path separators and dot-only components are replaced: nothing is written outside the directory.
 */
export function outputFiles(objects: readonly KubeObject[], format: ObjectFormat): OutputFile[] {
  return objects.map((object) => ({
    path: `${fileComponent(object.metadata.namespace ?? "_cluster")}/${fileComponent(`${object.kind.toLowerCase()}-${object.metadata.name ?? ""}`)}.${format}`,
    text: format === "yaml" ? objectsToYaml([object]) : toJson(object),
  }));
}

function fileComponent(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9._-]/g, "_");
  return /^\.*$/.test(safe) ? `_${safe}` : safe;
}
