import type { FieldPath } from "../findings.js";
import type { FieldError } from "./field-errors.js";
import type { StructuralSchema } from "./schema-types.js";
import { childSchemaOf, cloneDefault, defaultedKeys, prune, setOwn, unknownField } from "./structural-defaults.js";
import {
  acceptsNull,
  checkArrayBounds,
  checkCombinators,
  presencePredicate,
  checkEnum,
  checkListType,
  checkNull,
  checkNumber,
  checkObjectBounds,
  checkStringRules,
  stringRulesOf,
  type StringRules,
  matchesType,
  typeError,
  valueTypeOf,
  ValueType,
  type Path,
  type ValueCheckResult,
} from "./value-validation.js";

/** The object as admitted (pruned, defaulted) with the structural errors (stages 3–4) and value errors (6–7) found on the way. */
export interface AdmissionResult extends ValueCheckResult {
  admitted: unknown;
  structural: FieldError[];
}

/**
 * pruneAndDefault followed by checkValues on its result, in a single walk: each node is pruned and defaulted,
 * then its value is checked. Findings, their order and the admitted object are exactly those of the two walks
 * (a test compares them); a node's own errors that the second walk reports before its children's (enum,
 * bounds, required) are inserted ahead of them.
 */
export function admitAndCheck(value: unknown, schema: StructuralSchema, path: FieldPath): AdmissionResult {
  const result: AdmissionResult = { admitted: undefined, structural: [], errors: [], ruleSites: [] };
  result.admitted = walk(value, nodeFor(schema), [...path], result);
  return result;
}

function walk(value: unknown, node: SchemaNode, path: Path, out: AdmissionResult): unknown {
  const schema = node.schema;
  if (value === null || value === undefined) {
    if (!node.acceptsNull) checkNull(value, schema, path, out);
    return value;
  }
  if (!matchesType(value, node.type)) {
    // Pruning still reports unknown fields under a mistyped node; its value is not checked further.
    const pruned = prune(value, schema, path, out.structural);
    out.errors.push(typeError(path.slice(), pruned, schema));
    return pruned;
  }
  let admitted: unknown = value;
  if (typeof value === "object") {
    const mark = out.errors.length;
    admitted = Array.isArray(value) ? walkArray(value, node, path, out) : walkObject(value as Record<string, unknown>, node, path, out);
    if (node.ownChecks) {
      // Checked after the children (on the admitted value) but reported ahead of their errors, as checkValues does.
      const end = out.errors.length;
      const keywords = node.keywords;
      if (node.enumerated) checkEnum(admitted, keywords, path, out);
      if (Array.isArray(admitted)) {
        if (node.countsItems) checkArrayBounds(admitted, keywords, path, out);
      } else if (node.objectBounds) {
        const object = admitted as Record<string, unknown>;
        checkObjectBounds(object, node.countsProperties ? Object.keys(object).length : 0, keywords, path, out);
      }
      if (out.errors.length > end && end > mark) out.errors.splice(mark, 0, ...out.errors.splice(end));
    }
    if (node.listType && Array.isArray(admitted)) checkListType(admitted, node.keywords, path, out);
  } else if (node.scalarChecks) {
    if (node.enumerated) checkEnum(value, node.keywords, path, out);
    if (typeof value === "string") {
      if (node.stringRules !== undefined) checkStringRules(value, node.stringRules, path, out);
    } else if (typeof value === "number" && node.numberChecks) checkNumber(value, node.keywords, path, out);
  }
  // checkCombinatorsAndCollectRules, with the node's keywords read once.
  if (node.combinators && !node.combinatorsPass?.(admitted)) checkCombinators(admitted, schema, path, out);
  if (node.rules) out.ruleSites.push({ value: admitted, schema, path: path.slice() });
  return admitted;
}

function walkArray(value: unknown[], node: SchemaNode, path: Path, out: AdmissionResult): unknown[] {
  const items = node.items();
  if (!items) return value;
  let copy: unknown[] | undefined;
  for (let index = 0; index < value.length; index++) {
    path.push(index);
    const item = walk(value[index], items, path, out);
    path.pop();
    if (!copy && item !== value[index]) copy = value.slice(0, index);
    if (copy) copy.push(item);
  }
  return copy ?? value;
}

