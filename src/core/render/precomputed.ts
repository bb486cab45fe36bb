import { existsSync, readFileSync } from "node:fs";
import type { KubeObject } from "../objects.js";
import { distPath } from "../package-paths.js";

/**
 * The 15 base CRDs never change between runs and make ~85% of a manifest's bytes. The build step
 * 30-profiles writes them, labelled, to dist/base-crds.json and their YAML texts, one after the other, to
 * dist/base-crds.yaml, so that `manifest generate` neither loads the schema catalog nor re-serialises them
 * (the texts stay out of the JSON: read as one string they cost nothing to parse). A text stays attached to
 * its object only while nothing changes the object (overlays detach it; callers may relabel it).
 */
export interface PrecomputedCrdIndex {
  objects: KubeObject[];
  /** Length of each object's text in the texts file, in the objects' order. */
  textLengths: number[];
}

export const precomputedCrdFiles = { index: "base-crds.json", texts: "base-crds.yaml" } as const;

const compiledCrds = distPath(precomputedCrdFiles.index);
const attached = new WeakMap<object, { text: string; metadata: string; spec: unknown }>();

export function hasPrecomputedCrds(): boolean {
  return existsSync(compiledCrds);
}

/** Fresh objects on every call (callers may modify them), texts attached; undefined outside a build. */
export function precomputedCrds(): KubeObject[] | undefined {
  if (!hasPrecomputedCrds()) return undefined;
  const { objects, textLengths } = JSON.parse(readFileSync(compiledCrds, "utf8")) as PrecomputedCrdIndex;
  const texts = readFileSync(distPath(precomputedCrdFiles.texts), "utf8");
  let offset = 0;
  return objects.map((object, index) => {
    const end = offset + textLengths[index]!;
    attachText(object, texts.slice(offset, end));
    offset = end;
    return object;
  });
}

export function attachText(object: KubeObject, text: string): void {
  attached.set(object, { text, metadata: JSON.stringify(object.metadata), spec: object.spec });
}

export function attachedText(object: KubeObject): string | undefined {
  const entry = attached.get(object);
  if (!entry || entry.spec !== object.spec || entry.metadata !== JSON.stringify(object.metadata)) return undefined;
  return entry.text;
}

export function detachText(object: KubeObject): void {
  attached.delete(object);
}
