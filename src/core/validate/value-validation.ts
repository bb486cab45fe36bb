import type { FieldPath } from "../findings.js";
import { shownEntry, shownValue, type FieldError } from "./field-errors.js";
import { checkFormat } from "./formats.js";
import { patternHint } from "./pattern-hints.js";
import { compilePattern, type CompiledPattern } from "./patterns.js";
import { closestWord } from "../suggest.js";
import type { StructuralSchema } from "./schema-types.js";
import { childSchemaOf } from "./structural-defaults.js";
import { quantityProblem } from "./kubernetes/quantities.js";

/** A node that carries CEL rules, to be evaluated once the whole object passed the blocking checks. */
export interface RuleSite {
  value: unknown;
  schema: StructuralSchema;
  path: FieldPath;
}

export interface ValueCheckResult {
  errors: FieldError[];
  ruleSites: RuleSite[];
}

/**
 * Stages 6 and 7 (OpenAPI value validation and list-type uniqueness) over a pruned and defaulted object,
 * with the API server's error types and wording; also collects the nodes whose CEL rules must run.
 */
export function checkValues(value: unknown, schema: StructuralSchema, path: FieldPath): ValueCheckResult {
  const result: ValueCheckResult = { errors: [], ruleSites: [] };
  visit(value, schema, [...path], result, true);
  return result;
}

export type Path = (string | number)[];

/**
 * What checkValues returns for a value the precompiled ajv validator accepted (see ajv/schema.ts): no
 * OpenAPI value errors, so only the list-type duplicates and the CEL rule sites remain to be collected,
 * in the same order as the full walk.
 */
export function checkValuesKnownValid(value: unknown, schema: StructuralSchema, path: FieldPath): ValueCheckResult {
  const result: ValueCheckResult = { errors: [], ruleSites: [] };
  visitKnownValid(value, schema, [...path], result);
  return result;
}

const holdsRulesOrListTypes = new WeakMap<StructuralSchema, boolean>();

/** Whether anything under this node still needs the known-valid walk (most leaves and many subtrees do not). */
function needsKnownValidWalk(schema: StructuralSchema): boolean {
  let needed = holdsRulesOrListTypes.get(schema);
  if (needed === undefined) {
    const listType = schema["x-kubernetes-list-type"];
    needed =
      (schema["x-kubernetes-validations"]?.length ?? 0) > 0 ||
      listType === "set" ||
      listType === "map" ||
      Object.values(schema.properties ?? {}).some(needsKnownValidWalk) ||
      (schema.items !== undefined && needsKnownValidWalk(schema.items)) ||
      (typeof schema.additionalProperties === "object" && needsKnownValidWalk(schema.additionalProperties));
    holdsRulesOrListTypes.set(schema, needed);
  }
  return needed;
}

function visitKnownValid(value: unknown, schema: StructuralSchema, path: Path, out: ValueCheckResult): void {
  if (value === null || value === undefined || !needsKnownValidWalk(schema)) return;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items) {
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        visitKnownValid(value[index], items, path, out);
        path.pop();
      }
    }
    const listType = schema["x-kubernetes-list-type"];
    if (listType === "set") checkSetUniqueness(value, path, out);
    else if (listType === "map") checkMapUniqueness(value, schema["x-kubernetes-list-map-keys"] ?? [], path, out);
  } else if (typeof value === "object") {
    const properties = schema.properties;
    const additional = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
    for (const key of Object.keys(value)) {
      const child = childSchemaOf(properties, additional, key);
      if (!child) continue;
      path.push(key);
      visitKnownValid((value as Record<string, unknown>)[key], child, path, out);
      path.pop();
    }
  }
  const rules = schema["x-kubernetes-validations"];
  if (rules !== undefined && rules.length > 0) out.ruleSites.push({ value, schema, path: path.slice() });
}

