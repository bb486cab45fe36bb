import { formatFieldPath, type FieldPath, type FindingOrigin } from "../findings.js";

/** The error types of the API server's `field.Error`, which decide the wording of a cause. */
export type FieldErrorType =
  "Invalid" | "Required" | "Unsupported" | "Duplicate" | "TooLong" | "TooMany" | "Forbidden" | "NotFound" | "Unknown" | "Message";

/** One cause of a rejection, before it becomes a Finding with a source position. */
export interface FieldError {
  type: FieldErrorType;
  /** Path inside the object, used both for the message and for locating the field in the file. */
  path: FieldPath;
  code: string;
  origin: FindingOrigin;
  /** The value shown after "Invalid value:" (already rendered the way the API server renders it). */
  shown?: string;
  detail: string;
  /** A wrong type, enum, required, maxLength or maxItems/maxProperties error: CEL rules are then skipped. */
  blocking?: boolean;
  /** How to fix it, when mesh knows more than the API server says. */
  hint?: string;
  severity?: "error" | "warning" | "info";
}

/** `spec.listeners[0].port: Invalid value: 70000: should be less than or equal to 65535`, as kubectl prints. */
export function fieldErrorMessage(error: FieldError): string {
  const where = error.path.length === 0 ? "<nil>" : formatFieldPath(error.path);
  if (error.type === "Message") {
    const text = error.path.length === 0 ? error.detail : `${where}: ${error.detail}`;
    return error.hint ? `${text} (${error.hint})` : text;
  }
  if (error.type === "Unknown") return `unknown field "${where}"${error.hint ? ` (${error.hint})` : ""}`;
  const head = (() => {
    switch (error.type) {
      case "Invalid":
        return `Invalid value: ${error.shown ?? "null"}`;
      case "Required":
        return "Required value";
      case "Unsupported":
        return `Unsupported value: ${error.shown ?? "null"}`;
      case "Duplicate":
        return `Duplicate value: ${error.shown ?? "null"}`;
      case "TooLong":
        return "Too long";
      case "TooMany":
        return error.shown === undefined ? "Too many" : `Too many: ${error.shown}`;
      case "Forbidden":
        return "Forbidden";
      case "NotFound":
        return `Not found: ${error.shown ?? "null"}`;
      default:
        return "";
    }
  })();
  const text = `${where}: ${head}${error.detail ? `: ${error.detail}` : ""}`;
  return error.hint ? `${text} (${error.hint})` : text;
}

/** Renders a value the way Go's `%#v`-ish field errors show it: strings quoted, objects as "object". */
export function shownValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return '"array"';
  return '"object"';
}

/** Value shown for a duplicate list entry: scalars as such, objects as compact JSON. */
export function shownEntry(value: unknown): string {
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return shownValue(value);
}
