import { createRequire } from "node:module";
import type { FieldPath } from "../../findings.js";
import { celHint } from "./hints.js";
import { compileCelToFunctionBody } from "./codegen.js";
import { ruleFromBody, type CompiledRule } from "./compiled-rule.js";
import { precompiledRule } from "./precompiled-rules.js";
import { rootView } from "./property-names.js";
import { callLimitMessage, CelFailure, celRuntime, overCallLimit, resetCallBudget, runtimeCostBudget, spentCost } from "./runtime.js";
import type { FieldError, FieldErrorType } from "../field-errors.js";
import type { StructuralSchema, ValidationRule } from "../schema-types.js";
import type { RuleSite } from "../value-validation.js";
import { distPath } from "../../package-paths.js";

type Interpreter = typeof import("./interpreter.js");

// Synchronous, on-demand loading keeps @bufbuild/cel off the start-up path (Node ≥ 20.19 can require ESM).
const requireModule = createRequire(import.meta.url);
let interpreter: Interpreter | undefined;
const loadInterpreter = (): Interpreter =>
  (interpreter ??= requireModule(distPath("core", "validate", "cel", "interpreter.js")) as Interpreter);

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
  let rule = precompiledRule(expression);
  if (rule === undefined) {
    // Not built ahead of time (user CRDs, tests from source): compile now.
    try {
      const body = compileCelToFunctionBody(loadInterpreter().parseExpression(expression) as never);
      rule = body ? ruleFromBody(body) : null;
    } catch {
      rule = null;
    }
  }
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

type Outcome = { value: unknown } | { error: string; overCallLimit?: boolean } | { compileError: string };

/** Runtime cost of the rules evaluated for the current object (the API server's RuntimeCELCostBudget). */
let objectCost = 0;

/** cel-go's parser limits, which the API server keeps: code points per expression and nesting depth. */
const EXPRESSION_SIZE_LIMIT = 100_000;
const RECURSION_LIMIT = 250;

/**
 * The parser limits, checked before any parser sees the expression (ours recurse per nesting level and would
 * exhaust the stack first). Nesting counts brackets outside string literals, as cel-go counts nested expressions.
 */
export function parserLimitProblem(expression: string): string | undefined {
  // Rules repeat across objects: scan each expression once.
  const known = limitProblems.get(expression);
  if (known !== undefined) return known === "" ? undefined : known;
  const problem = scanParserLimits(expression);
  limitProblems.set(expression, problem ?? "");
  return problem;
}

const limitProblems = new Map<string, string>();

function scanParserLimits(expression: string): string | undefined {
  const size = [...expression].length;
  if (size > EXPRESSION_SIZE_LIMIT) return `expression code point size exceeds limit: size: ${size}, limit ${EXPRESSION_SIZE_LIMIT}`;
  let depth = 0;
  let quote: string | undefined;
  for (let index = 0; index < expression.length; index++) {
    const char = expression[index]!;
    if (quote) {
      if (char === "\\") index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === "(" || char === "[" || char === "{") {
      if (++depth > RECURSION_LIMIT) return `expression recursion limit exceeded: ${RECURSION_LIMIT}`;
    } else if (char === ")" || char === "]" || char === "}") depth--;
  }
  return undefined;
}

/** Parses a rule (macros expanded) for static analysis such as cost estimation; throws on syntax errors and parser limits. */
export function parseCelExpression(expression: string): unknown {
  const limit = parserLimitProblem(expression);
  if (limit) throw new Error(limit);
  return loadInterpreter().parseExpression(expression);
}

/** What is kept per expression: its parser-limit verdict and compiled form. */
interface RuleState {
  limit: string | undefined;
  compiled: CompiledRule | null | undefined;
}

let ruleStates = new Map<string, RuleState>();

function ruleState(expression: string): RuleState {
  let state = ruleStates.get(expression);
  if (!state) {
    const limit = parserLimitProblem(expression);
    state = { limit, compiled: undefined };
    ruleStates.set(expression, state);
  }
  return state;
}

/** A schema node's rules as evaluateRules walks them: transition rules left out, each with its expression's state. */
interface NodeRule {
  rule: ValidationRule;
  state: RuleState;
}

