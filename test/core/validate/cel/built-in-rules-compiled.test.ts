import { describe, expect, it } from "vitest";
import { ALL_VARIANTS, schemaCatalog } from "../../../../src/core/schemas/index.js";
import { compileCelToFunctionBody } from "../../../../src/core/validate/cel/codegen.js";
import { interpret, parseExpression } from "../../../../src/core/validate/cel/interpreter.js";
import { CelFailure, celRuntime, overCallLimit, resetCallBudget, spentCost } from "../../../../src/core/validate/cel/runtime.js";
import type { StructuralSchema } from "../../../../src/core/validate/schema-types.js";
import { seededChoices } from "../../../support/seeded-random.js";

/** Every CEL rule of the built-in schemas (Gateway API variants and Istio), with the schema node it sits on. */
function builtInRules(): { rule: string; schema: StructuralSchema }[] {
  const found = new Map<string, StructuralSchema>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null) return;
    const schema = node as StructuralSchema;
    for (const rule of schema["x-kubernetes-validations"] ?? []) if (!/\boldSelf\b/.test(rule.rule)) found.set(rule.rule, schema);
    Object.values(node).forEach(visit);
  };
  for (const variant of ALL_VARIANTS) for (const crd of schemaCatalog(variant).all()) visit(crd.openAPIV3Schema);
  return [...found].map(([rule, schema]) => ({ rule, schema }));
}

/** Values shaped by the schema, with the rule's own literals, and sometimes a field left out or of another type. */
function generator(rule: string, seed: number) {
  const { pick, chance } = seededChoices(seed);
  const literals = [...rule.matchAll(/'([^']*)'/g)].map((match) => match[1]!);
  const strings = [...literals, "", "a", "/", "/a//b", "x.example.com", "1s", "0s", "10ms", "bad", "Service", "HTTPS", "Terminate"];
  const integers = [0, 1, 2, 80, 65535, 65536, -1];
  const value = (schema: StructuralSchema, depth: number): unknown => {
    if (depth > 5) return undefined;
    if (schema.enum && chance(0.7)) return pick(schema.enum);
    switch (schema.type) {
      case "object": {
        const out: Record<string, unknown> = {};
        for (const [key, child] of Object.entries(schema.properties ?? {})) {
          if (chance(0.35)) continue;
          const item = value(child, depth + 1);
          if (item !== undefined) out[key] = item;
        }
        if (schema.additionalProperties && typeof schema.additionalProperties === "object" && chance(0.5))
          out[pick(strings) || "k"] = value(schema.additionalProperties, depth + 1);
        return out;
      }
      case "array":
        return Array.from({ length: pick([0, 1, 1, 2, 3]) }, () => value(schema.items ?? {}, depth + 1)).filter(
          (item) => item !== undefined,
        );
      case "integer":
        return pick(integers);
      case "boolean":
        return chance(0.5);
      case "string":
        return pick(strings);
      default:
        return chance(0.5) ? pick(strings) : pick(integers);
    }
  };
  return value;
}

function compiledOutcome(body: string, self: unknown): { value: unknown; cost: number } {
  resetCallBudget();
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the body cel/codegen.ts generated
    const value: unknown = new Function("rt", "self", body)(celRuntime, self);
    return { value: value instanceof CelFailure ? "error" : value, cost: spentCost() };
  } catch (error) {
    if (error instanceof CelFailure) return { value: "error", cost: spentCost() };
    throw error;
  }
}

describe("the built-in CEL rules compiled to statements", () => {
  const rules = builtInRules();

  it("covers the Gateway API and Istio rules", () => {
    expect(rules.length).toBeGreaterThan(100);
  });

  it("decide as the CEL interpreter does on values generated from each rule's schema", () => {
    let compared = 0;
    for (const [index, { rule, schema }] of rules.entries()) {
      const body = compileCelToFunctionBody(parseExpression(rule) as never);
      if (body === undefined) continue;
      const generate = generator(rule, index + 1);
      for (let round = 0; round < 40; round++) {
        const self = generate(schema, 0);
        if (self === undefined) continue;
        const interpreted = interpret(rule, self, schema, false);
        const expected =
          "error" in interpreted ? "error" : typeof interpreted.value === "bigint" ? Number(interpreted.value) : interpreted.value;
        expect(compiledOutcome(body, self).value, `${rule} on ${JSON.stringify(self)}`).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(4000);
  });

  it("give the same values, errors and costs with fused runtime calls as without them", () => {
    /** The value (a held or thrown error by its message), the cost and whether the per-call limit was passed. */
    const run = (body: string, self: unknown) => {
      resetCallBudget();
      let value: unknown;
      try {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the body cel/codegen.ts generated
        value = new Function("rt", "self", body)(celRuntime, self);
      } catch (error) {
        if (!(error instanceof CelFailure)) throw error;
        value = error;
      }
      return { value: value instanceof CelFailure ? `error: ${value.message}` : value, cost: spentCost(), overLimit: overCallLimit() };
    };
    let compared = 0;
    let fusedRules = 0;
    for (const [index, { rule, schema }] of rules.entries()) {
      const parsed = parseExpression(rule) as never;
      const fused = compileCelToFunctionBody(parsed);
      const plain = compileCelToFunctionBody(parsed, { fused: false });
      expect(fused === undefined, rule).toBe(plain === undefined);
      if (fused === undefined || plain === undefined) continue;
      if (fused !== plain) fusedRules++;
      const generate = generator(rule, index + 1000);
      for (let round = 0; round < 40; round++) {
        const self = generate(schema, 0);
        if (self === undefined) continue;
        expect(run(fused, self), `${rule} on ${JSON.stringify(self)}`).toEqual(run(plain, self));
        compared++;
      }
    }
    expect(fusedRules).toBeGreaterThan(rules.length / 2);
    expect(compared).toBeGreaterThan(4000);
  });
});
