import type { StructuralSchema } from "../schema-types.js";
import type { CelCall, CelComprehension, CelConstant, CelNode } from "./ast.js";
import { unescapeFieldName } from "./property-names.js";

/**
 * The API server's worst-case cost estimate of a CEL rule (cel-go's checker cost model with the Kubernetes
 * size estimator and library costs), computed on @bufbuild/cel's parsed AST. Types come from the structural
 * schema, which is all a validation rule can reach; sizes come from maxLength/maxItems/maxProperties or, when
 * a bound is missing, from how many values fit in one request. Numbers are uint64 in Go: here they are
 * doubles that saturate at 2^64 - 1, which keeps every comparison against the limits exact.
 */
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument --
   The node shapes come from @bufbuild/cel's generated protobuf union, typed in ast.ts. */

export const maxRequestSizeBytes = 3 * 1024 * 1024;
/** Go's math.MaxUint64 as a double (2^64 - 1 rounds to 2^64): costs saturate here. */
export const maxUint64 = 2 ** 64;
const stringTraversalCostFactor = 0.1;
const regexStringLengthCostFactor = 0.25;
const listCreateBaseCost = 10;
const mapCreateBaseCost = 30;

type DeclKind = "string" | "bytes" | "int" | "double" | "bool" | "duration" | "timestamp" | "list" | "map" | "object" | "dyn";

/** What a rule sees of a schema node (Kubernetes' DeclType): its CEL type and the bounds the estimator reads. */
export interface Decl {
  kind: DeclKind;
  maxElements: number;
  minSerializedSize: number;
  /** List items or map values. */
  elem?: Decl;
  /** Object properties by their (unescaped) names. */
  fields?: Map<string, Decl>;
}

// Serialized JSON sizes Kubernetes assumes for formatted strings.
const minDurationSizeJson = 4;
const maxDurationSizeJson = 32;
const jsonDateSize = 12;
const minDatetimeSizeJson = 21;
const maxDatetimeSizeJson = 37;

const scalar = (kind: DeclKind, minSerializedSize: number, maxElements = 0): Decl => ({ kind, maxElements, minSerializedSize });

function maxStringLength(schema: StructuralSchema): number {
  if (schema["x-kubernetes-int-or-string"]) return maxRequestSizeBytes - 2;
  switch (schema.format) {
    case "duration":
      return maxDurationSizeJson;
    case "date":
      return jsonDateSize;
    case "date-time":
      return maxDatetimeSizeJson;
    default:
      return maxRequestSizeBytes - 2;
  }
}

const nonNegative = (value: number) => Math.max(0, value);

