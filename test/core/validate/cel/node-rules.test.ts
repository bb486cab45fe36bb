import { afterEach, describe, expect, it } from "vitest";
import { rememberRuleOutcomes, useCelInterpreterForAllRules } from "../../../../src/core/validate/cel/rules.js";
import type { Finding } from "../../../../src/core/findings.js";
import { validateObjects } from "../../../../src/core/validate/index.js";
import type { StructuralSchema } from "../../../../src/core/validate/schema-types.js";
import { seededChoices } from "../../../support/seeded-random.js";
import { widget, widgetCrd } from "../../../support/widget-crd.js";

/**
 * A node with several rules, evaluated from one list per node and remembered per node and value: errors absorbed or
 * raised, a rule with a messageExpression, a rule near the per-call limit and rules whose costs together pass the
 * object's budget.
 */
const item: StructuralSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    port: { type: "integer" },
    tags: { type: "array", items: { type: "string" } },
  },
  "x-kubernetes-validations": [
    { rule: "has(self.port) ? self.port > 0 && self.port <= 65535 : true", message: "port in range" },
    { rule: "self.name.startsWith('x') || self.port == 1", message: "x name or port 1" },
    { rule: "self.tags.all(t, t.contains('a'))", messageExpression: "'tag without a in ' + self.name" },
    { rule: "self.tags.exists_one(t, t == 'b') && size(self.name) < 5", reason: "FieldValueForbidden" },
    { rule: "self.missing == 1 || true" },
  ],
};
const spec: StructuralSchema = {
  type: "object",
  properties: { items: { type: "array", items: item } },
  "x-kubernetes-validations": [{ rule: "size(self.items) < 6", message: "at most five items" }],
};

function specs(count: number): unknown[] {
  const { pick, chance } = seededChoices(7);
  return Array.from({ length: count }, () => ({
    items: Array.from({ length: pick([1, 2, 3, 6]) }, () => {
      const value: Record<string, unknown> = { tags: Array.from({ length: pick([0, 1, 2]) }, () => pick(["a", "b", "ab", "c"])) };
      if (chance(0.9)) value.name = pick(["x", "xy", "web", "x-long-name"]);
      if (chance(0.7)) value.port = pick([1, 80, 0, 70000]);
      // Long tags: contains costs length × 0.1 per tag, so a few such items pass the per-call limit or the budget.
      if (chance(0.05)) value.tags = Array.from({ length: 300 }, () => "a".repeat(40_000));
      return value;
    }),
  }));
}

function findings(values: unknown[], shape = (finding: Finding) => `${finding.code} ${finding.message}`): string[] {
  return values.flatMap((value) =>
    validateObjects([widget(value)], { crds: [widgetCrd(spec)], analyze: false })
      .filter((finding) => finding.resource?.kind === "Widget")
      .map(shape),
  );
}

describe("a schema node's rules run together", () => {
  afterEach(() => {
    useCelInterpreterForAllRules(false);
    rememberRuleOutcomes(true);
  });

  it("report what the CEL interpreter reports, rule by rule, with and without remembered outcomes", () => {
    const values = specs(150);
    const fused = findings(values);
    rememberRuleOutcomes(false);
    expect(findings(values)).toEqual(fused);
    const codes = new Set(fused.map((line) => line.split(" ")[0]));
    // The corpus reaches every outcome: broken rules, runtime errors and the per-call limit.
    expect([...codes].sort()).toEqual(expect.arrayContaining(["CEL_COST_LIMIT", "CEL_RULE", "CEL_RUNTIME_ERROR"]));
    // The interpreter does not track cost, and words runtime errors its own way: it is compared by code and path,
    // on the values that stay far below the limits.
    const cheap = values.filter((value) => !JSON.stringify(value).includes("a".repeat(1000)));
    const where = (finding: Finding) => `${finding.code} ${JSON.stringify(finding.path)}`;
    const compiled = findings(cheap, where);
    useCelInterpreterForAllRules(true);
    expect(findings(cheap, where)).toEqual(compiled);
    expect(compiled.length).toBeGreaterThan(300);
  });
});