/** Checks one node; `path` is a stack shared by the walk (errors copy it). */
function visit(value: unknown, schema: StructuralSchema, path: Path, out: ValueCheckResult, collectRules: boolean): void {
  if (value === null || value === undefined) {
    checkNull(value, schema, path, out);
    return;
  }
  if (!typeMatches(value, schema)) {
    out.errors.push(typeError(path.slice(), value, schema));
    return;
  }
  checkEnum(value, schema, path, out);
  if (typeof value === "string") checkString(value, schema, path, out);
  else if (typeof value === "number") checkNumber(value, schema, path, out);
  else if (Array.isArray(value)) checkArray(value, schema, path, out, collectRules);
  else if (typeof value === "object") checkObject(value as Record<string, unknown>, schema, path, out, collectRules);
  checkCombinatorsAndCollectRules(value, schema, path, out, collectRules);
}

/** A null (or absent) value: an error unless the node is nullable or untyped. */
export function checkNull(value: unknown, schema: StructuralSchema, path: Path, out: ValueCheckResult): void {
  if (!acceptsNull(schema)) out.errors.push(typeError(path.slice(), value, schema));
}

/** A nullable or untyped node admits null and checks nothing else then. */
export function acceptsNull(schema: StructuralSchema): boolean {
  return Boolean(schema.nullable) || (!schema.type && !schema["x-kubernetes-int-or-string"]);
}

export function checkEnum(value: unknown, schema: StructuralSchema, path: Path, out: ValueCheckResult): void {
  if (schema.enum && !schema.enum.some((allowed) => deepEqual(allowed, value))) {
    out.errors.push({
      type: "Unsupported",
      path: path.slice(),
      code: "SCHEMA_ENUM",
      origin: "schema",
      shown: shownValue(value),
      detail: `supported values: ${schema.enum.map((allowed) => shownEntry(allowed)).join(", ")}`,
      blocking: true,
      hint: enumSuggestion(value, schema.enum),
    });
  }
}

/** The last checks of a node, after its children: combinators (on the whole value), then its CEL rule site. */
export function checkCombinatorsAndCollectRules(
  value: unknown,
  schema: StructuralSchema,
  path: Path,
  out: ValueCheckResult,
  collectRules: boolean,
): void {
  if (schema.allOf || schema.anyOf || schema.oneOf || schema.not) checkCombinators(value, schema, path, out);
  const rules = schema["x-kubernetes-validations"];
  if (collectRules && rules !== undefined && rules.length > 0) out.ruleSites.push({ value, schema, path: path.slice() });
}

function enumSuggestion(value: unknown, allowed: unknown[]): string | undefined {
  if (typeof value !== "string") return undefined;
  const strings = allowed.filter((entry): entry is string => typeof entry === "string");
  const lower = value.toLowerCase();
  const suggestion =
    strings.find((entry) => entry.toLowerCase() === lower) ??
    closestWord(value, strings) ??
    strings.find((entry) => lower.length >= 3 && entry.toLowerCase().includes(lower));
  return suggestion ? `did you mean ${JSON.stringify(suggestion)}?` : undefined;
}

/** What a node's type admits, as one code (the walk of schema-walk.ts reads it from a table built once per node). */
export const ValueType = {
  Any: 0,
  Object: 1,
  Array: 2,
  String: 3,
  Integer: 4,
  Number: 5,
  Boolean: 6,
  IntOrString: 7,
  Quantity: 8,
} as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

export function valueTypeOf(schema: StructuralSchema): ValueType {
  if (schema["x-kubernetes-int-or-string"]) return ValueType.IntOrString;
  if (schema["x-mesh-quantity"]) return ValueType.Quantity;
  switch (schema.type) {
    case undefined:
      return ValueType.Any;
    case "object":
      return ValueType.Object;
    case "array":
      return ValueType.Array;
    case "string":
      return ValueType.String;
    case "integer":
      return ValueType.Integer;
    case "number":
      return ValueType.Number;
    case "boolean":
      return ValueType.Boolean;
  }
}