/** Kubernetes' SchemaDeclType; undefined when the node is not visible to rules (e.g. untyped preserved fields). */
export function declFor(schema: StructuralSchema | undefined, resourceRoot: boolean): Decl | undefined {
  if (!schema) return undefined;
  if (schema["x-kubernetes-int-or-string"]) {
    return scalar("dyn", 1, schema.maxLength !== undefined ? nonNegative(schema.maxLength) * 4 : maxStringLength(schema));
  }
  switch (schema.type) {
    case "array": {
      const items = declFor(schema.items, Boolean(schema.items?.["x-kubernetes-embedded-resource"]));
      if (!items) return undefined;
      const maxItems =
        schema.maxItems !== undefined
          ? nonNegative(schema.maxItems)
          : Math.floor((maxRequestSizeBytes - 2) / (items.minSerializedSize + 1));
      return { kind: "list", maxElements: maxItems, minSerializedSize: 2, elem: items };
    }
    case "object": {
      const additional = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
      if (additional) {
        const values = declFor(additional, Boolean(additional["x-kubernetes-embedded-resource"]));
        if (!values) return undefined;
        const maxProperties =
          schema.maxProperties !== undefined
            ? nonNegative(schema.maxProperties)
            : Math.floor((maxRequestSizeBytes - 2) / (values.minSerializedSize + 6));
        return { kind: "map", maxElements: maxProperties, minSerializedSize: 2, elem: values };
      }
      const fields = new Map<string, Decl>();
      const required = new Set(schema.required ?? []);
      let minSerializedSize = 2;
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const field = declFor(property, Boolean(property["x-kubernetes-embedded-resource"]));
        if (!field) continue;
        fields.set(name, field);
        if (required.has(name) && property.default === undefined) minSerializedSize += name.length + field.minSerializedSize + 4;
      }
      if (resourceRoot) {
        // apiVersion, kind, metadata.name and metadata.generateName are visible at every resource root.
        const text = () => scalar("string", 2, maxRequestSizeBytes - 2);
        if (fields.get("apiVersion")?.kind !== "string") fields.set("apiVersion", text());
        if (fields.get("kind")?.kind !== "string") fields.set("kind", text());
        const metadata = fields.get("metadata");
        if (
          metadata?.kind !== "object" ||
          metadata.fields?.get("name")?.kind !== "string" ||
          metadata.fields.get("generateName")?.kind !== "string"
        ) {
          fields.set("metadata", {
            kind: "object",
            maxElements: 0,
            minSerializedSize: 2,
            fields: new Map([
              ["name", text()],
              ["generateName", text()],
            ]),
          });
        }
      }
      return { kind: "object", maxElements: 0, minSerializedSize, fields };
    }
    case "string":
      switch (schema.format) {
        case "byte":
          return scalar("bytes", 2, schema.maxLength !== undefined ? nonNegative(schema.maxLength) : maxStringLength(schema));
        case "duration":
          return scalar("duration", minDurationSizeJson, maxStringLength(schema));
        case "date":
          return scalar("timestamp", jsonDateSize, maxStringLength(schema));
        case "date-time":
          return scalar("timestamp", minDatetimeSizeJson, maxStringLength(schema));
      }
      if (schema.maxLength !== undefined) return scalar("string", 2, nonNegative(schema.maxLength) * 4);
      if (schema.enum && schema.enum.length > 0) {
        return scalar("string", 2, Math.max(0, ...schema.enum.map((value) => (typeof value === "string" ? Buffer.byteLength(value) : 0))));
      }
      return scalar("string", 2, maxStringLength(schema));
    case "boolean":
      return scalar("bool", 4);
    case "number":
      return scalar("double", 1);
    case "integer":
      return scalar("int", 1);
    default:
      return undefined;
  }
}

/** How many times a value of this minimum size can occur in one request (the cardinality under unbounded lists/maps). */
export function maxCardinality(minSerializedSize: number): number {
  return Math.floor(maxRequestSizeBytes / (minSerializedSize + 1));
}

interface Range {
  min: number;
  max: number;
}

const add = (a: number, b: number) => Math.min(a + b, maxUint64);
const multiply = (a: number, b: number) => (a === 0 || b === 0 ? 0 : Math.min(a * b, maxUint64));
function byFactor(value: number, factor: number): number {
  const product = Math.ceil(value * factor);
  return product >= maxUint64 ? maxUint64 : product;
}
const fixed = (value: number): Range => ({ min: value, max: value });
const plus = (a: Range, b: Range): Range => ({ min: add(a.min, b.min), max: add(a.max, b.max) });
const times = (a: Range, b: Range): Range => ({ min: multiply(a.min, b.min), max: multiply(a.max, b.max) });
const scaled = (a: Range, factor: number): Range => ({ min: byFactor(a.min, factor), max: byFactor(a.max, factor) });
const union = (a: Range, b: Range): Range => ({ min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) });
const unknownSize: Range = { min: 0, max: maxUint64 };

type ValueKind = DeclKind | "uint" | "null" | "opaque" | "unknown";

/** The size estimate of a list or map's entries (cel-go's entrySizeEstimate). */
interface Entries {
  container: "list" | "map";
  key: Range;
  value: Range;
}

/** What the estimator knows about one subexpression. */
interface Info {
  kind: ValueKind;
  /** The schema node the value is (cel-go's field path resolved by the Kubernetes size estimator). */
  decl?: Decl;
  /** Computed size: literals and function results (checked first). */
  size?: Range;
  /** A local variable's size (checked last). */
  variableSize?: Range;
  entries?: Entries;
  /** Element kind of lists (and value kind of maps) when no schema node is known. */
  elemKind?: ValueKind;
  /** The variable is a comprehension accumulator: Kubernetes' estimator is not asked about it. */
  accumulator?: boolean;
}

const scalarKinds = new Set<ValueKind>(["bool", "double", "duration", "int", "timestamp", "uint"]);

/** cel-go's computeSize: computed size, then the schema bound, then fixed-size types, then the variable's size. */
function sizeOf(info: Info): Range | undefined {
  if (info.size) return info.size;
  if (info.decl && !info.accumulator) return { min: 0, max: info.decl.maxElements };
  if (scalarKinds.has(info.kind)) return fixed(1);
  return info.variableSize;
}

