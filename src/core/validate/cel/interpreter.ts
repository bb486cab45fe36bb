import { celEnv, celList, celMap, isCelError, parse, plan, type CelEnv } from "@bufbuild/cel";
import { kubernetesCelLibrary } from "./library.js";
import { escapePropertyName, rootView } from "./property-names.js";
import type { StructuralSchema } from "../schema-types.js";

/**
 * The CEL interpreter (@bufbuild/cel plus the Kubernetes library): the reference semantics, used for
 * rules the JavaScript compiler does not cover and for user CRDs' rules it cannot compile. Loaded on
 * first need only — importing @bufbuild/cel costs more than a small validation.
 */
type Program = (bindings: Record<string, unknown>) => unknown;

let env: CelEnv | undefined;
const programs = new Map<string, Program | Error>();

export type InterpretResult = { value: unknown } | { error: string };

function program(expression: string): Program {
  const cached = programs.get(expression);
  if (cached instanceof Error) throw cached;
  if (cached) return cached;
  try {
    env ??= celEnv({ funcs: kubernetesCelLibrary() });
    const compiled = plan(env, parse(expression)) as unknown as Program;
    programs.set(expression, compiled);
    return compiled;
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    programs.set(expression, failure);
    throw failure;
  }
}

/** Parses an expression (macros expanded) for the JavaScript compiler. Throws on syntax errors. */
export function parseExpression(expression: string): unknown {
  return parse(expression).expr;
}

/** Evaluates with `self` bound to the value converted by its schema. Compile errors throw. */
export function interpret(expression: string, value: unknown, schema: StructuralSchema, root: boolean): InterpretResult {
  const run = program(expression);
  const self = root ? rootSelf(value, schema) : toCel(value, schema);
  const result = run({ self });
  if (isCelError(result)) return { error: result.message };
  return { value: result };
}

/**
 * JSON data → CEL values typed by the schema: integers become int (bigint), object fields are escaped,
 * objects and arrays become CEL maps and lists (the evaluator would re-wrap plain objects on every access).
 */
export function toCel(value: unknown, schema: StructuralSchema | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") {
    if (schema?.type === "number") return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items = schema?.items;
    return celList(value.map((item) => toCel(item, items)) as never);
  }
  const object = value as Record<string, unknown>;
  const out = new Map<string, unknown>();
  const properties = schema?.properties;
  const additional = typeof schema?.additionalProperties === "object" ? schema.additionalProperties : undefined;
  for (const key of Object.keys(object)) {
    const propertySchema = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (propertySchema) {
      const name = escapePropertyName(key);
      if (name !== undefined) out.set(name, toCel(object[key], propertySchema));
    } else {
      out.set(key, toCel(object[key], additional));
    }
  }
  return celMap(out as never);
}

function rootSelf(value: unknown, schema: StructuralSchema): unknown {
  return toCel(rootView(value), {
    ...schema,
    properties: { ...schema.properties, metadata: { type: "object", additionalProperties: { type: "string" } } },
  });
}
