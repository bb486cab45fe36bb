import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { FieldPath } from "../../findings.js";
import { celHint } from "./hints.js";
import { compileCelToJs } from "./codegen.js";
import { CelFailure, celRuntime, resetIterationBudget, type CelRuntime } from "./runtime.js";
import type { FieldError, FieldErrorType } from "../field-errors.js";
import type { StructuralSchema, ValidationRule } from "../schema-types.js";
import type { RuleSite } from "../value-validation.js";

type Interpreter = typeof import("./interpreter.js");
type CompiledRule = (rt: CelRuntime, self: unknown) => unknown;

// Run from TypeScript sources (tests), the built modules and tables of dist/ serve (npm test builds first).
const distRoot = import.meta.url.endsWith(".ts") ? new URL("../../../../dist/", import.meta.url) : new URL("../../../", import.meta.url);

// Synchronous, on-demand loading keeps @bufbuild/cel off the start-up path (Node ≥ 20.19 can require ESM).
const requireModule = createRequire(import.meta.url);
let interpreter: Interpreter | undefined;
const loadInterpreter = (): Interpreter =>
  (interpreter ??= requireModule(fileURLToPath(new URL("core/validate/cel/interpreter.js", distRoot))) as Interpreter);

/** Rules compiled to JavaScript by the build step (20-validators): rule text → function body. */
const precompiledUrl = new URL("validators/cel-rules.json", distRoot);
let precompiled: Record<string, string | null> | undefined;
const compiledRules = new Map<string, CompiledRule | null>();

// MESH_CEL_INTERPRETER=1 evaluates every rule with the interpreter (to compare both paths); read once,
// because process.env is slow to read per rule.
let interpretAll = process.env.MESH_CEL_INTERPRETER === "1";

/** Switches between compiled rules (default) and the interpreter for everything (tests compare both). */
export function useCelInterpreterForAllRules(on: boolean): void {
  interpretAll = on;
}

function compiledRule(expression: string): CompiledRule | undefined {
  if (interpretAll) return undefined;
  const cached = compiledRules.get(expression);
  if (cached !== undefined) return cached ?? undefined;
  let body: string | null | undefined;
  {
    if (precompiled === undefined) {
      try {
        precompiled = JSON.parse(readFileSync(precompiledUrl, "utf8")) as Record<string, string | null>;
      } catch {
        precompiled = {};
      }
    }
    body = precompiled[expression];
    if (body === undefined) {
      // Not built ahead of time (user CRDs, tests from source): compile now.
      try {
        body = compileCelToJs(loadInterpreter().parseExpression(expression) as never) ?? null;
      } catch {
        body = null;
      }
    }
  }
  const rule = body ? (new Function("rt", "self", `return ${body};`) as CompiledRule) : null;
  compiledRules.set(expression, rule);
  return rule ?? undefined;
}

const transitionRules = new WeakMap<ValidationRule, boolean>();

/** Transition rules need the previous object; a CLI validates as a create, where the API server skips them. */
export function isTransitionRule(rule: ValidationRule): boolean {
  let transition = transitionRules.get(rule);
  if (transition === undefined) {
    transition = /\boldSelf\b/.test(rule.rule);
    transitionRules.set(rule, transition);
  }
  return transition;
}

type Outcome = { value: unknown } | { error: string } | { compileError: string };

/** One rule on one value: compiled JavaScript when available, else the interpreter. */
export function runRule(expression: string, value: unknown, schema: StructuralSchema, root: boolean): Outcome {
  const compiled = compiledRule(expression);
  if (compiled) {
    try {
      const self = root ? loadRootView(value) : value;
      resetIterationBudget();
      const result = compiled(celRuntime, self);
      return result instanceof CelFailure ? { error: result.message } : { value: result };
    } catch (error) {
      if (error instanceof CelFailure) return { error: error.message };
      if (error instanceof RangeError) return { error: "evaluation too expensive (stack exhausted)" };
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
  try {
    return loadInterpreter().interpret(expression, value, schema, root);
  } catch (error) {
    return { compileError: error instanceof Error ? error.message : String(error) };
  }
}

function loadRootView(value: unknown): unknown {
  const object = value as Record<string, unknown>;
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const visible: Record<string, unknown> = {};
  if (typeof metadata.name === "string") visible.name = metadata.name;
  if (typeof metadata.generateName === "string") visible.generateName = metadata.generateName;
  return { ...object, metadata: visible };
}

/** Stage 8: every rule of every collected node. */
export function evaluateRules(sites: readonly RuleSite[], root: boolean): FieldError[] {
  const errors: FieldError[] = [];
  for (const site of sites) {
    const isRoot = root && site.path.length === 0;
    for (const rule of site.schema["x-kubernetes-validations"] ?? []) {
      if (isTransitionRule(rule)) continue;
      const error = evaluateRule(rule, site, isRoot);
      if (error) errors.push(error);
    }
  }
  return errors;
}

function evaluateRule(rule: ValidationRule, site: RuleSite, root: boolean): FieldError | undefined {
  const path = rule.fieldPath ? [...site.path, ...parseFieldPath(rule.fieldPath)] : site.path;
  const shown = JSON.stringify(celTypeName(site.schema, site.value));
  const outcome = runRule(rule.rule, site.value, site.schema, root);
  if ("compileError" in outcome) {
    return {
      type: "Invalid",
      path,
      code: "CEL_COMPILE",
      origin: "cel",
      shown,
      detail: `rule compile error: ${outcome.compileError}: ${rule.rule}`,
    };
  }
  if ("value" in outcome && outcome.value === true) return undefined;
  if ("error" in outcome || typeof outcome.value !== "boolean") {
    // The API server rejects a rule that errors at runtime (no such key, bad conversion, out of range).
    const why = "error" in outcome ? outcome.error : `rule returned ${typeof outcome.value}, not a bool`;
    return {
      type: "Invalid",
      path,
      code: "CEL_RUNTIME_ERROR",
      origin: "cel",
      shown,
      detail: `${ruleText(rule)}: evaluation error: ${why}`,
      hint: celHint(rule.message ?? ""),
    };
  }
  return {
    type: reasonType(rule.reason),
    path,
    code: "CEL_RULE",
    origin: "cel",
    shown: rule.reason === "FieldValueRequired" || rule.reason === "FieldValueForbidden" ? undefined : shown,
    detail: ruleMessage(rule, site, root),
    hint: celHint(rule.message ?? ""),
  };
}

function ruleText(rule: ValidationRule): string {
  return rule.message ?? `failed rule: ${rule.rule.replace(/\s+/g, " ").trim()}`;
}

function ruleMessage(rule: ValidationRule, site: RuleSite, root: boolean): string {
  if (rule.messageExpression) {
    // Falls back to `message` when messageExpression fails or is empty, as the API server does.
    const outcome = runRule(rule.messageExpression, site.value, site.schema, root);
    if ("value" in outcome && typeof outcome.value === "string" && outcome.value.trim() !== "" && !outcome.value.includes("\n"))
      return outcome.value;
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
