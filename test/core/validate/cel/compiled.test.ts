import { describe, expect, it } from "vitest";
import { compileCelToJs } from "../../../../src/core/validate/cel/codegen.js";
import { unescapeFieldName } from "../../../../src/core/validate/cel/property-names.js";
import { interpret, parseExpression } from "../../../../src/core/validate/cel/interpreter.js";
import { CelFailure, celRuntime, resetCallBudget } from "../../../../src/core/validate/cel/runtime.js";
import type { StructuralSchema } from "../../../../src/core/validate/schema-types.js";

const schema: StructuralSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    port: { type: "integer" },
    weight: { type: "integer" },
    namespace: { type: "string" },
    tags: { type: "array", items: { type: "string" } },
    refs: {
      type: "array",
      items: { type: "object", properties: { name: { type: "string" }, namespace: { type: "string" }, port: { type: "integer" } } },
    },
    labels: { type: "object", additionalProperties: { type: "string" } },
    timeout: { type: "string" },
  },
};

function compiled(expression: string, self: unknown): unknown {
  const body = compileCelToJs(parseExpression(expression) as never);
  if (body === undefined) return "uncompiled";
  resetCallBudget();
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the body cel/codegen.ts generated
    const value = new Function("rt", "self", `return ${body};`)(celRuntime, self);
    return value instanceof CelFailure ? "error" : value;
  } catch (error) {
    if (error instanceof CelFailure) return "error";
    throw error;
  }
}

function interpreted(expression: string, self: unknown): unknown {
  const outcome = interpret(expression, self, schema, false);
  if ("error" in outcome) return "error";
  return typeof outcome.value === "bigint" ? Number(outcome.value) : outcome.value;
}

const selves = [
  {
    name: "web",
    port: 80,
    weight: 0,
    namespace: "apps",
    tags: ["a", "b"],
    refs: [
      { name: "x", port: 1 },
      { name: "x", namespace: "o" },
    ],
    labels: { app: "web", "k8s.io/x": "y" },
    timeout: "1s",
  },
  { name: "", tags: [], refs: [], labels: {} },
  { name: "Ünïcode", port: 65535, tags: ["*"], refs: [{ name: "y" }], timeout: "1h30m" },
  // Go's time.ParseDuration rejects "" and "-"; both engines must.
  { name: "x", tags: [], refs: [], labels: {}, timeout: "" },
  { name: "y", tags: [], refs: [], labels: {}, timeout: "-" },
];

// Rules in the style of the Gateway API and Istio CRDs: presence, macros, error absorption, escaping.
const expressions = [
  "has(self.port) ? self.port > 0 && self.port <= 65535 : true",
  "self.port > 0 || true",
  "self.port > 0 && false",
  "self.refs.all(r1, self.refs.exists_one(r2, r1.name == r2.name))",
  "self.refs.all(p1, self.refs.all(p2, p1.name == p2.name && ((!has(p1.__namespace__) || p1.__namespace__ == '') == (!has(p2.__namespace__) || p2.__namespace__ == '')) ? true : true))",
  "self.refs.filter(r, has(r.port)).size() <= 1",
  "self.refs.exists(r, r.name == 'x')",
  "self.refs.map(r, r.name).size() == size(self.refs)",
  "size(self.name) < 5",
  "self.name.size() == 0 || self.name.matches('^[a-z]+$')",
  "self.name.matches('(?i)^[a-z]+$')",
  "!('*' in self.tags && self.tags.size() > 1)",
  "self.labels.all(k, k.contains('/') ? k.split('/')[0].size() < 253 : true)",
  "self.labels.all(k, !k.startsWith('k8s.io') && !k.endsWith('x'))",
  "'app' in self.labels",
  "self.labels['app'] == 'web'",
  "duration(self.timeout) >= duration('1ms')",
  "duration(self.timeout) < duration('1h')",
  "self.name + '-x' == 'web-x'",
  "self.weight == 0",
  "int('42') == 42",
  "self.tags[1] == 'b'",
  "self.name.substring(1) == 'eb'",
  "isIP('10.0.0.1') && !isIP('host') && !isIP('::ffff:1.2.3.4')",
  "url('https://example.com/a').getScheme() in ['http', 'https']",
  "[1, 2] == [1, 2] && {'a': 1} == {'a': 1}",
  "self.missing == 1",
  "self.refs[5].name == 'x'",
];

describe("CEL rules compiled to JavaScript agree with the CEL interpreter", () => {
  for (const expression of expressions) {
    it(expression, () => {
      for (const self of selves) expect(compiled(expression, self), JSON.stringify(self)).toEqual(interpreted(expression, self));
    });
  }

  it("reads Kubernetes-escaped property names under their real names", () => {
    expect(["__namespace__", "x__dash__y", "a__dot__b", "p__slash__q", "u__underscores__v", "plain"].map(unescapeFieldName)).toEqual([
      "namespace",
      "x-y",
      "a.b",
      "p/q",
      "u__v",
      "plain",
    ]);
  });
});

describe("CEL cost", () => {
  it("rejects a rule whose evaluation exceeds the iteration budget instead of running forever", () => {
    const big = { tags: Array.from({ length: 1500 }, (_, i) => String(i)) };
    expect(compiled("self.tags.all(a, self.tags.all(b, true))", big)).toBe("error");
    expect(compiled("self.tags.all(a, a != '')", big)).toBe(true);
  });
});
