/**
 * Reading untrusted YAML data without trusting its shape: a field of the wrong type reads as absent,
 * so a malformed input yields findings and partial output instead of a crash.
 */
import { objectOf, scalarText, type JsonObject } from "../json.js";

export { isJsonObject as isRecord, objectOf as recordOf, listOf, stringOf, stringsOf } from "../json.js";
export type PlainRecord = JsonObject;

export function numberOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

export function stringMapOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const record = objectOf(value);
  if (record === undefined) return out;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (item !== null && item !== undefined) out[key] = scalarText(item);
  }
  return out;
}

export function hasKey(record: PlainRecord | undefined, key: string): boolean {
  return record !== undefined && record[key] !== undefined && record[key] !== null;
}

/** Removes empty lists, empty objects, `undefined` and `null`, recursively; output is omitempty-style. */
export function pruneEmpty<T>(value: T): T {
  return prune(value) as T;
}

function prune(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value ?? undefined;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const pruned = prune(item);
      if (pruned !== undefined) items.push(pruned);
    }
    return items.length === 0 ? undefined : items;
  }
  const out: PlainRecord = {};
  let empty = true;
  for (const key in value) {
    const pruned = prune((value as PlainRecord)[key]);
    if (pruned !== undefined) {
      out[key] = pruned;
      empty = false;
    }
  }
  return empty ? undefined : out;
}