/** pruneObject's walk (structural-defaults.ts) with each kept property checked; only reached for a node typed object or untyped. */
function walkObject(object: Record<string, unknown>, node: SchemaNode, path: Path, out: AdmissionResult): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  const keys = Object.keys(object);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const child = object[key];
    const childNode = node.child(key);
    if (!childNode) {
      if (node.preserve || (node.embedded && (key === "apiVersion" || key === "kind" || key === "metadata"))) {
        if (copy) setOwn(copy, key, child);
        continue;
      }
      out.structural.push(unknownField([...path, key], node.properties ? Object.keys(node.properties) : []));
      copy ??= copyOfFirstKeys(object, keys, index);
      continue;
    }
    path.push(key);
    let value: unknown;
    let drop = false;
    if (child === null && !childNode.nullable) {
      if (childNode.schema.default !== undefined) value = walk(cloneDefault(childNode.schema.default), childNode, path, out);
      else drop = true;
    } else {
      value = walk(child, childNode, path, out);
    }
    path.pop();
    if (!copy && (drop || value !== child)) copy = copyOfFirstKeys(object, keys, index);
    if (copy && !drop) setOwn(copy, key, value);
  }
  for (const key of node.defaulted) {
    if (copy ? !(key in copy) && !(key in object && object[key] !== null) : !(key in object)) {
      copy ??= copyOfFirstKeys(object, keys, keys.length);
      const childNode = node.child(key)!;
      path.push(key);
      setOwn(copy, key, walk(cloneDefault(childNode.schema.default), childNode, path, out));
      path.pop();
    }
  }
  return copy ?? object;
}

function copyOfFirstKeys(object: Record<string, unknown>, keys: string[], count: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) setOwn(copy, keys[i]!, object[keys[i]!]);
  return copy;
}

/**
 * What the walk reads of one schema node, read once per node instead of once per value: schema objects come
 * in hundreds of shapes, so reading their keywords on every value is slow, where this class has one shape.
 * Children are prepared on first use, so a run pays only for the parts of a schema its documents reach.
 */
class SchemaNode {
  readonly type: ValueType;
  readonly acceptsNull: boolean;
  readonly nullable: boolean;
  readonly properties: Record<string, StructuralSchema> | undefined;
  readonly preserve: boolean;
  readonly embedded: boolean;
  /** Properties with a default, applied when absent. */
  readonly defaulted: readonly string[];
  /** Enum, string or number checks on a scalar. */
  readonly scalarChecks: boolean;
  readonly enumerated: boolean;
  /** Quantity, length, pattern or format (checkStringRules); undefined without any. */
  readonly stringRules: StringRules | undefined;
  /** Range or multipleOf (checkNumber). */
  readonly numberChecks: boolean;
  /** maxItems or minItems. */
  readonly countsItems: boolean;
  /** required, maxProperties or minProperties. */
  readonly objectBounds: boolean;
  /** Checks of a whole list or object reported before its children's errors: enum, counts, required. */
  readonly ownChecks: boolean;
  /** Whether checkObjectBounds needs the number of properties. */
  readonly countsProperties: boolean;
  readonly listType: boolean;
  /** allOf, anyOf, oneOf or not. */
  readonly combinators: boolean;
  /**
   * When every alternative asks only which fields are present (Istio's "one of exact, prefix, regex"): whether a value
   * passes all the node's combinators, so checkCombinators (which would report nothing then) runs only on a failure.
   */
  readonly combinatorsPass: ((value: unknown) => boolean) | null;
  /** x-kubernetes-validations: the node is a CEL rule site. */
  readonly rules: boolean;
  /**
   * The keywords the enum, bound, number and list-type checks read, in one object shape for every node (schemas come
   * in hundreds): those checks read nothing else, so they are given this instead of the schema.
   */
  readonly keywords: StructuralSchema;
  /** Nodes of declared properties, prepared on first use (one level at a time: a recursive schema stays finite). */
  private readonly declared = new Map<string, SchemaNode>();
  private additionalNode: SchemaNode | null | undefined;
  private itemsNode: SchemaNode | null | undefined;

