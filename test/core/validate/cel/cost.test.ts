import { describe, expect, it } from "vitest";
import { crdCostErrors, costErrorMessage } from "../../../../src/core/validate/crd/cost-limits.js";
import { customResourceDefinitions } from "../../../../src/core/schemas/index.js";
import { SCHEMA_GATEWAY_API_VERSIONS } from "../../../../src/core/versions.js";
import { fieldErrorMessage } from "../../../../src/core/validate/field-errors.js";
import type { StructuralSchema } from "../../../../src/core/validate/schema-types.js";
import { widgetCrd } from "../../../support/widget-crd.js";

const messages = (crd: unknown) => crdCostErrors(crd).map(fieldErrorMessage);

/** `tags` is a list of strings with a rule on the list itself. */
function tags(rule: string, bounds: { maxItems?: number; maxLength?: number }): StructuralSchema {
  return {
    type: "object",
    properties: {
      tags: {
        type: "array",
        ...(bounds.maxItems !== undefined ? { maxItems: bounds.maxItems } : {}),
        items: { type: "string", ...(bounds.maxLength !== undefined ? { maxLength: bounds.maxLength } : {}) },
        "x-kubernetes-validations": [{ rule }],
      },
    },
  };
}

describe("estimated rule cost at CRD load, as the API server computes it", () => {
  // Measured against the API server's CRD validation: the largest maxItems still accepted for
  // `self.all(x, x.contains('gpu'))`, per maxLength of the items.
  it.each([
    [16, 909_090],
    [63, 333_333],
    [253, 94_339],
    [1024, 24_154],
  ])("all/contains with maxLength %i: maxItems %i is accepted, one more is rejected", (maxLength, maxItems) => {
    expect(messages(widgetCrd(tags("self.all(x, x.contains('gpu'))", { maxItems, maxLength })))).toEqual([]);
    const rejected = messages(widgetCrd(tags("self.all(x, x.contains('gpu'))", { maxItems: maxItems + 1, maxLength })));
    expect(rejected).toEqual([
      expect.stringMatching(
        /^spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\.spec\.properties\.tags\.x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of 1\.0000\d\dx \(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared\)$/,
      ),
    ]);
  });

  it("rejects an unbounded list of unbounded strings with the three errors the API server gives", () => {
    const rejected = messages(widgetCrd(tags("self.all(x, x.contains('gpu'))", {})));
    expect(rejected).toEqual([
      expect.stringContaining(
        "x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x",
      ),
      expect.stringContaining(
        "x-kubernetes-validations[0].rule: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema",
      ),
      expect.stringMatching(
        /^spec\.versions\[0\]\.schema\.openAPIV3Schema: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x/,
      ),
    ]);
  });

  it("accepts `self.all(x, x == 5)` on an unbounded list of integers, but not on each list of an unbounded list of lists", () => {
    const ints: StructuralSchema = {
      type: "array",
      items: { type: "integer" },
      "x-kubernetes-validations": [{ rule: "self.all(x, x == 5)" }],
    };
    expect(messages(widgetCrd({ type: "object", properties: { ints } }))).toEqual([]);
    const nested = messages(widgetCrd({ type: "object", properties: { lists: { type: "array", items: ints } } }));
    expect(nested[0]).toContain("properties.lists.items.x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget");
  });

  it("multiplies a rule's cost by the bounds of the lists and maps above it", () => {
    const item: StructuralSchema = {
      type: "object",
      properties: { name: { type: "string", maxLength: 1000 } },
      "x-kubernetes-validations": [{ rule: "self.name.matches('^[a-z]+$')" }],
    };
    const list = (maxItems: number): StructuralSchema => ({
      type: "object",
      properties: { items: { type: "array", maxItems, items: item } },
    });
    // matches: ceil((4000 + 1) × 0.1) × ceil(8 × 0.25) = 401 × 2, plus 2 for `self.name`, per item.
    expect(messages(widgetCrd(list(12_437)))).toEqual([]);
    expect(messages(widgetCrd(list(12_438)))).toEqual([
      expect.stringContaining("properties.items.items.x-kubernetes-validations[0].rule: Forbidden"),
    ]);
  });

  it("rejects a schema whose rules are each under the per-rule limit when together they pass the total", () => {
    const properties: Record<string, StructuralSchema> = {};
    for (let index = 0; index < 12; index++) {
      properties[`f${index}`] = {
        type: "array",
        maxItems: 900_000,
        items: { type: "string", maxLength: 16 },
        "x-kubernetes-validations": [{ rule: "self.all(x, x.contains('gpu'))" }],
      };
    }
    const rejected = messages(widgetCrd({ type: "object", properties }));
    expect(rejected.filter((message) => message.includes("contributed to estimated rule cost total"))).toHaveLength(4);
    expect(rejected.at(-1)).toMatch(
      /^spec\.versions\[0\]\.schema\.openAPIV3Schema: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of 1\.188000x /,
    );
    expect(rejected.filter((message) => message.includes("estimated rule cost exceeds budget"))).toEqual([]);
  });

  it("counts each version's schema on its own", () => {
    const crd = widgetCrd(tags("self.all(x, x.contains('gpu'))", {}), 1);
    expect(messages(crd).filter((message) => message.includes("rule cost total for entire OpenAPIv3 schema"))).toHaveLength(2);
  });

  it("estimates messageExpression too, without the cardinality", () => {
    const spec: StructuralSchema = {
      type: "object",
      properties: { name: { type: "string" } },
      "x-kubernetes-validations": [{ rule: "true", messageExpression: "self.name + self.name + self.name + self.name" }],
    };
    expect(messages(widgetCrd(spec))).toEqual([]);
    const costly: StructuralSchema = {
      ...spec,
      "x-kubernetes-validations": [{ rule: "true", messageExpression: "self.name.split('').join('-').split('').join('-')" }],
    };
    expect(messages(widgetCrd(costly))[0]).toContain(
      "x-kubernetes-validations[0].messageExpression: Forbidden: estimated messageExpression cost exceeds budget",
    );
  });

  it("formats the factor as the API server does", () => {
    expect(costErrorMessage("estimated rule cost", 11_000_000, 10_000_000)).toContain("by factor of 1.100000x");
    expect(costErrorMessage("estimated rule cost", 25_000_000, 10_000_000)).toContain("by factor of 2.5x");
    expect(costErrorMessage("estimated rule cost", 2_000_000_000, 10_000_000)).toContain("by factor of more than 100x");
  });

  describe("every CRD mesh ships is accepted (the API server admits them)", () => {
    const variants = SCHEMA_GATEWAY_API_VERSIONS.flatMap((gatewayApiVersion) =>
      (["standard", "experimental"] as const).map((channel) => ({ gatewayApiVersion, channel })),
    );
    it.each(variants)("Gateway API $gatewayApiVersion $channel and Istio", (variant) => {
      const crds = customResourceDefinitions(
        [
          "gateway.networking.k8s.io",
          "gateway.networking.x-k8s.io",
          "networking.istio.io",
          "security.istio.io",
          "telemetry.istio.io",
          "extensions.istio.io",
          "networking.x-k8s.io",
        ],
        variant,
      );
      expect(crds.length).toBeGreaterThan(10);
      const rejected = crds.flatMap((crd) => messages(crd).map((message) => `${crd.metadata.name}: ${message}`));
      expect(rejected).toEqual([]);
    });
  });
});