const sizeOrUnknown = (info: Info): Range => sizeOf(info) ?? unknownSize;

function elementInfo(info: Info): Info {
  if (info.decl?.kind === "list" || info.decl?.kind === "map") {
    const elem = info.decl.elem!;
    return { kind: elem.kind, decl: elem };
  }
  return { kind: info.elemKind ?? "unknown" };
}

interface Local {
  info: Info;
}

const accumulatorNames = new Set(["@result", "__result__"]);

class Estimator {
  private readonly scopes = new Map<string, Local[]>();

  constructor(private readonly self: Decl) {}

  estimate(node: CelNode): { cost: Range; info: Info } {
    const { case: kind, value } = node.exprKind;
    switch (kind) {
      case "constExpr":
        return { cost: fixed(0), info: this.constant(value) };
      case "identExpr":
        return { cost: fixed(1), info: this.identifier(value.name as string) };
      case "selectExpr":
        return this.select(value);
      case "callExpr":
        return this.call(value);
      case "listExpr": {
        let cost = fixed(listCreateBaseCost);
        let itemSize: Range = { min: (value.elements as CelNode[]).length === 0 ? 0 : maxUint64, max: 0 };
        let elemKind: ValueKind | undefined;
        for (const element of value.elements as CelNode[]) {
          const item = this.estimate(element);
          cost = plus(cost, item.cost);
          itemSize = union(itemSize, sizeOrUnknown(item.info));
          elemKind ??= item.info.kind;
        }
        const count = fixed((value.elements as CelNode[]).length);
        return { cost, info: { kind: "list", size: count, elemKind, entries: { container: "list", key: fixed(1), value: itemSize } } };
      }
      case "structExpr": {
        let cost = fixed(value.messageName ? 40 : mapCreateBaseCost);
        const entries = value.entries as { keyKind: { case: string; value: CelNode }; value: CelNode }[];
        let keySize: Range = { min: entries.length === 0 ? 0 : maxUint64, max: 0 };
        let valueSize: Range = { ...keySize };
        let elemKind: ValueKind | undefined;
        for (const entry of entries) {
          const entryValue = this.estimate(entry.value);
          cost = plus(cost, entryValue.cost);
          valueSize = union(valueSize, sizeOrUnknown(entryValue.info));
          elemKind ??= entryValue.info.kind;
          if (entry.keyKind.case === "mapKey") {
            const key = this.estimate(entry.keyKind.value);
            cost = plus(cost, key.cost);
            keySize = union(keySize, sizeOrUnknown(key.info));
          }
        }
        if (value.messageName) return { cost, info: { kind: "object" } };
        return {
          cost,
          info: { kind: "map", size: fixed(entries.length), elemKind, entries: { container: "map", key: keySize, value: valueSize } },
        };
      }
      case "comprehensionExpr":
        return this.isBind(value) ? this.bind(value) : this.comprehension(value);
      default:
        return { cost: fixed(0), info: { kind: "unknown" } };
    }
  }

  private constant(value: CelConstant): Info {
    const { case: kind, value: constant } = value.constantKind;
    switch (kind) {
      case "stringValue":
        return { kind: "string", size: fixed(Array.from(constant as string).length) };
      case "bytesValue":
        return { kind: "bytes", size: fixed((constant as Uint8Array).length) };
      case "boolValue":
        return { kind: "bool", size: fixed(1) };
      case "int64Value":
        return { kind: "int", size: fixed(1) };
      case "uint64Value":
        return { kind: "uint", size: fixed(1) };
      case "doubleValue":
        return { kind: "double", size: fixed(1) };
      case "nullValue":
        return { kind: "null", size: fixed(1) };
      default:
        return { kind: "unknown" };
    }
  }

  private identifier(name: string): Info {
    const local = this.scopes.get(name)?.at(-1);
    if (local) return local.info;
    if (name === "self" || name === "oldSelf") return { kind: this.self.kind, decl: this.self };
    return { kind: "unknown" };
  }

  private push(name: string, info: Info): void {
    const stack = this.scopes.get(name) ?? [];
    stack.push({ info });
    this.scopes.set(name, stack);
  }

  private pop(name: string): void {
    this.scopes.get(name)?.pop();
  }