export function typeMatches(value: unknown, schema: StructuralSchema): boolean {
  return matchesType(value, valueTypeOf(schema));
}

export function matchesType(value: unknown, type: ValueType): boolean {
  switch (type) {
    case ValueType.Any:
      return true;
    case ValueType.Object:
      return typeof value === "object" && !Array.isArray(value);
    case ValueType.Array:
      return Array.isArray(value);
    case ValueType.String:
      return typeof value === "string";
    case ValueType.Integer:
      return Number.isInteger(value);
    case ValueType.Number:
      return typeof value === "number";
    case ValueType.Boolean:
      return typeof value === "boolean";
    case ValueType.IntOrString:
      return typeof value === "string" || Number.isInteger(value);
    case ValueType.Quantity:
      return typeof value === "string" || typeof value === "number";
  }
}

function jsonTypeName(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

export function typeError(path: FieldPath, value: unknown, schema: StructuralSchema): FieldError {
  const expected = schema["x-kubernetes-int-or-string"]
    ? "integer or string"
    : schema["x-mesh-quantity"]
      ? "quantity (string or number)"
      : (schema.type ?? "object");
  const actual = jsonTypeName(value);
  return {
    type: "Invalid",
    path: path.slice(),
    code: "SCHEMA_TYPE",
    origin: "schema",
    shown: JSON.stringify(actual),
    detail: `must be of type ${expected}`,
    blocking: true,
    hint:
      expected === "string" && (actual === "boolean" || actual === "integer" || actual === "number")
        ? `YAML reads ${JSON.stringify(String(value))} unquoted as a ${actual}; quote it`
        : undefined,
  };
}

export function checkString(value: string, schema: StructuralSchema, path: Path, out: ValueCheckResult): void {
  checkStringRules(value, stringRulesOf(schema), path, out);
}

/**
 * A schema's string keywords, read once per schema: schemas come in hundreds of shapes, so reading the keywords on
 * every value is slow where this object has one shape.
 */
export interface StringRules {
  quantity: boolean;
  maxLength: number | undefined;
  minLength: number | undefined;
  pattern: string | undefined;
  /** The pattern compiled on its first value (compiling may load the RE2 port), or why it does not compile. */
  compiled: CompiledPattern | Error | undefined;
  format: string | undefined;
}

const stringRulesBySchema = new WeakMap<StructuralSchema, StringRules>();

export function stringRulesOf(schema: StructuralSchema): StringRules {
  let rules = typeof schema === "object" ? stringRulesBySchema.get(schema) : undefined;
  if (rules === undefined) {
    rules = {
      quantity: Boolean(schema["x-mesh-quantity"]),
      maxLength: schema.maxLength,
      minLength: schema.minLength,
      pattern: schema.pattern,
      compiled: undefined,
      format: schema.format,
    };
    if (typeof schema === "object") stringRulesBySchema.set(schema, rules);
  }
  return rules;
}

function compiledPatternOf(rules: StringRules, pattern: string): CompiledPattern | Error {
  if (rules.compiled === undefined) {
    try {
      rules.compiled = compilePattern(pattern);
    } catch (error) {
      rules.compiled = error instanceof Error ? error : new Error(String(error));
    }
  }
  return rules.compiled;
}

export function checkStringRules(value: string, rules: StringRules, path: Path, out: ValueCheckResult): void {
  if (rules.quantity) {
    const problem = quantityProblem(value);
    if (problem !== undefined) out.errors.push({ ...invalid(path, value, "SCHEMA_QUANTITY", problem), blocking: true });
  }
  const { maxLength, minLength } = rules;
  if (maxLength !== undefined || minLength !== undefined) {
    const length = codePointLength(value);
    if (maxLength !== undefined && length > maxLength) {
      out.errors.push({
        type: "TooLong",
        path: path.slice(),
        code: "SCHEMA_TOO_LONG",
        origin: "schema",
        detail: `may not be more than ${maxLength} characters (it has ${length})`,
        blocking: true,
      });
    }
    if (minLength !== undefined && length < minLength) {
      out.errors.push(invalid(path, value, "SCHEMA_TOO_SHORT", `should be at least ${minLength} chars long`));
    }
  }
  const pattern = rules.pattern;
  if (pattern !== undefined) {
    const compiled = compiledPatternOf(rules, pattern);
    if (compiled instanceof Error) {
      out.errors.push(
        invalid(
          path,
          value,
          "SCHEMA_PATTERN",
          `cannot match '${pattern}': the CRD's pattern is not valid RE2 (${compiled.message})`,
          "the API server rejects this CRD; fix the pattern in the CRD",
        ),
      );
    } else if (!compiled.test(value))
      out.errors.push(invalid(path, value, "SCHEMA_PATTERN", `should match '${pattern}'`, patternHint(pattern)));
  }
  if (rules.format !== undefined && checkFormat(rules.format, value) === false) {
    out.errors.push(invalid(path, value, "SCHEMA_FORMAT", `must be of type ${rules.format}`));
  }
}

export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) length--;
  }
  return length;
}

