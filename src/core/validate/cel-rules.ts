import { celEnv, celList, celMap, isCelError, parse, plan, type CelEnv, type CelResult } from "@bufbuild/cel";
import type { FieldPath } from "../findings.js";
import { celHint } from "./cel-hints.js";
import { kubernetesCelLibrary } from "./cel-library.js";
import type { FieldError, FieldErrorType } from "./field-errors.js";
import type { StructuralSchema, ValidationRule } from "./schema-types.js";
import type { RuleSite } from "./value-validation.js";

type Program = (bindings: Record<string, unknown>) => CelResult;

let env: CelEnv | undefined;
const programs = new Map<string, Program | Error>();

function compile(expression: string): Program {
  const cached = programs.get(expression);
  if (cached instanceof Error) throw cached;
  if (cached) return cached;
  try {
    env ??= celEnv({ funcs: kubernetesCelLibrary() });
    const program = plan(env, parse(expression)) as unknown as Program;
    programs.set(expression, program);
    return program;
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    programs.set(expression, failure);
    throw failure;
  }
}

/** Transition rules need the previous object; a CLI validates as a create, where the API server skips them. */
const transitionRules = new WeakMap<ValidationRule, boolean>();

export function isTransitionRule(rule: ValidationRule): boolean {
  let transition = transitionRules.get(rule);
  if (transition === undefined) {
    transition = /\boldSelf\b/.test(rule.rule);
    transitionRules.set(rule, transition);
  }
  return transition;
}

/** Stage 8: every rule of every collected node, with `self` typed the way the API server types it. */
export function evaluateRules(sites: readonly RuleSite[], root: boolean): FieldError[] {
  const errors: FieldError[] = [];
  for (const site of sites) {
    const isRoot = root && site.path.length === 0;
    let self: unknown;
    for (const rule of site.schema["x-kubernetes-validations"] ?? []) {
      if (isTransitionRule(rule)) continue;
      self ??= isRoot ? rootSelf(site.value, site.schema) : site.self;
      const error = evaluateRule(rule, self, site);
      if (error) errors.push(error);
    }
  }
  return errors;
}

function evaluateRule(rule: ValidationRule, self: unknown, site: RuleSite): FieldError | undefined {
  const path = rule.fieldPath ? [...site.path, ...parseFieldPath(rule.fieldPath)] : site.path;
  const shown = JSON.stringify(celTypeName(site.schema, site.value));
  let result: CelResult;
  try {
    result = compile(rule.rule)({ self });
  } catch (error) {
    return {
      type: "Invalid",
      path,
      code: "CEL_COMPILE",
      origin: "cel",
      shown,
      detail: `rule compile error: ${error instanceof Error ? error.message : String(error)}: ${rule.rule}`,
    };
  }
  if (result === true) return undefined;
  if (isCelError(result) || typeof result !== "boolean") {
    // The API server rejects a rule that errors at runtime (no such key, bad conversion, out of range).
    const why = isCelError(result) ? result.message : `rule returned ${typeof result}, not a bool`;
    return {
      type: "Invalid",
      path,
      code: "CEL_RUNTIME_ERROR",
      origin: "cel",
      shown,
      detail: `${ruleText(rule)}: evaluation error: ${why}`,
    };
  }
  return {
    type: reasonType(rule.reason),
    path,
    code: "CEL_RULE",
    origin: "cel",
    shown: rule.reason === "FieldValueRequired" || rule.reason === "FieldValueForbidden" ? undefined : shown,
    detail: ruleMessage(rule, self),
    hint: celHint(rule.message ?? ""),
  };
}

function ruleText(rule: ValidationRule): string {
  return rule.message ?? `failed rule: ${rule.rule.replace(/\s+/g, " ").trim()}`;
}

function ruleMessage(rule: ValidationRule, self: unknown): string {
  if (rule.messageExpression) {
    try {
      const message = compile(rule.messageExpression)({ self });
      if (typeof message === "string" && message.trim() !== "" && !message.includes("\n")) return message;
    } catch {
      // Falls back to `message`, as the API server does when messageExpression fails.
    }
  }
  return ruleText(rule);
}

function reasonType(reason: ValidationRule["reason"]): FieldErrorType {
  switch (reason) {
    case "FieldValueForbidden":
      return "Forbidden";
    case "FieldValueRequired":
      return "Required";
    case "FieldValueDuplicate":
      return "Duplicate";
    default:
      return "Invalid";
  }
}

function celTypeName(schema: StructuralSchema, value: unknown): string {
  if (schema.type) return schema.type;
  if (Array.isArray(value)) return "array";
  return typeof value === "object" && value !== null ? "object" : typeof value;
}

/** `.spec.foo[0]`, `.foo['bar.baz']` → path segments. */
export function parseFieldPath(text: string): FieldPath {
  const segments: (string | number)[] = [];
  const pattern = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['([^']*)'\]/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(match[3]);
  }
  return segments;
}

const celReserved = new Set([
  "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",
  "import", "let", "loop", "package", "namespace", "return", "var", "void", "while",
]);

const escapedNames = new Map<string, string | undefined>();

/** Kubernetes' escaping of property names for CEL; undefined when the name stays inaccessible. */
export function escapePropertyName(name: string): string | undefined {
  if (escapedNames.has(name)) return escapedNames.get(name);
  let escaped: string | undefined;
  if (celReserved.has(name)) escaped = `__${name}__`;
  else {
    const candidate = name
      .replace(/__/g, "__underscores__")
      .replace(/\./g, "__dot__")
      .replace(/-/g, "__dash__")
      .replace(/\//g, "__slash__");
    escaped = /^[A-Za-z_][A-Za-z0-9_]*$/.test(candidate) ? candidate : undefined;
  }
  escapedNames.set(name, escaped);
  return escaped;
}

/**
 * JSON data → CEL values typed by the schema: integers become int (bigint), object fields are escaped,
 * and objects and arrays become CEL maps and lists (the evaluator would re-wrap plain objects on every
 * access otherwise). Value validation builds the same conversion during its walk; this one serves the root.
 */
export function toCel(value: unknown, schema: StructuralSchema | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") {
    if (schema?.type === "number") return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value !== "object") return value;
  let result: unknown;
  if (Array.isArray(value)) {
    const items = schema?.items;
    result = celList(value.map((item) => toCel(item, items)) as never);
  } else {
    const object = value as Record<string, unknown>;
    const out = new Map<string, unknown>();
    const properties = schema?.properties;
    const additional = typeof schema?.additionalProperties === "object" ? schema.additionalProperties : undefined;
    for (const key of Object.keys(object)) {
      const propertySchema = properties?.[key];
      if (propertySchema) {
        const name = escapePropertyName(key);
        if (name !== undefined) out.set(name, toCel(object[key], propertySchema));
      } else {
        out.set(key, toCel(object[key], additional));
      }
    }
    result = celMap(out as never);
  }
  return result;
}

/** At the root, CEL sees apiVersion, kind, metadata.name and metadata.generateName only (plus spec, status). */
function rootSelf(value: unknown, schema: StructuralSchema): unknown {
  const object = value as Record<string, unknown>;
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const visible: Record<string, unknown> = {};
  if (typeof metadata.name === "string") visible.name = metadata.name;
  if (typeof metadata.generateName === "string") visible.generateName = metadata.generateName;
  return toCel({ ...object, metadata: visible }, { ...schema, properties: { ...schema.properties, metadata: { type: "object", additionalProperties: { type: "string" } } } });
}