  private select(value: { operand: CelNode; field: string; testOnly: boolean }): { cost: Range; info: Info } {
    const operand = this.estimate(value.operand);
    const field = unescapeFieldName(value.field);
    const decl =
      operand.info.decl?.kind === "object"
        ? operand.info.decl.fields?.get(field)
        : operand.info.decl?.kind === "map"
          ? operand.info.decl.elem
          : undefined;
    // Kubernetes turns off the cost of presence tests (has()).
    if (value.testOnly) return { cost: operand.cost, info: { kind: "bool" } };
    const costly = operand.info.kind === "object" || operand.info.kind === "map";
    return {
      cost: costly ? plus(operand.cost, fixed(1)) : operand.cost,
      info: decl ? { kind: decl.kind, decl } : { kind: "unknown" },
    };
  }

  private isBind(value: { iterRange: CelNode; loopCondition: CelNode; accuVar: string }): boolean {
    const range = value.iterRange.exprKind;
    const condition = value.loopCondition.exprKind;
    return (
      range.case === "listExpr" &&
      (range.value.elements as CelNode[]).length === 0 &&
      condition.case === "constExpr" &&
      condition.value.constantKind.case === "boolValue" &&
      condition.value.constantKind.value === false &&
      !accumulatorNames.has(value.accuVar)
    );
  }

  private bind(value: { iterRange: CelNode; accuInit: CelNode; accuVar: string; result: CelNode }): { cost: Range; info: Info } {
    const range = this.estimate(value.iterRange);
    const init = this.estimate(value.accuInit);
    this.push(value.accuVar, this.variable(init.info, false));
    const result = this.estimate(value.result);
    this.pop(value.accuVar);
    return { cost: plus(plus(range.cost, init.cost), result.cost), info: result.info };
  }

  /** A local variable bound to an expression: it keeps the expression's schema node and sizes. */
  private variable(info: Info, accumulator: boolean): Info {
    return { kind: info.kind, decl: info.decl, variableSize: sizeOf(info), entries: info.entries, elemKind: info.elemKind, accumulator };
  }

  private comprehension(value: CelComprehension): { cost: Range; info: Info } {
    const range = this.estimate(value.iterRange);
    const init = this.estimate(value.accuInit);
    let cost = plus(range.cost, init.cost);
    this.push(value.accuVar, this.variable(init.info, true));
    const entries = range.info.entries;
    const container = entries?.container ?? (range.info.kind === "list" ? "list" : range.info.kind === "map" ? "map" : undefined);
    const keyInfo: Info =
      range.info.decl?.kind === "map" ? { kind: "string", decl: scalar("string", 2) } : { kind: container === "list" ? "int" : "unknown" };
    if (value.iterVar2) {
      this.push(value.iterVar, { ...keyInfo, variableSize: entries?.key });
      this.push(value.iterVar2, { ...elementInfo(range.info), variableSize: entries?.value });
    } else if (container === "list") {
      this.push(value.iterVar, { ...elementInfo(range.info), variableSize: entries?.value });
    } else {
      this.push(value.iterVar, { ...keyInfo, variableSize: entries?.key });
    }
    const condition = this.estimate(value.loopCondition);
    const step = this.estimate(value.loopStep);
    this.pop(value.iterVar);
    if (value.iterVar2) this.pop(value.iterVar2);
    const result = this.estimate(value.result);
    this.pop(value.accuVar);
    const count = sizeOrUnknown(range.info);
    cost = plus(cost, result.cost);
    cost = plus(cost, times(count, plus(step.cost, condition.cost)));
    const info: Info = { ...result.info, accumulator: false };
    const initKind = value.accuInit.exprKind.case;
    if (initKind === "constExpr") info.size = sizeOf(init.info);
    else if (initKind === "listExpr" || initKind === "structExpr") {
      info.size = count;
      if (step.info.entries) info.entries = step.info.entries;
    }
    return { cost, info };
  }

  private call(value: CelCall): { cost: Range; info: Info } {
    const name = value.function;
    if (name === "dyn" && value.args.length === 1) {
      const arg = this.estimate(value.args[0]!);
      return { cost: plus(fixed(1), arg.cost), info: { ...arg.info, kind: "dyn" } };
    }
    const args = value.args.map((arg) => this.estimate(arg));
    const argCost = args.reduce((sum, arg) => plus(sum, arg.cost), fixed(0));
    const target = value.target ? this.estimate(value.target) : undefined;
    const own = this.functionCost(name, target?.info, args, argCost);
    return { cost: target ? plus(target.cost, own.cost) : own.cost, info: own.info };
  }

