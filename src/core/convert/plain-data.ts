/**
 * Reading untrusted YAML data without trusting its shape: a field of the wrong type reads as absent,
 * so a malformed input yields findings and partial output instead of a crash.
 */
import { objectOf, scalarText, type JsonObject } from "../json.js";
import { setOwn } from "../validate/structural-defaults.js";

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
    if (item !== null && item !== undefined) setOwn(out, key, scalarText(item));
  }
  return out;
}

export function hasKey(record: PlainRecord | undefined, key: string): boolean {
  return record !== undefined && record[key] !== undefined && record[key] !== null;
}

/**
 * Removes empty lists, empty objects, `undefined` and `null`, recursively; output is omitempty-style. Parts with
 * nothing to remove are returned as they are, not copied (the emitted objects are only read afterwards).
 */
export function pruneEmpty<T>(value: T): T {
  return prune(value) as T;
}

function prune(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value ?? undefined;
  if (Array.isArray(value)) {
    // `items` is made at the first item that changes; until then the list is kept as it is.
    let items: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const pruned = prune(item);
      if (items === undefined && (pruned !== item || pruned === undefined)) items = value.slice(0, index);
      if (items !== undefined && pruned !== undefined) items.push(pruned);
    }
    const kept = items ?? value;
    return kept.length === 0 ? undefined : kept;
  }
  const record = value as PlainRecord;
  const keys = Object.keys(record);
  let out: PlainRecord | undefined;
  let written = 0;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const item = record[key];
    const pruned = prune(item);
    if (out === undefined && (pruned !== item || pruned === undefined)) {
      out = {};
      for (written = 0; written < index; written++) setOwn(out, keys[written]!, record[keys[written]!]);
    }
    if (out !== undefined && pruned !== undefined) {
      // An own `__proto__` key stays an own field (assigning it would set the copy's prototype instead).
      setOwn(out, key, pruned);
      written++;
    }
  }
  if (out === undefined) return keys.length === 0 ? undefined : record;
  return written === 0 ? undefined : out;
}
