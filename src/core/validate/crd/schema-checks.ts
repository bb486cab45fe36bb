import type { FieldError } from "../field-errors.js";
import type { StructuralSchema } from "../schema-types.js";
import { re2SyntaxError } from "../patterns.js";
import { parseCelExpression } from "../cel/rules.js";
import { unescapeFieldName } from "../cel/property-names.js";
import { declFor } from "../cel/cost.js";
import { celTypeError, type ExpectedResult } from "../cel/type-check.js";
import { parseGoDuration } from "../../durations.js";
import { crdCostErrors } from "./cost-limits.js";

type Path = (string | number)[];

/**
 * What the API server checks in a CustomResourceDefinition's schemas before it admits the CRD: every `pattern`
 * compiles as RE2, every rule and messageExpression compiles (syntax, parser limits, constant arguments of
 * `find`/`findAll`/`matches`/`duration`, types: type-check.ts), and the rules' estimated cost stays within the
 * limits (cost-limits.ts). A CRD with any of these errors is rejected whole, so none of its rules or patterns ever run.
 */
export function crdSchemaErrors(crd: unknown): FieldError[] {
  const spec = (crd as { spec?: Record<string, unknown> } | undefined)?.spec;
  if (!spec || typeof spec !== "object") return [];
  const errors: FieldError[] = [];
  const shared = (spec.validation as { openAPIV3Schema?: StructuralSchema } | undefined)?.openAPIV3Schema;
  if (shared && typeof shared === "object") walkSchemas(shared, ["spec", "validation", "openAPIV3Schema"], errors);
  const versions = Array.isArray(spec.versions) ? (spec.versions as { schema?: { openAPIV3Schema?: StructuralSchema } }[]) : [];
  versions.forEach((version, index) => {
    const schema = version?.schema?.openAPIV3Schema;
    if (schema && typeof schema === "object") walkSchemas(schema, ["spec", "versions", index, "schema", "openAPIV3Schema"], errors);
  });
  errors.push(...crdCostErrors(crd));
  return errors;
}

const nestedSchemaLists = ["allOf", "anyOf", "oneOf"] as const;

/** Every schema node, with an explicit stack: a CRD may nest deeper than the call stack allows. */
function walkSchemas(root: StructuralSchema, rootPath: Path, errors: FieldError[]): void {
  const pending: { schema: unknown; path: Path; resourceRoot?: boolean }[] = [{ schema: root, path: rootPath, resourceRoot: true }];
  while (pending.length > 0) {
    const { schema, path, resourceRoot = false } = pending.pop()!;
    if (!schema || typeof schema !== "object" || Array.isArray(schema)) continue;
    const node = schema as StructuralSchema & Record<string, unknown>;
    if (typeof node.pattern === "string" && node.pattern !== "") {
      const problem = re2SyntaxError(node.pattern);
      if (problem) {
        errors.push(
          invalid([...path, "pattern"], "CRD_PATTERN", "schema", node.pattern, `must be a valid regular expression, but isn't: ${problem}`),
        );
      }
    }
    const rules = node["x-kubernetes-validations"];
    if (Array.isArray(rules)) {
      const self = { schema: node, resourceRoot: resourceRoot || node["x-kubernetes-embedded-resource"] === true };
      rules.forEach((rule, index) => checkRule(rule, self, [...path, "x-kubernetes-validations", index], errors));
    }
    for (const [name, property] of Object.entries(node.properties ?? {}))
      pending.push({ schema: property, path: [...path, "properties", name] });
    if (node.items && typeof node.items === "object") pending.push({ schema: node.items, path: [...path, "items"] });
    if (node.additionalProperties && typeof node.additionalProperties === "object") {
      pending.push({ schema: node.additionalProperties, path: [...path, "additionalProperties"] });
    }
    if (node.not && typeof node.not === "object") pending.push({ schema: node.not, path: [...path, "not"] });
    for (const list of nestedSchemaLists) {
      const entries = node[list];
      if (Array.isArray(entries)) entries.forEach((entry, index) => pending.push({ schema: entry, path: [...path, list, index] }));
    }
  }
}

/** The schema node a rule sits on, and whether it is a resource's root (which always has apiVersion, kind and metadata). */
interface RuleSelf {
  schema: StructuralSchema;
  resourceRoot: boolean;
}

function checkRule(rule: unknown, self: RuleSelf, path: Path, errors: FieldError[]): void {
  const { rule: expression, messageExpression } = (rule ?? {}) as { rule?: unknown; messageExpression?: unknown };
  if (typeof expression !== "string" || expression.trim() === "") {
    errors.push({ type: "Required", path: [...path, "rule"], code: "CEL_COMPILE", origin: "cel", detail: "" });
  } else {
    const problem = compileProblem(expression, self, "bool");
    if (problem) errors.push(invalid([...path, "rule"], "CEL_COMPILE", "cel", expression, `compilation failed: ${problem}`));
  }
  if (typeof messageExpression === "string" && messageExpression.trim() !== "") {
    const problem = compileProblem(messageExpression, self, "string");
    if (problem) {
      errors.push(
        invalid(
          [...path, "messageExpression"],
          "CEL_COMPILE",
          "cel",
          messageExpression,
          `messageExpression compilation failed: ${problem}`,
        ),
      );
    }
  }
}

