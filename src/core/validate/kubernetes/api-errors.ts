import type { FieldPath } from "../../findings.js";
import { shownValue, type FieldError } from "../field-errors.js";

/**
 * The API server's `field.*` error constructors (k8s.io/apimachinery/pkg/util/validation/field) for the
 * built-in validation of core kinds, so messages read as `kubectl apply` prints them.
 */
export type Path = readonly (string | number)[];

export function required(path: Path, code: string, detail = ""): FieldError {
  return { type: "Required", path: [...path], code, origin: "validation", detail };
}

export function invalid(path: Path, value: unknown, code: string, detail: string): FieldError {
  return { type: "Invalid", path: [...path], code, origin: "validation", shown: goValue(value), detail };
}

export function unsupported(path: Path, value: unknown, allowed: readonly string[], code = "K8S_UNSUPPORTED_VALUE"): FieldError {
  return {
    type: "Unsupported",
    path: [...path],
    code,
    origin: "validation",
    shown: goValue(value),
    detail: `supported values: ${allowed.map((entry) => JSON.stringify(entry)).join(", ")}`,
  };
}

export function duplicate(path: Path, value: unknown, code = "K8S_DUPLICATE"): FieldError {
  return { type: "Duplicate", path: [...path], code, origin: "validation", shown: goValue(value), detail: "" };
}

export function forbidden(path: Path, detail: string, code = "K8S_FORBIDDEN"): FieldError {
  return { type: "Forbidden", path: [...path], code, origin: "validation", detail };
}

export function notFound(path: Path, value: unknown, code = "K8S_NOT_FOUND"): FieldError {
  return { type: "NotFound", path: [...path], code, origin: "validation", shown: goValue(value), detail: "" };
}

/**
 * How field.Error prints a bad value: strings quoted, numbers and booleans bare, string maps as Go's `%#v`
 * (`map[string]string{"app":"web"}`).
 */
export function goValue(value: unknown): string {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.every(([, entry]) => typeof entry === "string")) {
      const sorted = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `map[string]string{${sorted.map(([key, entry]) => `${JSON.stringify(key)}:${JSON.stringify(entry)}`).join(", ")}}`;
    }
  }
  return shownValue(value);
}

export function at(base: FieldPath, ...segments: (string | number)[]): Path {
  return [...base, ...segments];
}