  private functionCost(
    name: string,
    target: Info | undefined,
    args: { cost: Range; info: Info }[],
    argCost: Range,
  ): { cost: Range; info: Info } {
    const arg = (index: number) => args[index]!.info;
    const constant = (result: Info) => ({ cost: plus(fixed(1), argCost), info: result });
    const bool: Info = { kind: "bool" };
    const traversal = (size: Range, factor = stringTraversalCostFactor) => scaled(size, factor);
    switch (name) {
      case "_&&_":
      case "_||_": {
        const [left, right] = [args[0]!.cost, args[1]!.cost];
        return { cost: { min: left.min, max: add(left.max, right.max) }, info: bool };
      }
      case "_?_:_": {
        const size = union(sizeOrUnknown(arg(1)), sizeOrUnknown(arg(2)));
        const entries =
          arg(1).entries && arg(2).entries
            ? {
                ...arg(1).entries!,
                key: union(arg(1).entries!.key, arg(2).entries!.key),
                value: union(arg(1).entries!.value, arg(2).entries!.value),
              }
            : undefined;
        return {
          cost: plus(args[0]!.cost, union(args[1]!.cost, args[2]!.cost)),
          info: { kind: arg(1).kind, decl: arg(1).decl ?? arg(2).decl, size, entries, elemKind: arg(1).elemKind },
        };
      }
      case "_==_":
      case "_!=_":
        return { cost: plus(this.comparison(arg(0), arg(1)), argCost), info: bool };
      case "_<_":
      case "_<=_":
      case "_>_":
      case "_>=_":
        if (arg(0).kind === "string" || arg(0).kind === "bytes")
          return { cost: plus(this.comparison(arg(0), arg(1)), argCost), info: bool };
        return constant(bool);
      case "@in":
        if (arg(1).kind === "list") return { cost: plus(sizeOrUnknown(arg(1)), argCost), info: bool };
        return constant(bool);
      case "_+_": {
        const kind = arg(0).kind;
        if (kind === "string" || kind === "bytes" || kind === "list") {
          const size = plus(sizeOrUnknown(arg(0)), sizeOrUnknown(arg(1)));
          const left = arg(0).entries;
          const right = arg(1).entries;
          const entries =
            left && right
              ? { container: "list" as const, key: union(left.key, right.key), value: union(left.value, right.value) }
              : undefined;
          const info: Info = { kind, size, entries, elemKind: arg(0).elemKind ?? arg(1).elemKind };
          if (kind === "list")
            return {
              cost: plus(fixed(1), argCost),
              info: { ...info, decl: undefined, elemKind: info.elemKind ?? elementInfo(arg(0)).kind },
            };
          return { cost: plus(traversal(size), argCost), info };
        }
        return constant({ kind: kind === "unknown" ? "unknown" : kind });
      }
      case "_[_]": {
        const container = arg(0);
        const element = elementInfo(container);
        const size = container.entries?.value;
        return constant({ ...element, size });
      }
      case "matches":
        if (target) {
          const text = traversal(plus(sizeOrUnknown(target), fixed(1)));
          const regex = traversal(sizeOrUnknown(arg(0)), regexStringLengthCostFactor);
          return { cost: plus(times(text, regex), argCost), info: bool };
        }
        return constant(bool);
      case "contains":
        if (target && target.kind !== "list") {
          return { cost: plus(times(traversal(sizeOrUnknown(target)), traversal(sizeOrUnknown(arg(0)))), argCost), info: bool };
        }
        return constant(bool);
      case "startsWith":
      case "endsWith":
        return { cost: plus(traversal(sizeOrUnknown(arg(0))), argCost), info: bool };
      case "format":
        if (target) return { cost: plus(traversal(sizeOrUnknown(target)), argCost), info: { kind: "string" } };
        break;
      // Kubernetes' library costs (k8s.io/apiserver/pkg/cel/library/cost.go).
      case "isSorted":
      case "sum":
      case "max":
      case "min":
      case "indexOf":
      case "lastIndexOf":
        if (target) {
          const resultKind: ValueKind =
            name === "isSorted" ? "bool" : name === "indexOf" || name === "lastIndexOf" ? "int" : elementInfo(target).kind;
          if (target.kind === "list") {
            const element = elementInfo(target);
            let perElement = fixed(1);
            if (element.kind === "string" || element.kind === "bytes")
              perElement = plus(
                perElement,
                traversal(sizeOrUnknown(element.decl ? { kind: element.kind, decl: element.decl } : { kind: element.kind })),
              );
            return { cost: plus(times(sizeOrUnknown(target), perElement), argCost), info: { kind: resultKind } };
          }
          return { cost: plus(traversal(sizeOrUnknown(target)), argCost), info: { kind: resultKind } };
        }
        break;
      case "url":
        if (args.length === 1) return { cost: plus(traversal(sizeOrUnknown(arg(0))), argCost), info: { kind: "opaque" } };
        break;
      case "lowerAscii":
      case "upperAscii":
      case "substring":
      case "trim":
        if (target) {
          const size = sizeOrUnknown(target);
          return { cost: plus(traversal(size), argCost), info: { kind: "string", size } };
        }
        break;
      case "replace":
        if (target && args.length >= 2) {
          const size = sizeOrUnknown(target);
          return {
            cost: plus(traversal(size, 2 * stringTraversalCostFactor), argCost),
            info: { kind: "string", size: replacedSize(size, sizeOrUnknown(arg(0)), sizeOrUnknown(arg(1))) },
          };
        }
        break;
      case "split":
        if (target) {
          const size = sizeOrUnknown(target);
          return {
            cost: plus(traversal(size, 2 * stringTraversalCostFactor), argCost),
            info: { kind: "list", elemKind: "string", size: { min: 0, max: size.max } },
          };
        }
        break;
      case "join":
        if (target) {
          const listSize = sizeOrUnknown(target);
          const element = elementInfo(target);
          let size = element.decl || element.kind ? times(listSize, sizeOrUnknown(element)) : fixed(0);
          if (args.length > 0)
            size = plus(size, times(sizeOrUnknown(arg(0)), { min: Math.max(0, listSize.min - 1), max: Math.max(0, listSize.max - 1) }));
          return { cost: plus(traversal(size), argCost), info: { kind: "string", size } };
        }
        break;
      case "find":
      case "findAll":
        if (target && args.length >= 1) {
          const size = sizeOrUnknown(target);
          const text = traversal(plus(size, fixed(1)));
          const regex = traversal(sizeOrUnknown(arg(0)), regexStringLengthCostFactor);
          return {
            cost: plus(times(text, regex), argCost),
            info:
              name === "find"
                ? { kind: "string", size: { min: 0, max: size.max } }
                : { kind: "list", elemKind: "string", size: { min: 0, max: size.max } },
          };
        }
        break;
      case "size":
      case "int":
      case "uint":
      case "double":
        return constant({ kind: name === "size" ? "int" : name });
      case "string":
        return constant({ kind: "string" });
      case "duration":
        return constant({ kind: "duration" });
      case "timestamp":
        return constant({ kind: "timestamp" });
      case "!_":
      case "@not_strictly_false":
      case "isURL":
      case "isIP":
      case "isCIDR":
      case "isQuantity":
      case "exists":
        return constant(bool);
      case "-_":
        return constant({ kind: arg(0).kind });
      case "_-_":
      case "_*_":
      case "_/_":
      case "_%_":
        return constant({ kind: arg(0).kind });
    }
    return constant({ kind: "unknown" });
  }

