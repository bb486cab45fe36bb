import type { FieldPath } from "../findings.js";
import { closestWord } from "../suggest.js";
import type { FieldError } from "./field-errors.js";
import type { StructuralSchema } from "./schema-types.js";

/**
 * Stages 3 and 4 of the API server's pipeline for a custom resource, in one copy-on-write walk of the object:
 * fields the schema does not declare are reported (strict field validation, kubectl's default) and pruned;
 * nulls of non-nullable fields are dropped; schema defaults are applied top-down, so a default object
 * receives its own nested defaults and later stages (values, list types, CEL) see the defaulted object.
 */
export function pruneAndDefault(value: unknown, schema: StructuralSchema, path: FieldPath, errors: FieldError[]): unknown {
  return prune(value, schema, [...path], errors);
}

/** `path` is a stack shared by the whole walk (copied only into errors): a walk allocates no paths. */
export function prune(value: unknown, schema: StructuralSchema, path: (string | number)[], errors: FieldError[]): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items) return value;
    let out: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      const item = prune(value[index], items, path, errors);
      path.pop();
      if (!out && item !== value[index]) out = value.slice(0, index);
      if (out) out.push(item);
    }
    return out ?? value;
  }
  return pruneObject(value as Record<string, unknown>, schema, path, errors);
}

function pruneObject(
  object: Record<string, unknown>,
  schema: StructuralSchema,
  path: (string | number)[],
  errors: FieldError[],
): Record<string, unknown> {
  const properties = schema.properties;
  const additional = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  const embedded = schema["x-kubernetes-embedded-resource"] === true;
  // Copy on write: most objects need no pruning or defaulting and are returned as they are.
  let out: Record<string, unknown> | undefined;
  const keys = Object.keys(object);
  const copyUpTo = (index: number) => {
    out = {};
    for (let i = 0; i < index; i++) setOwn(out, keys[i]!, object[keys[i]!]);
  };
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const child = object[key];
    const childSchema = childSchemaOf(properties, additional, key);
    if (!childSchema) {
      if (preserve || (embedded && (key === "apiVersion" || key === "kind" || key === "metadata"))) {
        if (out) setOwn(out, key, child);
        continue;
      }
      // A type mismatch (an object where a scalar belongs) is reported by value validation, not here.
      if (schema.type !== undefined && schema.type !== "object") return object;
      errors.push(unknownField([...path, key], properties ? Object.keys(properties) : []));
      if (!out) copyUpTo(index);
      continue;
    }
    path.push(key);
    let value: unknown;
    let drop = false;
    if (child === null && !childSchema.nullable) {
      if (childSchema.default !== undefined) value = prune(cloneDefault(childSchema.default), childSchema, path, errors);
      else drop = true;
    } else {
      value = prune(child, childSchema, path, errors);
    }
    path.pop();
    if (!out && (drop || value !== child)) copyUpTo(index);
    if (out && !drop) setOwn(out, key, value);
  }
  if (properties) {
    for (const key of defaultedKeys(schema, properties)) {
      if (out ? !(key in out) && !(key in object && object[key] !== null) : !(key in object)) {
        if (!out) copyUpTo(keys.length);
        const childSchema = properties[key]!;
        path.push(key);
        setOwn(out!, key, prune(cloneDefault(childSchema.default), childSchema, path, errors));
        path.pop();
      }
    }
  }
  return out ?? object;
}

const defaultedKeysBySchema = new WeakMap<StructuralSchema, string[]>();

export function defaultedKeys(schema: StructuralSchema, properties: Record<string, StructuralSchema>): string[] {
  let keys = defaultedKeysBySchema.get(schema);
  if (!keys) {
    keys = Object.keys(properties).filter((key) => properties[key]!.default !== undefined);
    defaultedKeysBySchema.set(schema, keys);
  }
  return keys;
}

/**
 * The schema of a property: the declared one, or additionalProperties. Only own keys are declared: a field named
 * `constructor` or `toString` is unknown unless the schema lists it, not a match for Object.prototype's member.
 */
export function childSchemaOf(
  properties: Record<string, StructuralSchema> | undefined,
  additional: StructuralSchema | undefined,
  key: string,
): StructuralSchema | undefined {
  return (properties !== undefined && Object.hasOwn(properties, key) ? properties[key] : undefined) ?? additional;
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

/** Defaults are JSON values; a plain recursive copy is much cheaper than structuredClone. */
export function cloneDefault(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneDefault);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(out, key, cloneDefault((value as Record<string, unknown>)[key]));
  return out;
}

/**
 * `target[key] = value` as an own property even for the key `__proto__`, which a YAML map may hold: assigned, it
 * would set the copy's prototype instead, and the field would vanish from the object the later stages check.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
