import { describe, expect, it } from "vitest";
import { resolveForVariant, SchemaSourceError, type Fragments } from "../../../src/core/schemas/gates.js";
import type { SchemaVariant } from "../../../src/core/schemas/index.js";

const v121std: SchemaVariant = { gatewayApiVersion: "v1.2.1", channel: "standard" };
const v121exp: SchemaVariant = { gatewayApiVersion: "v1.2.1", channel: "experimental" };
const v151std: SchemaVariant = { gatewayApiVersion: "v1.5.1", channel: "standard" };
const v151exp: SchemaVariant = { gatewayApiVersion: "v1.5.1", channel: "experimental" };

function resolve(value: unknown, variant: SchemaVariant, fragments: Fragments = {}): unknown {
  return resolveForVariant(value, { variant, fragments, source: "test.yaml" });
}

describe("gates", () => {
  const gated = {
    type: "object",
    required: ["always", "experimentalOnly", "newOnly", "oldOnly"],
    properties: {
      always: { type: "string" },
      experimentalOnly: { type: "string", "x-mesh-channel": "experimental" },
      newOnly: { type: "string", "x-mesh-since": "v1.3.0" },
      oldOnly: { type: "string", "x-mesh-until": "v1.2.1" },
    },
  };

  it.each([
    [v121std, ["always", "oldOnly"]],
    [v121exp, ["always", "experimentalOnly", "oldOnly"]],
    [v151std, ["always", "newOnly"]],
    [v151exp, ["always", "experimentalOnly", "newOnly"]],
  ])("keeps in %o exactly the properties %o, and requires only those", (variant, expected) => {
    const resolved = resolve(gated, variant) as { properties: object; required: string[] };
    expect(Object.keys(resolved.properties)).toEqual(expected);
    expect(resolved.required).toEqual(expected);
  });

  it("drops gated x-kubernetes-validations entries and keeps the others in order", () => {
    const node = {
      type: "object",
      "x-kubernetes-validations": [
        { rule: "a", message: "A" },
        { rule: "b", message: "B", "x-mesh-channel": "experimental" },
        { rule: "c", message: "C", "x-mesh-since": "v1.5.0" },
      ],
    };
    expect(resolve(node, v121std)).toEqual({ type: "object", "x-kubernetes-validations": [{ rule: "a", message: "A" }] });
    expect(resolve(node, v151exp)).toEqual({
      type: "object",
      "x-kubernetes-validations": [
        { rule: "a", message: "A" },
        { rule: "b", message: "B" },
        { rule: "c", message: "C" },
      ],
    });
  });

  it.each([
    [v121std, false],
    [v121exp, true],
    [v151std, true],
    [v151exp, true],
  ])("x-mesh-unless drops a node only where its conditions hold (%o present: %s)", (variant, present) => {
    const node = { properties: { f: { type: "string", "x-mesh-unless": { channel: "standard", until: "v1.2.1" } } } };
    expect(resolve(node, variant)).toEqual({ properties: present ? { f: { type: "string" } } : {} });
  });

  it("x-mesh-unless with a list drops the node where any entry holds", () => {
    const node = { properties: { f: { type: "string", "x-mesh-unless": [{ channel: "standard" }, { until: "v1.2.1" }] } } };
    expect(resolve(node, v151exp)).toEqual({ properties: { f: { type: "string" } } });
    expect(resolve(node, v121exp)).toEqual({ properties: {} });
    expect(resolve(node, v151std)).toEqual({ properties: {} });
    expect(() => resolve({ "x-mesh-unless": { after: "v1" } }, v151std)).toThrow(/x-mesh-unless takes/);
  });

  it("returns undefined when the value itself is gated out", () => {
    expect(resolve({ "x-mesh-channel": "experimental", kind: "X" }, v151std)).toBeUndefined();
    expect(resolve({ "x-mesh-channel": "experimental", kind: "X" }, v151exp)).toEqual({ kind: "X" });
  });

  it("applies x-mesh-variants in order, later entries winning, and unset removes keywords", () => {
    const node = {
      type: "string",
      maxLength: 10,
      "x-mesh-variants": [
        { since: "v1.3.0", set: { maxLength: 20 } },
        { since: "v1.5.0", channel: "experimental", set: { maxLength: 30, pattern: "^a" } },
        { until: "v1.2.1", unset: ["maxLength"] },
      ],
    };
    expect(resolve(node, v121std)).toEqual({ type: "string" });
    expect(resolve(node, v151std)).toEqual({ type: "string", maxLength: 20 });
    expect(resolve(node, v151exp)).toEqual({ type: "string", maxLength: 30, pattern: "^a" });
  });

  it("resolves gates inside values that x-mesh-variants sets", () => {
    const node = {
      type: "object",
      "x-mesh-variants": [{ since: "v1.5.0", set: { properties: { a: { type: "string" }, b: { type: "string", "x-mesh-channel": "experimental" } } } }],
    };
    expect(resolve(node, v151std)).toEqual({ type: "object", properties: { a: { type: "string" } } });
  });

  it("rejects malformed gates", () => {
    expect(() => resolve({ "x-mesh-channel": "beta" }, v151std)).toThrow(SchemaSourceError);
    expect(() => resolve({ "x-mesh-since": "1.3" }, v151std)).toThrow(/not a bundle version/);
    expect(() => resolve({ "x-mesh-variants": [{ when: "x" }] }, v151std)).toThrow(/unknown x-mesh-variants key/);
    expect(() => resolve({ "x-mesh-typo": 1 }, v151std)).toThrow(/unknown key x-mesh-typo/);
  });
});

