import { describe, expect, it } from "vitest";
import { validateObjects } from "../../../../src/core/validate/index.js";
import type { StructuralSchema } from "../../../../src/core/validate/schema-types.js";
import { widget, widgetCrd } from "../../../support/widget-crd.js";

function messages(spec: StructuralSchema, value: unknown): string[] {
  return validateObjects([widget(value)], { crds: [widgetCrd(spec)], analyze: false })
    .filter((finding) => finding.resource?.kind === "Widget")
    .map((finding) => finding.message);
}

describe("runtime cost of CEL rules, charged per operation as the API server does", () => {
  const tags: StructuralSchema = {
    type: "object",
    properties: { tags: { type: "array", items: { type: "string" } } },
    "x-kubernetes-validations": [{ rule: "self.tags.all(x, x.contains('a'))", message: "every tag has an a" }],
  };

  it("stops a rule whose string work passes the per-call limit, though it iterates only 300 times", () => {
    // contains on a 40,000-character tag costs ceil(4,000) × 1 per item: 300 items pass 1,000,000.
    const found = messages(tags, { tags: Array.from({ length: 300 }, () => "a".repeat(40_000)) });
    expect(found).toEqual([
      "spec: Invalid value: \"object\": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: every tag has an a (the API server stops a rule whose runtime cost passes 1,000,000; add maxItems/maxLength or simplify the rule)",
    ]);
  });

  it("lets the same rule run on small values", () => {
    expect(messages(tags, { tags: Array.from({ length: 300 }, () => "abc") })).toEqual([]);
  });

  it("stops all rules of an object once together they pass the runtime budget", () => {
    const rule = "self.tags.all(x, x.contains('a'))";
    const spec: StructuralSchema = {
      ...tags,
      "x-kubernetes-validations": Array.from({ length: 12 }, () => ({ rule })),
    };
    // About 950,000 per rule: each stays under the per-call limit, twelve pass 10,000,000.
    const found = messages(spec, { tags: Array.from({ length: 237 }, () => "a".repeat(40_000)) });
    expect(found).toEqual([
      'spec: Invalid value: "object": validation failed due to running out of cost budget, no further validation rules will be run',
    ]);
  });

  it("stops a rule at the per-call limit even where `||` would absorb an error", () => {
    const absorbing: StructuralSchema = {
      ...tags,
      "x-kubernetes-validations": [{ rule: "self.tags.all(x, x.contains('a')) || true", message: "every tag has an a, or not" }],
    };
    expect(messages(absorbing, { tags: Array.from({ length: 300 }, () => "a".repeat(40_000)) })).toEqual([
      "spec: Invalid value: \"object\": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: every tag has an a, or not (the API server stops a rule whose runtime cost passes 1,000,000; add maxItems/maxLength or simplify the rule)",
    ]);
  });
});
