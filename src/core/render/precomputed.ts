import { existsSync, readFileSync } from "node:fs";
import type { KubeObject } from "../objects.js";

/**
 * YAML texts of objects that never change between runs (the 15 CRDs: ~85% of a manifest's bytes), written
 * by the build step 30-profiles so that `manifest generate` does not re-serialise them on every run.
 * A text is attached to the object it was written from; it is dropped when an overlay patches the object and
 * ignored when the object's metadata (where callers add labels) or its spec no longer match.
 */
const compiledTexts = new URL("../../base-crds.json", import.meta.url);
let texts: Record<string, string> | undefined;
const attached = new WeakMap<object, { text: string; metadata: string; spec: unknown }>();

export function precomputedCrdText(name: string): string | undefined {
  texts ??= existsSync(compiledTexts) ? (JSON.parse(readFileSync(compiledTexts, "utf8")) as Record<string, string>) : {};
  return texts[name];
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
