/**
 * Unified diffs of objects as `kubectl diff` prints them: one `diff -u -N` section per object, YAML with
 * sorted keys on both sides, 3 lines of context. An empty side is an object created or deleted.
 */
import { createTwoFilesPatch } from "diff";
import { apiGroupOf, type KubeObject } from "../objects.js";
import { emitYaml } from "../render/yaml-emitter.js";

/** `apps.v1.Deployment.istio-system.istiod`: kubectl diff's file name for an object. */
export function diffFileName(object: Pick<KubeObject, "apiVersion" | "kind" | "metadata">): string {
  const group = apiGroupOf(object.apiVersion);
  const version = object.apiVersion.includes("/") ? object.apiVersion.split("/")[1] : object.apiVersion;
  return [group ? `${group}.${version}` : version, object.kind, object.metadata.namespace, object.metadata.name].filter(Boolean).join(".");
}

/** The diff between two versions of one object ("" when equal); `before`/`after` undefined for create/delete. */
export function unifiedObjectDiff(
  before: unknown,
  after: unknown,
  name: string,
  labels: { before: string; after: string } = { before: "LIVE", after: "MERGED" },
): string {
  const left = before === undefined ? "" : emitYaml(before);
  const right = after === undefined ? "" : emitYaml(after);
  if (left === right) return "";
  const patch = createTwoFilesPatch(`${labels.before}/${name}`, `${labels.after}/${name}`, left, right, "", "", { context: 3 });
  // The library starts with a row of `=`; kubectl diff starts with the diff command instead.
  const body = patch.split("\n").filter((line) => !/^=+$/.test(line));
  return (
    [`diff -u -N ${labels.before}/${name} ${labels.after}/${name}`, ...body.map((line) => line.replace(/\t$/, ""))].join("\n").trimEnd() +
    "\n"
  );
}
