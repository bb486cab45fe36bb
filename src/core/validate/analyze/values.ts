/** Defensive reads: analysers also run on objects that failed validation, so no field has a trusted type. */
import { isJsonObject, type JsonObject } from "../../json.js";

export { recordsOf as records, stringOf as text, stringsOf as texts } from "../../json.js";

export type Json = JsonObject;

/** The value when it is an object, otherwise an empty one (so that chained reads never throw). */
export function record(value: unknown): Json {
  return isJsonObject(value) ? value : {};
}

export function integer(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) ? value : undefined;
}

export function labelsOf(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, entry] of Object.entries(record(value))) if (typeof entry === "string") labels[key] = entry;
  return labels;
}

export function specOf(object: Json): Json {
  return record(object.spec);
}

/** A map selector matches labels when every key has the same value (an empty selector matches everything). */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** `a=b,c=d` with keys sorted, as Kubernetes prints a label selector built from a map. */
export function selectorString(selector: Record<string, string>): string {
  return Object.keys(selector)
    .sort()
    .map((key) => `${key}=${selector[key]}`)
    .join(",");
}