/** What one rule gave on a value, and what it cost. */
interface Remembered {
  outcome: Outcome;
  cost: number;
}

interface NodeRules {
  rules: NodeRule[];
  /**
   * The outcomes of all the node's rules by small value (smallValueKey): one lookup per node and value rather than
   * one per rule. Undefined when a rule is interpreted, or once the node proved to meet new values nearly every time.
   */
  outcomes: Map<string, Remembered[]> | undefined;
  lookups: number;
  hits: number;
}

/** By a schema node's x-kubernetes-validations (one lookup per node instead of two per rule). */
let nodeRules = new WeakMap<readonly ValidationRule[], NodeRules>();

function rulesOfNode(validations: readonly ValidationRule[]): NodeRules {
  let node = nodeRules.get(validations);
  if (!node) {
    const rules = validations.filter((rule) => !isTransitionRule(rule)).map((rule) => ({ rule, state: ruleState(rule.rule) }));
    const compiled = !interpretAll && rules.every(({ rule, state }) => state.limit !== undefined || compiledRule(rule.rule) !== undefined);
    node = {
      rules,
      outcomes: rememberOutcomes && compiled && !interpretAll ? new Map() : undefined,
      lookups: 0,
      hits: 0,
    };
    nodeRules.set(validations, node);
  }
  return node;
}

let rememberOutcomes = true;

/** Turns remembering rule outcomes on or off (tests compare both; outcomes and costs must not differ). */
export function rememberRuleOutcomes(on: boolean): void {
  rememberOutcomes = on;
  ruleStates = new Map();
  nodeRules = new WeakMap();
}

/** The outcome of nearly every rule, shared rather than allocated per evaluation. */
const PASSED: Outcome = Object.freeze({ value: true });

/** One rule on one value: compiled JavaScript when available, else the interpreter. */
export function runRule(expression: string, value: unknown, schema: StructuralSchema, root: boolean): Outcome {
  return runState(ruleState(expression), expression, value, schema, root);
}

function runState(state: RuleState, expression: string, value: unknown, schema: StructuralSchema, root: boolean): Outcome {
  if (state.limit) return { compileError: state.limit };
  let compiled: CompiledRule | undefined;
  if (!interpretAll) compiled = (state.compiled ??= compiledRule(expression) ?? null) ?? undefined;
  if (compiled) return runCompiled(compiled, value, root);
  try {
    return loadInterpreter().interpret(expression, value, schema, root);
  } catch (error) {
    return { compileError: error instanceof Error ? error.message : String(error) };
  }
}

const REMEMBERED_OUTCOMES_PER_NODE = 1024;
/** Lookups after which a node's hit rate decides whether its outcomes are still remembered: 64 spent fewer
 * instructions than 256 on both a 1k-document validate and the 2k-object convert (callgrind), 32 no fewer. */
const MEMO_TRIAL = 64;

/** A key for values small enough that remembering their outcome is cheaper than evaluating again. */
function smallValueKey(value: unknown): string | undefined {
  if (typeof value === "string") return value.length <= 128 ? `s${value}` : undefined;
  if (typeof value !== "object" || value === null) return `v${String(value)}`;
  const text = JSON.stringify(value);
  return text.length <= SMALL_VALUE_CHARACTERS ? `j${text}` : undefined;
}

/** Large enough for a route rule with a few matches and backends, which converted routes often repeat verbatim. */
const SMALL_VALUE_CHARACTERS = 1024;

const OVER_CALL_LIMIT: Outcome = Object.freeze({ error: callLimitMessage, overCallLimit: true });

function runCompiled(compiled: CompiledRule, value: unknown, root: boolean): Outcome {
  let result: unknown;
  try {
    const self = root ? rootView(value) : value;
    resetCallBudget();
    result = compiled(celRuntime, self);
  } catch (error) {
    return overCallLimit() ? OVER_CALL_LIMIT : thrownOutcome(error);
  } finally {
    objectCost += spentCost();
  }
  // The API server cancels the evaluation at the limit: no `||` or macro absorbs it.
  return overCallLimit() ? OVER_CALL_LIMIT : returnedOutcome(result);
}