  /** Equality and string ordering: O(min size) of the operands, scalars cost 1. */
  private comparison(left: Info, right: Info): Range {
    const smallest = Math.min(sizeOrUnknown(left).max, sizeOrUnknown(right).max);
    return scaled({ min: smallest > 0 ? 1 : 0, max: smallest }, stringTraversalCostFactor);
  }
}

function replacedSize(size: Range, toReplace: Range, replaceWith: Range): Range {
  let countMax: number;
  let retainedMax = 0;
  if (toReplace.min === 0) {
    countMax = size.max < maxUint64 ? size.max + 1 : size.max;
    retainedMax = size.max;
  } else if (replaceWith.max <= toReplace.min) {
    countMax = 0;
    retainedMax = size.max;
  } else countMax = Math.ceil(size.max / toReplace.min);
  let countMin: number;
  let retainedMin = 0;
  if (toReplace.max === 0) {
    countMin = size.min < maxUint64 ? size.min + 1 : size.min;
    retainedMin = size.min;
  } else if (toReplace.max <= replaceWith.min) {
    countMin = 0;
    retainedMin = size.min;
  } else countMin = Math.ceil(size.min / toReplace.max);
  return plus(times({ min: countMin, max: countMax }, replaceWith), { min: retainedMin, max: retainedMax });
}

/** The estimated worst-case cost (cel-go's CostEstimate.Max) of a parsed expression with `self` of this type. */
export function estimateCost(expression: unknown, self: Decl): number {
  return new Estimator(self).estimate(expression as CelNode).cost.max;
}