/**
 * A syntax error or parser limit, a constant argument the API server checks up front (a regular expression RE2
 * rejects, a duration Go cannot parse), a field of `self` the schema does not declare, or a type error.
 */
function compileProblem(expression: string, self: RuleSelf, expected: ExpectedResult): string | undefined {
  let parsed: unknown;
  try {
    parsed = parseCelExpression(expression);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  for (const pattern of constantArguments(parsed, precompiledRegexFunctions)) {
    const problem = re2SyntaxError(pattern);
    if (problem) return `program instantiation failed: ${problem}`;
  }
  for (const pattern of constantArguments(parsed, ["matches"])) {
    if (re2SyntaxError(pattern)) return "invalid matches argument";
  }
  for (const duration of constantArguments(parsed, ["duration"])) {
    if (parseGoDuration(duration) === undefined) return "invalid duration argument";
  }
  const undefinedField = expected === "bool" ? undefinedSelfField(parsed, self.schema) : undefined;
  if (undefinedField) return `undefined field '${undefinedField}'`;
  return celTypeError(parsed, declFor(self.schema, self.resourceRoot), expected);
}

/**
 * The API server type-checks rules against the schema: selecting a field an object schema does not declare is a
 * compile error. mesh has no CEL type checker, so only the certain cases are judged: a chain of plain field
 * selections starting at `self`, through object schemas whose fields are closed (properties only: no
 * additionalProperties, x-kubernetes-preserve-unknown-fields or embedded resource); apiVersion, kind and
 * metadata are never judged.
 */
function undefinedSelfField(root: unknown, self: StructuralSchema): string | undefined {
  const schemaOf = (node: Node | undefined): StructuralSchema | undefined => {
    const kind = node?.exprKind;
    if (kind?.case === "identExpr") return kind.value?.name === "self" ? self : undefined;
    if (kind?.case !== "selectExpr" || kind.value?.testOnly === true) return undefined;
    const operand = schemaOf(kind.value?.operand as Node | undefined);
    return operand?.properties?.[unescapeFieldName(String(kind.value?.field))];
  };
  for (const node of objectsIn(root)) {
    const kind = node.exprKind;
    if (kind?.case === "selectExpr" && kind.value?.testOnly !== true) {
      const operand = schemaOf(kind.value?.operand as Node | undefined);
      const field = unescapeFieldName(String(kind.value?.field));
      if (operand && hasClosedFields(operand) && !(field in (operand.properties ?? {})) && !resourceFields.has(field)) return field;
    }
  }
  return undefined;
}

function hasClosedFields(schema: StructuralSchema): boolean {
  const node = schema as StructuralSchema & Record<string, unknown>;
  return (
    node.type === "object" &&
    node.properties !== undefined &&
    Object.keys(node.properties).length > 0 &&
    node.additionalProperties === undefined &&
    node["x-kubernetes-preserve-unknown-fields"] !== true &&
    node["x-kubernetes-embedded-resource"] !== true
  );
}

/** Present on every resource root whether the schema lists them or not (not tracked here, so never judged). */
const resourceFields = new Set(["apiVersion", "kind", "metadata"]);

interface Node {
  exprKind?: { case?: string; value?: Record<string, unknown> };
}

/** Every object (not array, not byte buffer) in a parsed CEL AST, depth first, so each expression node is seen once. */
function* objectsIn(root: unknown): Generator<Node> {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (!value || typeof value !== "object" || ArrayBuffer.isView(value)) continue;
    if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
      continue;
    }
    yield value;
    for (const inner of Object.values(value)) if (inner && typeof inner === "object") pending.push(inner);
  }
}

/**
 * Kubernetes compiles the constant pattern of `find` and `findAll` when it instantiates the program (its regex
 * optimisations); since 1.29 its AST validators also reject a constant pattern of `matches` and a constant
 * argument of `duration` that cannot be parsed.
 */
const precompiledRegexFunctions = ["find", "findAll"];

/** The constant string first arguments of calls to these functions (the pattern of `text.matches(pattern)`). */
function constantArguments(root: unknown, functions: readonly string[]): string[] {
  const values: string[] = [];
  for (const node of objectsIn(root)) {
    const kind = node.exprKind;
    if (kind?.case === "callExpr" && functions.includes(String(kind.value?.function))) {
      const first = (kind.value?.args as Node[] | undefined)?.[0]?.exprKind;
      const constant =
        first?.case === "constExpr" ? (first.value?.constantKind as { case?: string; value?: unknown } | undefined) : undefined;
      if (constant?.case === "stringValue" && typeof constant.value === "string") values.push(constant.value);
    }
  }
  return values;
}

function invalid(path: Path, code: string, origin: FieldError["origin"], value: string, detail: string): FieldError {
  return { type: "Invalid", path, code, origin, shown: JSON.stringify(value), detail };
}
