import type { FieldPath } from "../findings.js";
import type { KubeObject } from "../objects.js";
import type { Emitted } from "./context.js";
import type { InputObject } from "./input.js";
import { NameRegistry } from "./names.js";
import type { Notes } from "./notes.js";
import { convertedFromAnnotation, generatorAnnotation, lastAppliedAnnotation } from "./options.js";
import { listOf, pruneEmpty, type PlainRecord } from "./plain-data.js";

/** Where an emitted object came from, for findings about the output (the contract). */
export interface Origin {
  input: InputObject;
  /** The input field that produced an output field (`spec.listeners[2].tls` → `spec.servers[1].tls`). */
  inputPath?: (outputPath: FieldPath) => FieldPath;
}

const origins = new WeakMap<KubeObject, Origin>();

export function originOf(object: KubeObject): Origin | undefined {
  return origins.get(object);
}

export interface EmitOptions {
  /** Kinds in output order; unknown kinds go last. */
  kindOrder: readonly string[];
  generator: string;
  notes: Notes;
}

/**
 * The last stage (docs/design/convert.md §10): merges ReferenceGrants of the same name, makes names unique per kind
 * and namespace, annotates, drops empty fields and orders objects by kind, namespace and name.
 */
export function emitObjects(emitted: readonly Emitted[], options: EmitOptions): KubeObject[] {
  const merged = mergeGrants(emitted);
  const registry = new NameRegistry();
  const objects: KubeObject[] = [];
  for (const item of merged) {
    const { object } = item;
    const namespace = object.metadata.namespace ?? "";
    const wanted = object.metadata.name ?? "unnamed";
    const name = registry.claim(`${object.kind}/${namespace}`, wanted);
    if (name !== wanted) {
      options.notes.warning("CONV320", `generated ${object.kind} name ${namespace}/${wanted} is taken: named ${name}`, item.from?.source);
    }
    const out = finish(object, name, item, options.generator);
    if (item.from) origins.set(out, item.inputPath ? { input: item.from, inputPath: item.inputPath } : { input: item.from });
    objects.push(out);
  }
  const ranks = new Map<string, number>();
  options.kindOrder.forEach((kind, index) => ranks.set(kind, ranks.get(kind) ?? index));
  const rank = (kind: string) => ranks.get(kind) ?? options.kindOrder.length;
  return objects.sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) ||
      compare(a.metadata.namespace ?? "", b.metadata.namespace ?? "") ||
      compare(a.metadata.name ?? "", b.metadata.name ?? ""),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mergeGrants(emitted: readonly Emitted[]): Emitted[] {
  const out: Emitted[] = [];
  const byName = new Map<string, Emitted>();
  for (const item of emitted) {
    if (!item.mergeByName) {
      out.push(item);
      continue;
    }
    const key = `${item.object.kind}/${item.object.metadata.namespace}/${item.object.metadata.name}`;
    const earlier = byName.get(key);
    if (!earlier) {
      const copy: Emitted = { ...item, object: structuredClone(item.object) };
      byName.set(key, copy);
      out.push(copy);
      continue;
    }
    const spec = earlier.object.spec as PlainRecord;
    const incoming = item.object.spec as PlainRecord;
    spec.from = unionSorted(listOf(spec.from), listOf(incoming.from));
    spec.to = unionSorted(listOf(spec.to), listOf(incoming.to));
  }
  return out;
}

function unionSorted(a: unknown[], b: unknown[]): unknown[] {
  const byKey = new Map<string, unknown>();
  for (const item of [...a, ...b]) byKey.set(JSON.stringify(item), item);
  return [...byKey.entries()].sort(([x], [y]) => compare(x, y)).map(([, item]) => item);
}

function finish(object: KubeObject, name: string, item: Emitted, generator: string): KubeObject {
  const isGrant = object.kind === "ReferenceGrant";
  const annotations: Record<string, string> = isGrant ? {} : { ...(object.metadata.annotations ?? {}) };
  delete annotations[lastAppliedAnnotation];
  annotations[generatorAnnotation] = generator;
  if (item.from) annotations[convertedFromAnnotation] = `${item.from.kind}/${item.from.namespace}/${item.from.name}`;
  const metadata: KubeObject["metadata"] = { name };
  if (object.metadata.namespace) metadata.namespace = object.metadata.namespace;
  if (!isGrant && object.metadata.labels && Object.keys(object.metadata.labels).length > 0) metadata.labels = { ...object.metadata.labels };
  metadata.annotations = annotations;
  const out: KubeObject = { apiVersion: object.apiVersion, kind: object.kind, metadata };
  const spec = pruneEmpty(object.spec);
  if (spec !== undefined) out.spec = spec;
  return out;
}
