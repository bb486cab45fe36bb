import type { FieldPath } from "../findings.js";
import { closestWord } from "../suggest.js";
import type { FieldError } from "./field-errors.js";
import type { StructuralSchema } from "./schema-types.js";

/**
 * Stages 3 and 4 of the API server's pipeline for a custom resource, in one walk over a copy of the object:
 * fields the schema does not declare are reported (strict field validation, kubectl's default) and pruned;
 * nulls of non-nullable fields are dropped; schema defaults are applied top-down, so a default object
 * receives its own nested defaults and later stages (values, list types, CEL) see the defaulted object.
 */
export function pruneAndDefault(value: unknown, schema: StructuralSchema, path: FieldPath, errors: FieldError[]): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items) return schema["x-kubernetes-preserve-unknown-fields"] ? value : value;
    return value.map((item, index) => pruneAndDefault(item, items, [...path, index], errors));
  }
  return pruneObject(value as Record<string, unknown>, schema, path, errors);
}

function pruneObject(
  object: Record<string, unknown>,
  schema: StructuralSchema,
  path: FieldPath,
  errors: FieldError[],
): Record<string, unknown> {
  const properties = schema.properties;
  const additional = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  const embedded = schema["x-kubernetes-embedded-resource"] === true;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    const child = object[key];
    const childSchema = properties?.[key] ?? additional;
    if (!childSchema) {
      if (preserve || (embedded && (key === "apiVersion" || key === "kind" || key === "metadata"))) {
        out[key] = child;
        continue;
      }
      // A type mismatch (an object where a scalar belongs) is reported by value validation, not here.
      if (schema.type !== undefined && schema.type !== "object") return object;
      errors.push(unknownField([...path, key], properties ? Object.keys(properties) : []));
      continue;
    }
    if (child === null && !childSchema.nullable) {
      if (childSchema.default !== undefined) out[key] = withDefaults(structuredClone(childSchema.default), childSchema, [...path, key], errors);
      continue;
    }
    out[key] = pruneAndDefault(child, childSchema, [...path, key], errors);
  }
  if (properties) {
    for (const key of Object.keys(properties)) {
      const childSchema = properties[key]!;
      if (childSchema.default !== undefined && !(key in out) && !(key in object && object[key] !== null)) {
        out[key] = withDefaults(structuredClone(childSchema.default), childSchema, [...path, key], errors);
      }
    }
  }
  return out;
}

function withDefaults(value: unknown, schema: StructuralSchema, path: FieldPath, errors: FieldError[]): unknown {
  return pruneAndDefault(value, schema, path, errors);
}

export function unknownField(path: FieldPath, known: string[]): FieldError {
  const name = String(path[path.length - 1]);
  const suggestion = closestWord(name, known);
  return {
    type: "Unknown",
    path,
    code: "SCHEMA_UNKNOWN_FIELD",
    origin: "schema",
    detail: "",
    hint: suggestion
      ? `did you mean "${suggestion}"?`
      : known.length > 0 && known.length <= 12
        ? `known fields here: ${known.join(", ")}`
        : undefined,
  };
}