export function checkNumber(value: number, schema: StructuralSchema, path: Path, out: ValueCheckResult): void {
  if (schema.minimum !== undefined) {
    if (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum) {
      out.errors.push(
        invalid(path, value, "SCHEMA_RANGE", `should be greater than ${schema.exclusiveMinimum ? "" : "or equal to "}${schema.minimum}`),
      );
    }
  }
  if (schema.maximum !== undefined) {
    if (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum) {
      out.errors.push(
        invalid(path, value, "SCHEMA_RANGE", `should be less than ${schema.exclusiveMaximum ? "" : "or equal to "}${schema.maximum}`),
      );
    }
  }
  if (schema.multipleOf !== undefined && schema.multipleOf > 0) {
    const quotient = value / schema.multipleOf;
    if (Math.abs(quotient - Math.round(quotient)) > 1e-9) {
      out.errors.push(invalid(path, value, "SCHEMA_RANGE", `should be a multiple of ${schema.multipleOf}`));
    }
  }
}

function checkArray(value: unknown[], schema: StructuralSchema, path: Path, out: ValueCheckResult, collectRules: boolean): void {
  checkArrayBounds(value, schema, path, out);
  const items = schema.items;
  if (items) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      visit(value[index], items, path, out, collectRules);
      path.pop();
    }
  }
  checkListType(value, schema, path, out);
}

/** maxItems and minItems, reported before the items' own errors. */
export function checkArrayBounds(value: unknown[], schema: StructuralSchema, path: Path, out: ValueCheckResult): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    out.errors.push({
      type: "TooMany",
      path: path.slice(),
      code: "SCHEMA_TOO_MANY",
      origin: "schema",
      shown: String(value.length),
      detail: `must have at most ${schema.maxItems} items`,
      blocking: true,
    });
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    out.errors.push({
      type: "Invalid",
      path: path.slice(),
      code: "SCHEMA_TOO_FEW",
      origin: "schema",
      shown: String(value.length),
      detail: `should have at least ${schema.minItems} items`,
    });
  }
}

/** Stage 7: duplicates in a set or map list, reported after the items' own errors. */
export function checkListType(value: unknown[], schema: StructuralSchema, path: Path, out: ValueCheckResult): void {
  // Only duplicates are reported, and most lists of a manifest hold one item.
  if (value.length < 2) return;
  const listType = schema["x-kubernetes-list-type"];
  if (listType === "set") checkSetUniqueness(value, path, out);
  else if (listType === "map") checkMapUniqueness(value, schema["x-kubernetes-list-map-keys"] ?? [], path, out);
}

