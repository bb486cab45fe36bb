/** Decoded YAML/JSON data as the core reads it: objects are string-keyed records, everything else is unknown until checked. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value when it is an object, otherwise undefined. */
export function objectOf(value: unknown): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

/** The value when it is a string, otherwise undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The value when it is a list, otherwise an empty list. */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The strings of a list (other items and non-lists read as absent). */
export function stringsOf(value: unknown): string[] {
  return listOf(value).filter((item): item is string => typeof item === "string");
}

/**
 * The items of a list as records (callers check each field), otherwise an empty list. An item that is not an object
 * (`- null`, `- 5` in input that fails its schema) reads as an empty record, as Go decodes it into a zero value, so
 * positions stay those of the list and no reader trips over it.
 */
export function recordsOf(value: unknown): JsonObject[] {
  if (!Array.isArray(value)) return [];
  return value.every(isJsonObject) ? value : value.map((item) => (isJsonObject(item) ? item : {}));
}

/** A scalar as text; objects and lists as JSON, so a misplaced map never prints as "[object Object]". */
export function scalarText(value: unknown): string {
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}