  constructor(readonly schema: StructuralSchema) {
    this.type = valueTypeOf(schema);
    this.acceptsNull = acceptsNull(schema);
    this.nullable = Boolean(schema.nullable);
    this.properties = schema.properties;
    this.preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
    this.embedded = schema["x-kubernetes-embedded-resource"] === true;
    this.defaulted = schema.properties ? defaultedKeys(schema, schema.properties) : [];
    // Each check reads its keywords from the schema, whose shapes vary: a node calls only the checks it has.
    this.enumerated = Boolean(schema.enum);
    const stringChecks =
      Boolean(schema["x-mesh-quantity"]) ||
      schema.maxLength !== undefined ||
      schema.minLength !== undefined ||
      schema.pattern !== undefined ||
      schema.format !== undefined;
    this.numberChecks = schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined;
    this.stringRules = stringChecks ? stringRulesOf(schema) : undefined;
    this.scalarChecks = this.enumerated || stringChecks || this.numberChecks;
    this.countsItems = schema.maxItems !== undefined || schema.minItems !== undefined;
    this.countsProperties = schema.maxProperties !== undefined || schema.minProperties !== undefined;
    this.objectBounds = Boolean(schema.required) || this.countsProperties;
    this.ownChecks = this.enumerated || this.countsItems || this.objectBounds;
    const listType = schema["x-kubernetes-list-type"];
    this.listType = listType === "set" || listType === "map";
    this.combinators = Boolean(schema.allOf || schema.anyOf || schema.oneOf || schema.not);
    this.rules = (schema["x-kubernetes-validations"]?.length ?? 0) > 0;
    this.combinatorsPass = this.combinators ? presencePredicate(combinatorsOf(schema)) : null;
    this.keywords = {
      enum: schema.enum,
      required: schema.required,
      maxProperties: schema.maxProperties,
      minProperties: schema.minProperties,
      maxItems: schema.maxItems,
      minItems: schema.minItems,
      minimum: schema.minimum,
      exclusiveMinimum: schema.exclusiveMinimum,
      maximum: schema.maximum,
      exclusiveMaximum: schema.exclusiveMaximum,
      multipleOf: schema.multipleOf,
      "x-kubernetes-list-type": schema["x-kubernetes-list-type"],
      "x-kubernetes-list-map-keys": schema["x-kubernetes-list-map-keys"],
    };
  }

  /** The node for a property (or additionalProperties), as pruneObject and checkObject look it up (childSchemaOf). */
  child(key: string): SchemaNode | undefined {
    let node = this.declared.get(key);
    if (node === undefined) {
      if (this.additionalNode === undefined) {
        const additional = this.schema.additionalProperties;
        this.additionalNode = typeof additional === "object" && additional !== null ? nodeFor(additional) : null;
      }
      const schema = childSchemaOf(this.properties, undefined, key);
      if (schema === undefined || schema === null) return this.additionalNode ?? undefined;
      // Only declared properties are remembered: map keys and unknown fields are unbounded.
      node = nodeFor(schema);
      this.declared.set(key, node);
    }
    return node;
  }

  items(): SchemaNode | undefined {
    if (this.itemsNode === undefined) this.itemsNode = this.schema.items ? nodeFor(this.schema.items) : null;
    return this.itemsNode ?? undefined;
  }
}

const nodes = new WeakMap<StructuralSchema, SchemaNode>();

/** The schema's combinators alone (what checkCombinators checks), for presencePredicate. */
function combinatorsOf(schema: StructuralSchema): StructuralSchema {
  const combinators: StructuralSchema = {};
  if (schema.allOf) combinators.allOf = schema.allOf;
  if (schema.anyOf) combinators.anyOf = schema.anyOf;
  if (schema.oneOf) combinators.oneOf = schema.oneOf;
  if (schema.not) combinators.not = schema.not;
  return combinators;
}

function nodeFor(schema: StructuralSchema): SchemaNode {
  // A malformed user CRD may hold a scalar where a schema belongs; it is read like an empty schema, as the walkers do.
  if (typeof schema !== "object") return new SchemaNode(schema);
  let node = nodes.get(schema);
  if (!node) {
    node = new SchemaNode(schema);
    nodes.set(schema, node);
  }
  return node;
}