function checkSetUniqueness(value: unknown[], path: FieldPath, out: ValueCheckResult): void {
  const seen = new Set<string>();
  value.forEach((item, index) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) {
      out.errors.push({
        type: "Duplicate",
        path: [...path, index],
        code: "SCHEMA_DUPLICATE",
        origin: "schema",
        shown: shownEntry(item),
        detail: "",
      });
    }
    seen.add(key);
  });
}

function checkMapUniqueness(value: unknown[], keys: string[], path: FieldPath, out: ValueCheckResult): void {
  const seen = new Map<string, number>();
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    if (typeof item !== "object" || item === null || Array.isArray(item)) continue;
    const id = mapKeyId(item as Record<string, unknown>, keys);
    const first = seen.get(id);
    if (first !== undefined) {
      const tuple = keys.map((key) => (item as Record<string, unknown>)[key]);
      const shown = `{${keys.map((key, i) => `"${key}":${JSON.stringify(tuple[i] ?? null)}`).join(",")}}`;
      out.errors.push({
        type: "Duplicate",
        path: [...path, index],
        code: "SCHEMA_DUPLICATE",
        origin: "schema",
        shown,
        detail: "",
        hint: `entry ${first} has the same ${keys.join(", ")}; each entry needs a unique ${keys.join("+")}`,
      });
    } else {
      seen.set(id, index);
    }
  }
}

/**
 * An id for an item's key values, equal for two items exactly when the JSON of their key tuples is equal. A single
 * string or finite number key (nearly every list map) is spelled without JSON.stringify; the prefixes keep the kinds
 * apart, as their JSON texts are never equal either.
 */
export function mapKeyId(item: Record<string, unknown>, keys: readonly string[]): string {
  if (keys.length === 1) {
    const only = item[keys[0]!];
    if (typeof only === "string") return `s${only}`;
    // String(-0) is "0", as JSON.stringify(-0) is.
    if (typeof only === "number" && Number.isFinite(only)) return `n${String(only)}`;
  }
  return `j${JSON.stringify(keys.map((key) => item[key]))}`;
}

function checkObject(
  value: Record<string, unknown>,
  schema: StructuralSchema,
  path: Path,
  out: ValueCheckResult,
  collectRules: boolean,
): void {
  const keys = Object.keys(value);
  checkObjectBounds(value, keys.length, schema, path, out);
  const properties = schema.properties;
  const additional = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  for (const key of keys) {
    const child = childSchemaOf(properties, additional, key);
    if (!child) continue;
    path.push(key);
    visit(value[key], child, path, out, collectRules);
    path.pop();
  }
}

/** required, maxProperties and minProperties (over `count` own keys), reported before the properties' own errors. */
export function checkObjectBounds(
  value: Record<string, unknown>,
  count: number,
  schema: StructuralSchema,
  path: Path,
  out: ValueCheckResult,
): void {
  if (schema.required) {
    for (const key of schema.required) {
      if (!(key in value)) {
        out.errors.push({ type: "Required", path: [...path, key], code: "SCHEMA_REQUIRED", origin: "schema", detail: "", blocking: true });
      }
    }
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    out.errors.push({
      type: "TooMany",
      path: path.slice(),
      code: "SCHEMA_TOO_MANY",
      origin: "schema",
      shown: String(count),
      detail: `must have at most ${schema.maxProperties} items`,
      blocking: true,
    });
  }
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    out.errors.push(invalid(path, value, "SCHEMA_TOO_FEW", `should have at least ${schema.minProperties} properties`));
  }
}

export function checkCombinators(value: unknown, schema: StructuralSchema, path: Path, out: ValueCheckResult): void {
  if (schema.allOf) {
    for (const sub of schema.allOf) visit(value, sub, path, out, false);
  }
  if (schema.anyOf && !schema.anyOf.some((sub) => passes(value, sub, path))) {
    out.errors.push(
      invalid(path, value, "SCHEMA_ANY_OF", "must validate at least one schema (anyOf)", firstProblem(value, schema.anyOf, path)),
    );
  }
  if (schema.oneOf) {
    const passing = schema.oneOf.filter((sub) => passes(value, sub, path)).length;
    if (passing !== 1) {
      out.errors.push(
        invalid(
          path,
          value,
          "SCHEMA_ONE_OF",
          "must validate one and only one schema (oneOf)",
          passing === 0 ? firstProblem(value, schema.oneOf, path) : `${passing} alternatives match; set only one of them`,
        ),
      );
    }
  }
  if (schema.not && passes(value, schema.not, path)) {
    out.errors.push(invalid(path, value, "SCHEMA_NOT", "must not validate the schema (not)"));
  }
}