function returnedOutcome(result: unknown): Outcome {
  if (result === true) return PASSED;
  return result instanceof CelFailure ? { error: result.message } : { value: result };
}

function thrownOutcome(error: unknown): Outcome {
  if (error instanceof CelFailure && error.message === callLimitMessage) return { error: error.message, overCallLimit: true };
  if (error instanceof CelFailure) return { error: error.message };
  if (error instanceof RangeError) return { error: "evaluation too expensive (stack exhausted)" };
  return { error: error instanceof Error ? error.message : String(error) };
}

/** Stage 8: every rule of every collected node. */
export function evaluateRules(sites: readonly RuleSite[], root: boolean): FieldError[] {
  const errors: FieldError[] = [];
  objectCost = 0;
  for (const site of sites) {
    const isRoot = root && site.path.length === 0;
    const validations = site.schema["x-kubernetes-validations"];
    if (!validations) continue;
    const node = rulesOfNode(validations);
    // Small values repeat across objects (every route's path match, every port): the outcomes of the node's rules
    // are kept with their costs, which still count against the object's budget.
    const key = node.outcomes && !isRoot && !interpretAll ? smallValueKey(site.value) : undefined;
    let remembered: Remembered[] | undefined;
    let recording: Remembered[] | undefined;
    if (key !== undefined) {
      remembered = node.outcomes!.get(key);
      node.lookups++;
      if (remembered) node.hits++;
      else recording = [];
    }
    const rules = node.rules;
    for (let index = 0; index < rules.length; index++) {
      const { rule, state } = rules[index]!;
      let outcome: Outcome;
      if (remembered) {
        outcome = remembered[index]!.outcome;
        objectCost += remembered[index]!.cost;
      } else {
        const before = objectCost;
        outcome = runState(state, rule.rule, site.value, site.schema, isRoot);
        recording?.push({ outcome, cost: objectCost - before });
      }
      const error = evaluateRule(rule, outcome, site, isRoot);
      if (error) errors.push(error);
      // Past either limit the API server stops evaluating this object's rules.
      if (error?.code === "CEL_COST_LIMIT") return errors;
      if (objectCost > runtimeCostBudget) {
        errors.push({
          type: "Invalid",
          path: site.path,
          code: "CEL_COST_LIMIT",
          origin: "cel",
          shown: JSON.stringify(celTypeName(site.schema, site.value)),
          detail: "validation failed due to running out of cost budget, no further validation rules will be run",
        });
        return errors;
      }
    }
    if (recording && node.outcomes) {
      // Bounded per node: values that are new every time (a parentRef's name) must not grow the map without end.
      if (node.outcomes.size >= REMEMBERED_OUTCOMES_PER_NODE) node.outcomes.clear();
      node.outcomes.set(key!, recording);
      // A node whose values are nearly all new (names, hosts) pays for keys and a map it does not use: forget it.
      if (node.lookups >= MEMO_TRIAL && node.hits * 8 < node.lookups) node.outcomes = undefined;
    }
  }
  return errors;
}

function evaluateRule(rule: ValidationRule, outcome: Outcome, site: RuleSite, root: boolean): FieldError | undefined {
  // Nearly every rule passes: the error's path and shown type are built only for the others.
  if (outcome === PASSED || ("value" in outcome && outcome.value === true)) return undefined;
  const path = rule.fieldPath ? [...site.path, ...parseFieldPath(rule.fieldPath)] : site.path;
  const shown = JSON.stringify(celTypeName(site.schema, site.value));
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
  if ("error" in outcome && outcome.overCallLimit) {
    return {
      type: "Invalid",
      path,
      code: "CEL_COST_LIMIT",
      origin: "cel",
      shown,
      detail: `'${outcome.error}': no further validation rules will be run due to call cost exceeds limit for rule: ${(rule.message ?? rule.rule).trim()}`,
      hint: "the API server stops a rule whose runtime cost passes 1,000,000; add maxItems/maxLength or simplify the rule",
    };
  }
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
