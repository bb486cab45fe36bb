import type { FieldError } from "../field-errors.js";
import type { StructuralSchema } from "../schema-types.js";
import { declFor, estimateCost, maxCardinality, maxUint64, type Decl } from "../cel/cost.js";
import { parseCelExpression } from "../cel/rules.js";

/** The API server's limits on estimated rule cost when it admits a CustomResourceDefinition. */
export const staticEstimatedCostLimit = 10_000_000;
export const staticEstimatedCrdCostLimit = 100_000_000;

const multiply = (a: number, b: number) => (a === 0 ? 0 : Math.min(a * b, maxUint64));

/** The API server's wording, e.g. "estimated rule cost exceeds budget by factor of 2.5x (try simplifying …)". */
export function costErrorMessage(costName: string, cost: number, limit: number): string {
  const factor = cost / limit;
  const shown = factor > 100 ? "more than 100x" : factor < 1.5 ? `${factor.toFixed(6)}x` : `${factor.toFixed(1)}x`;
  return `${costName} exceeds budget by factor of ${shown} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}

interface Total {
  cost: number;
  /** The four most expensive rules of at least 1 % of the limit, most expensive first. */
  mostExpensive: { path: (string | number)[]; cost: number }[];
}

function observe(total: Total, path: (string | number)[], cost: number): void {
  total.cost = Math.min(total.cost + cost, maxUint64);
  if (cost < staticEstimatedCrdCostLimit / 100) return;
  total.mostExpensive.push({ path, cost });
  total.mostExpensive.sort((a, b) => b.cost - a.cost);
  total.mostExpensive.length = Math.min(total.mostExpensive.length, 4);
}

/** How many values a child of this node can stand for per occurrence of the node; undefined when unbounded. */
function elementsPerChild(schema: StructuralSchema): number | undefined {
  if (schema.type === "array") return schema.maxItems !== undefined ? Math.max(0, schema.maxItems) : undefined;
  if (schema.type === "object" && schema.additionalProperties !== undefined && typeof schema.additionalProperties === "object") {
    return schema.maxProperties !== undefined ? Math.max(0, schema.maxProperties) : undefined;
  }
  return 1;
}

const forbidden = (path: (string | number)[], detail: string): FieldError => ({
  type: "Forbidden",
  path,
  code: "CRD_CEL_COST",
  origin: "cel",
  detail,
});

/**
 * The estimated-cost checks the API server runs on every schema of a CRD (per rule, per messageExpression and
 * per schema in total). A CRD that fails them is rejected, so none of its rules ever run.
 */
export function crdCostErrors(crd: unknown): FieldError[] {
  const spec = (crd as { spec?: Record<string, unknown> } | undefined)?.spec;
  if (!spec || typeof spec !== "object") return [];
  const errors: FieldError[] = [];
  const shared = (spec.validation as { openAPIV3Schema?: StructuralSchema } | undefined)?.openAPIV3Schema;
  if (shared) errors.push(...schemaCostErrors(shared, ["spec", "validation", "openAPIV3Schema"]));
  const versions = Array.isArray(spec.versions) ? (spec.versions as { schema?: { openAPIV3Schema?: StructuralSchema } }[]) : [];
  versions.forEach((version, index) => {
    const schema = version?.schema?.openAPIV3Schema;
    if (schema && typeof schema === "object")
      errors.push(...schemaCostErrors(schema, ["spec", "versions", index, "schema", "openAPIV3Schema"]));
  });
  return errors;
}

function schemaCostErrors(root: StructuralSchema, rootPath: (string | number)[]): FieldError[] {
  if (!JSON.stringify(root).includes('"x-kubernetes-validations"')) return [];
  const errors: FieldError[] = [];
  const total: Total = { cost: 0, mostExpensive: [] };
  const visit = (schema: StructuralSchema, path: (string | number)[], cardinality: number | undefined, resourceRoot: boolean) => {
    if (!schema || typeof schema !== "object") return;
    const rules = schema["x-kubernetes-validations"];
    if (Array.isArray(rules) && rules.length > 0) {
      const decl = declFor(schema, resourceRoot);
      if (decl) checkRules(rules, decl, path, cardinality, total, errors);
    }
    const perChild = elementsPerChild(schema);
    const childCardinality = cardinality === undefined || perChild === undefined ? undefined : multiply(cardinality, perChild);
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      visit(property, [...path, "properties", name], childCardinality, Boolean(property?.["x-kubernetes-embedded-resource"]));
    }
    const items = schema.items;
    if (items && typeof items === "object")
      visit(items, [...path, "items"], childCardinality, Boolean(items["x-kubernetes-embedded-resource"]));
    const additional = schema.additionalProperties;
    if (additional && typeof additional === "object") {
      visit(additional, [...path, "additionalProperties"], childCardinality, Boolean(additional["x-kubernetes-embedded-resource"]));
    }
  };
  visit(root, rootPath, 1, true);
  if (total.cost > staticEstimatedCrdCostLimit) {
    for (const expensive of total.mostExpensive) {
      errors.push(forbidden(expensive.path, "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema"));
    }
    errors.push(
      forbidden(
        rootPath,
        costErrorMessage(
          "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema",
          total.cost,
          staticEstimatedCrdCostLimit,
        ),
      ),
    );
  }
  return errors;
}

function checkRules(
  rules: readonly { rule?: unknown; messageExpression?: unknown }[],
  decl: Decl,
  path: (string | number)[],
  cardinality: number | undefined,
  total: Total,
  errors: FieldError[],
): void {
  rules.forEach((rule, index) => {
    const rulePath = [...path, "x-kubernetes-validations", index, "rule"];
    const maxCost = estimatedCost(rule?.rule, decl);
    if (maxCost !== undefined) {
      const cost = multiply(maxCost, cardinality ?? maxCardinality(decl.minSerializedSize));
      if (cost > staticEstimatedCostLimit)
        errors.push(forbidden(rulePath, costErrorMessage("estimated rule cost", cost, staticEstimatedCostLimit)));
      observe(total, rulePath, cost);
    }
    const messagePath = [...path, "x-kubernetes-validations", index, "messageExpression"];
    const messageCost = estimatedCost(rule?.messageExpression, decl);
    if (messageCost !== undefined) {
      if (messageCost > staticEstimatedCostLimit) {
        errors.push(forbidden(messagePath, costErrorMessage("estimated messageExpression cost", messageCost, staticEstimatedCostLimit)));
      }
      observe(total, messagePath, messageCost);
    }
  });
}

/** Undefined for an empty or unparsable expression (the API server reports those as compile errors, not costs). */
function estimatedCost(expression: unknown, decl: Decl): number | undefined {
  if (typeof expression !== "string" || expression.trim() === "") return undefined;
  let parsed: unknown;
  try {
    parsed = parseCelExpression(expression);
  } catch {
    return undefined;
  }
  return estimateCost(parsed, decl);
}
