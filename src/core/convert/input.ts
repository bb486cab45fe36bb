import type { SourceDocument } from "../documents/index.js";
import { describeResource } from "../findings.js";
import type { Notes } from "./notes.js";
import { recordOf, stringMapOf, stringOf, type PlainRecord } from "./plain-data.js";

/** One selected input object with its namespace resolved; `spec` is read field by field by the converters. */
export interface InputObject {
  source: SourceDocument;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: PlainRecord;
}

export interface InputSelection {
  /** `group` → accepted versions; `""` is the core group. */
  accept: (apiVersion: string, kind: string) => boolean;
  namespace?: string;
  defaultNamespace: string;
}

/**
 * Picks the objects a converter reads (by apiVersion and kind), resolves namespaces, applies the `-n`
 * filter, and reports what was skipped (one INFO per kind) and duplicates (the later one wins).
 */
export function selectInputObjects(documents: readonly SourceDocument[], selection: InputSelection, notes: Notes): InputObject[] {
  const skipped = new Map<string, { count: number; first: SourceDocument }>();
  const byIdentity = new Map<string, InputObject>();
  let otherNamespaces = 0;
  let firstOtherNamespace: SourceDocument | undefined;
  for (const document of documents) {
    const object = recordOf(document.object);
    const apiVersion = stringOf(object?.apiVersion) ?? "";
    const kind = stringOf(object?.kind) ?? "";
    if (!object || !selection.accept(apiVersion, kind)) {
      const key = kind === "" ? "documents without apiVersion/kind" : `${apiVersion} ${kind}`;
      const entry = skipped.get(key);
      if (entry) entry.count++;
      else skipped.set(key, { count: 1, first: document });
      continue;
    }
    const metadata = recordOf(object.metadata) ?? {};
    const name = stringOf(metadata.name) ?? "";
    if (name === "") {
      notes.error("CONV002", `${kind} without metadata.name cannot be converted`, document, ["metadata"]);
      continue;
    }
    const namespace = stringOf(metadata.namespace) || selection.namespace || selection.defaultNamespace;
    if (selection.namespace !== undefined && namespace !== selection.namespace) {
      otherNamespaces++;
      firstOtherNamespace ??= document;
      continue;
    }
    const input: InputObject = {
      source: document,
      apiVersion,
      kind,
      name,
      namespace,
      labels: stringMapOf(metadata.labels),
      annotations: stringMapOf(metadata.annotations),
      spec: recordOf(object.spec) ?? {},
    };
    const identity = `${kind}/${namespace}/${name}`;
    const earlier = byIdentity.get(identity);
    if (earlier) {
      const where = `${earlier.source.file}:${earlier.source.line}`;
      notes.warning(
        "CONV004",
        `${describeResource({ kind, namespace, name })} appears twice; this one replaces the one at ${where}`,
        document,
      );
      byIdentity.delete(identity);
    }
    byIdentity.set(identity, input);
  }
  for (const [key, { count, first }] of skipped) {
    notes.info("CONV001", `skipped ${count} input object${count === 1 ? "" : "s"} (${key}): not converted by this command`, first);
  }
  if (otherNamespaces > 0) {
    notes.info(
      "CONV001",
      `skipped ${otherNamespaces} object${otherNamespaces === 1 ? "" : "s"} outside namespace "${selection.namespace}" (-n)`,
      firstOtherNamespace,
    );
  }
  return [...byIdentity.values()];
}
