import { existsSync, readFileSync } from "node:fs";
import type { KubeObject } from "../objects.js";
import { distPath } from "../package-paths.js";

/**
 * The 15 base CRDs never change between runs and make ~85% of a manifest's bytes. The build step
 * 30-profiles writes them, labelled, together with their YAML text, to dist/base-crds.json, so that
 * `manifest generate` neither loads the schema catalog nor re-serialises them. A text stays attached to
 * its object only while nothing changes the object (overlays detach it; callers may relabel it).
 */
export interface PrecomputedCrd {
  object: KubeObject;
  text: string;
}

const compiledCrds = distPath("base-crds.json");
const attached = new WeakMap<object, { text: string; metadata: string; spec: unknown }>();

export function hasPrecomputedCrds(): boolean {
  return existsSync(compiledCrds);
}

/** Fresh objects on every call (callers may modify them), texts attached; undefined outside a build. */
export function precomputedCrds(): KubeObject[] | undefined {
  if (!hasPrecomputedCrds()) return undefined;
  const entries = JSON.parse(readFileSync(compiledCrds, "utf8")) as PrecomputedCrd[];
  return entries.map(({ object, text }) => {
    attachText(object, text);
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