describe("fragments", () => {
  const fragments: Fragments = {
    port: { type: "integer", minimum: 1, maximum: 65535 },
    ref: { type: "object", properties: { name: { type: "string" }, port: { "x-mesh-ref": "port" } } },
    loop: { "x-mesh-ref": "loop" },
    deep: { type: "object", properties: { self: { "x-mesh-ref": "deep" } } },
  };

  it("inlines a fragment, recursively", () => {
    expect(resolve({ "x-mesh-ref": "ref" }, v151std, fragments)).toEqual({
      type: "object",
      properties: { name: { type: "string" }, port: { type: "integer", minimum: 1, maximum: 65535 } },
    });
  });

  it("lays sibling keywords over the fragment", () => {
    expect(resolve({ "x-mesh-ref": "port", maximum: 100, default: 80 }, v151std, fragments)).toEqual({
      type: "integer",
      minimum: 1,
      maximum: 100,
      default: 80,
    });
  });

  it("applies gates written on the referring node and inside the fragment", () => {
    const withGate = { "x-mesh-ref": "port", "x-mesh-channel": "experimental" };
    expect(resolve({ properties: { p: withGate } }, v151std, fragments)).toEqual({ properties: {} });
    const gatedFragment = { g: { type: "object", properties: { a: { type: "string", "x-mesh-until": "v1.2.1" } } } };
    expect(resolve({ "x-mesh-ref": "g" }, v151std, gatedFragment)).toEqual({ type: "object", properties: {} });
  });

  it("reports an unknown fragment and a cycle", () => {
    expect(() => resolve({ "x-mesh-ref": "nope" }, v151std, fragments)).toThrow(/unknown fragment "nope"/);
    expect(() => resolve({ "x-mesh-ref": "loop" }, v151std, fragments)).toThrow(/fragment cycle/);
    expect(() => resolve({ "x-mesh-ref": "deep" }, v151std, fragments)).toThrow(/fragment cycle/);
  });

  it("does not share objects between two uses of one fragment", () => {
    const resolved = resolve({ properties: { a: { "x-mesh-ref": "port" }, b: { "x-mesh-ref": "port" } } }, v151std, fragments) as {
      properties: Record<string, object>;
    };
    expect(resolved.properties.a).toEqual(resolved.properties.b);
    expect(resolved.properties.a).not.toBe(resolved.properties.b);
  });
});

describe("fragments with overrides", () => {
  it("concatenates the fragment's x-mesh-variants with the referring node's, fragment first", () => {
    const fragments: Fragments = {
      atomicAfterV121: { "x-mesh-variants": [{ since: "v1.3.0", set: { "x-kubernetes-list-type": "atomic", maxItems: 8 } }] },
    };
    const node = { "x-mesh-ref": "atomicAfterV121", type: "array", "x-mesh-variants": [{ channel: "experimental", set: { maxItems: 16 } }] };
    expect(resolve(node, v121std, fragments)).toEqual({ type: "array" });
    expect(resolve(node, v151std, fragments)).toEqual({ type: "array", "x-kubernetes-list-type": "atomic", maxItems: 8 });
    expect(resolve(node, v151exp, fragments)).toEqual({ type: "array", "x-kubernetes-list-type": "atomic", maxItems: 16 });
  });
});

describe("fragment cycles", () => {
  it("allows a fragment nested in itself through the referring node's own keywords", () => {
    const fragments: Fragments = { list: { type: "array", maxItems: 4 } };
    const node = { "x-mesh-ref": "list", items: { type: "object", properties: { inner: { "x-mesh-ref": "list", items: { type: "string" } } } } };
    expect(resolve(node, v151std, fragments)).toEqual({
      type: "array",
      maxItems: 4,
      items: { type: "object", properties: { inner: { type: "array", maxItems: 4, items: { type: "string" } } } },
    });
  });

  it("reports a cycle that runs through an override's value", () => {
    const fragments: Fragments = { self: { type: "object", "x-mesh-variants": [{ set: { items: { "x-mesh-ref": "self" } } }] } };
    expect(() => resolve({ "x-mesh-ref": "self" }, v151std, fragments)).toThrow(/fragment cycle/);
  });
});

describe("list fragments", () => {
  const fragments: Fragments = { columns: [{ name: "Age", type: "date" }, { name: "New", type: "string", "x-mesh-since": "v1.3.0" }] };

  it("inline a whole list, with gates on its entries", () => {
    expect(resolve({ cols: { "x-mesh-ref": "columns" } }, v121std, fragments)).toEqual({ cols: [{ name: "Age", type: "date" }] });
    expect(resolve({ cols: { "x-mesh-ref": "columns" } }, v151std, fragments)).toEqual({
      cols: [
        { name: "Age", type: "date" },
        { name: "New", type: "string" },
      ],
    });
  });

  it("take no sibling keywords", () => {
    expect(() => resolve({ "x-mesh-ref": "columns", maxItems: 2 }, v151std, fragments)).toThrow(/takes no siblings/);
  });
});
