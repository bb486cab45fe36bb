import type { SourceDocument } from "../../documents/index.js";

/** Where each `--crds` CustomResourceDefinition object was read, so findings about the CRD itself have a position. */
const documents = new WeakMap<object, SourceDocument>();

export function rememberCrdSource(document: SourceDocument): void {
  if (typeof document.object === "object" && document.object !== null) documents.set(document.object, document);
}

export function crdSource(crd: unknown): SourceDocument | undefined {
  return typeof crd === "object" && crd !== null ? documents.get(crd) : undefined;
}
