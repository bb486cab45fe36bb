/** Decoded YAML/JSON data as the core reads it: objects are string-keyed records, everything else is unknown until checked. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value when it is an object, otherwise undefined. */
export function objectOf(value: unknown): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

/** The value when it is a list (its items read as records; callers check each field), otherwise an empty list. */
export function recordsOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? (value as JsonObject[]) : [];
}

/** A scalar as text; objects and lists as JSON, so a misplaced map never prints as "[object Object]". */
export function scalarText(value: unknown): string {
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}