function passes(value: unknown, schema: StructuralSchema, path: Path): boolean {
  const presence = presencePredicate(schema);
  if (presence) return presence(value);
  const probe: ValueCheckResult = { errors: [], ruleSites: [] };
  visit(value, schema, path, probe, false);
  return probe.errors.length === 0;
}

/** Keys of a schema that asks only which fields are present: `required` lists, combined with allOf/anyOf/oneOf/not. */
const presenceKeys = new Set(["required", "allOf", "anyOf", "oneOf", "not"]);
const presencePredicates = new WeakMap<StructuralSchema, ((value: unknown) => boolean) | null>();

/**
 * Whether a value passes a schema of only `required` lists and combinators of such schemas (Istio's "one of exact,
 * prefix, regex" alternatives), answered without building errors; null for any other schema. It gives what visit
 * would: null passes (an untyped node admits it), `required` binds only objects that are not lists, and the
 * combinators combine as checkCombinators does.
 */
export function presencePredicate(schema: StructuralSchema): ((value: unknown) => boolean) | null {
  let predicate = presencePredicates.get(schema);
  if (predicate === undefined) {
    predicate = buildPresencePredicate(schema);
    presencePredicates.set(schema, predicate);
  }
  return predicate;
}

function buildPresencePredicate(schema: StructuralSchema): ((value: unknown) => boolean) | null {
  if (!Object.keys(schema).every((key) => presenceKeys.has(key))) return null;
  const parts = (list: StructuralSchema[] | undefined) => {
    const predicates = (list ?? []).map(presencePredicate);
    return predicates.every((predicate) => predicate !== null) ? (predicates as ((value: unknown) => boolean)[]) : null;
  };
  const allOf = parts(schema.allOf);
  const anyOf = schema.anyOf ? parts(schema.anyOf) : undefined;
  const oneOf = schema.oneOf ? parts(schema.oneOf) : undefined;
  const not = schema.not ? presencePredicate(schema.not) : undefined;
  if (allOf === null || anyOf === null || oneOf === null || not === null) return null;
  const required = schema.required ?? [];
  return (value) => {
    if (value === null || value === undefined) return true;
    if (typeof value === "object" && !Array.isArray(value)) {
      for (const key of required) if (!(key in value)) return false;
    }
    for (const predicate of allOf) if (!predicate(value)) return false;
    if (anyOf && !anyOf.some((predicate) => predicate(value))) return false;
    if (oneOf) {
      let passing = 0;
      for (const predicate of oneOf) if (predicate(value)) passing++;
      if (passing !== 1) return false;
    }
    return !not || !not(value);
  };
}

function firstProblem(value: unknown, alternatives: StructuralSchema[], path: Path): string | undefined {
  const details: string[] = [];
  for (const sub of alternatives) {
    const probe: ValueCheckResult = { errors: [], ruleSites: [] };
    visit(value, sub, path, probe, false);
    const first = probe.errors[0];
    if (first && first.detail && !details.includes(first.detail)) details.push(first.detail);
  }
  return details.length > 0 ? `none matches: ${details.join("; or ")}` : undefined;
}

function invalid(path: FieldPath, value: unknown, code: string, detail: string, hint?: string): FieldError {
  return { type: "Invalid", path: path.slice(), code, origin: "schema", shown: shownValue(value), detail, hint };
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => deepEqual(item, other[index]));
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  );
}
