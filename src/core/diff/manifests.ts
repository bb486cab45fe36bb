/**
 * Two manifests compared object by object, whatever their order: objects are matched by group, kind,
 * namespace and name; each pair that differs gets a unified diff of its YAML (keys sorted).
 */
import { apiGroupOf, type KubeObject } from "../objects.js";
import { diffFileName, unifiedObjectDiff } from "./unified.js";

export interface ManifestDifference {
  /** `Deployment istio-system/istiod` */
  object: string;
  change: "only in A" | "only in B" | "changed";
  diff: string;
}

export interface ManifestComparison {
  differences: ManifestDifference[];
  /** Objects present and equal on both sides. */
  same: number;
}

function key(object: KubeObject): string {
  return `${apiGroupOf(object.apiVersion)}/${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name ?? ""}`;
}

function describe(object: KubeObject): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name ?? ""}`;
}

export function compareManifests(a: readonly KubeObject[], b: readonly KubeObject[]): ManifestComparison {
  const left = new Map(a.map((object) => [key(object), object]));
  const right = new Map(b.map((object) => [key(object), object]));
  const keys = [...new Set([...left.keys(), ...right.keys()])].sort();
  const differences: ManifestDifference[] = [];
  let same = 0;
  const labels = { before: "A", after: "B" };
  for (const id of keys) {
    const before = left.get(id);
    const after = right.get(id);
    const name = diffFileName((before ?? after)!);
    const diff = unifiedObjectDiff(before, after, name, labels);
    if (diff === "") same++;
    else differences.push({ object: describe((before ?? after)!), change: !before ? "only in B" : !after ? "only in A" : "changed", diff });
  }
  return { differences, same };
}
