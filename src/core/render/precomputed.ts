import { existsSync, readFileSync } from "node:fs";
import type { KubeObject } from "../objects.js";

/**
 * YAML texts of objects that never change between runs (the 15 CRDs: ~85% of a manifest's bytes), written
 * by the build step 30-profiles so that `manifest generate` does not re-serialise them on every run.
 * A text is attached to the object it was written from and dropped as soon as anything patches it.
 */
const compiledTexts = new URL("../../base-crds.json", import.meta.url);
let texts: Record<string, string> | undefined;
const attached = new WeakMap<object, string>();

export function precomputedCrdText(name: string): string | undefined {
  texts ??= existsSync(compiledTexts) ? (JSON.parse(readFileSync(compiledTexts, "utf8")) as Record<string, string>) : {};
  return texts[name];
}

export function attachText(object: KubeObject, text: string): void {
  attached.set(object, text);
}

export function attachedText(object: KubeObject): string | undefined {
  return attached.get(object);
}

export function detachText(object: KubeObject): void {
  attached.delete(object);
}
