import { describe, expect, it } from "vitest";
import { crdSchemaErrors } from "../../../../src/core/validate/crd/schema-checks.js";
import { customResourceDefinitions } from "../../../../src/core/schemas/index.js";
import { SCHEMA_GATEWAY_API_VERSIONS } from "../../../../src/core/versions.js";
import { fieldErrorMessage } from "../../../../src/core/validate/field-errors.js";
import type { StructuralSchema } from "../../../../src/core/validate/schema-types.js";
import { widgetCrd } from "../../../support/widget-crd.js";

const at = "spec.versions[0].schema.openAPIV3Schema.properties.spec";
const messages = (spec: StructuralSchema) => crdSchemaErrors(widgetCrd(spec)).map(fieldErrorMessage);
const withRule = (rule: Record<string, unknown>): StructuralSchema => ({
  type: "object",
  properties: { name: { type: "string", maxLength: 10 } },
  "x-kubernetes-validations": [rule as never],
});

describe("crdSchemaErrors: what the API server refuses when it admits a CRD", () => {
  it("refuses a pattern RE2 cannot compile, wherever it sits (properties, items, allOf)", () => {
    const spec: StructuralSchema = {
      type: "object",
      properties: {
        a: { type: "string", pattern: "^(?=a)b$" },
        b: { type: "array", items: { type: "string", pattern: "(a)\\1" } },
        c: { type: "string", pattern: "^[a-z]+$" },
      },
      allOf: [{ properties: { c: { pattern: "+" } } }],
    };
    expect(messages(spec)).toEqual([
      `${at}.allOf[0].properties.c.pattern: Invalid value: "+": must be a valid regular expression, but isn't: error parsing regexp: missing argument to repetition operator: \`+\``,
      `${at}.properties.b.items.pattern: Invalid value: "(a)\\\\1": must be a valid regular expression, but isn't: error parsing regexp: invalid escape sequence: \`\\1\``,
      `${at}.properties.a.pattern: Invalid value: "^(?=a)b$": must be a valid regular expression, but isn't: error parsing regexp: invalid or unsupported Perl syntax: \`(?=\``,
    ]);
    expect(crdSchemaErrors(widgetCrd(spec)).map((error) => error.code)).toEqual(["CRD_PATTERN", "CRD_PATTERN", "CRD_PATTERN"]);
  });

  it("refuses rules and messageExpressions that do not parse, and empty rules", () => {
    expect(messages(withRule({ rule: "self.name ==" }))).toEqual([
      expect.stringContaining(`${at}.x-kubernetes-validations[0].rule: Invalid value: "self.name ==": compilation failed: `),
    ]);
    expect(messages(withRule({ rule: "true", messageExpression: "'a' +" }))).toEqual([
      expect.stringMatching(
        /x-kubernetes-validations\[0\]\.messageExpression: Invalid value: "'a' \+": messageExpression compilation failed: /,
      ),
    ]);
    expect(messages(withRule({ rule: " " }))).toEqual([`${at}.x-kubernetes-validations[0].rule: Required value`]);
    expect(crdSchemaErrors(widgetCrd(withRule({ rule: "self.name ==" })))[0]!.code).toBe("CEL_COMPILE");
  });

  it("refuses a rule selecting a field of self that the schema does not declare, only where that is certain", () => {
    expect(messages(withRule({ rule: "self.nmae == 'a'" }))).toEqual([
      `${at}.x-kubernetes-validations[0].rule: Invalid value: "self.nmae == 'a'": compilation failed: undefined field 'nmae'`,
    ]);
    const nested: StructuralSchema = {
      type: "object",
      properties: { target: { type: "object", properties: { port: { type: "integer" } } } },
      "x-kubernetes-validations": [{ rule: "self.target.prot > 0" }],
    };
    expect(messages(nested)).toEqual([expect.stringContaining("compilation failed: undefined field 'prot'")]);
    // Declared fields, escaped names, presence tests, open objects and the resource fields are not judged.
    const open: StructuralSchema = {
      type: "object",
      properties: {
        "x-y": { type: "string" },
        free: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { a: { type: "string" } } },
        map: { type: "object", additionalProperties: { type: "string" } },
      },
      "x-kubernetes-validations": [
        { rule: "self.x__dash__y == 'a' && self.free.b == 'c' && self.map.anything == 'd'" },
        { rule: "!has(self.other) && self.metadata.name != ''" },
        { rule: "self.all(k, k.nope == 1)" },
      ],
    };
    expect(messages(open)).toEqual([]);
  });

  it("refuses rules past cel-go's parser limits without exhausting the stack", () => {
    const deep = `${"(".repeat(5000)}true${")".repeat(5000)}`;
    expect(messages(withRule({ rule: deep }))).toEqual([
      expect.stringContaining("compilation failed: expression recursion limit exceeded: 250"),
    ]);
  });

  it("compiles the constant patterns of find and findAll up front, and validates constant matches() patterns and durations", () => {
    expect(messages(withRule({ rule: "self.name.find(')') == ''" }))).toEqual([
      expect.stringContaining("compilation failed: program instantiation failed: error parsing regexp: unexpected ): `)`"),
    ]);
    expect(messages(withRule({ rule: "self.name.findAll('x++', 1).size() == 0" }))).toEqual([
      expect.stringContaining("program instantiation failed: error parsing regexp: invalid nested repetition operator: `++`"),
    ]);
    // Kubernetes >= 1.29 runs cel-go's literal validators (regex and duration literals) when it compiles a rule.
    expect(messages(withRule({ rule: "self.name.matches('x++')" }))).toEqual([
      `${at}.x-kubernetes-validations[0].rule: Invalid value: "self.name.matches('x++')": compilation failed: invalid matches argument`,
    ]);
    expect(messages(withRule({ rule: "duration('5x') > duration('1s')" }))).toEqual([
      expect.stringContaining("compilation failed: invalid duration argument"),
    ]);
    expect(messages(withRule({ rule: "self.name.find('[a-z]+') == self.name && self.name.matches(self.name)" }))).toEqual([]);
    expect(messages(withRule({ rule: "duration('1m30s') > duration('1s') && self.name.matches('^[a-z]+$')" }))).toEqual([]);
  });

  it("type-checks rules and messageExpressions as cel-go does (type-check.ts)", () => {
    expect(messages(withRule({ rule: "self.name == 1" }))).toEqual([
      `${at}.x-kubernetes-validations[0].rule: Invalid value: "self.name == 1": compilation failed: found no matching overload for '_==_' applied to '(string, int)'`,
    ]);
    expect(messages(withRule({ rule: "true", messageExpression: "'bad: ' + size(self.name)" }))).toEqual([
      expect.stringContaining("messageExpression compilation failed: found no matching overload for '_+_' applied to '(string, int)'"),
    ]);
    expect(messages(withRule({ rule: "self.name" }))).toEqual([expect.stringContaining("cel expression must evaluate to a bool")]);
    expect(messages(withRule({ rule: "size(self.name) > 1", messageExpression: "'too short: ' + self.name" }))).toEqual([]);
  });

  it("still applies the estimated cost limits", () => {
    const spec: StructuralSchema = {
      type: "object",
      properties: {
        tags: {
          type: "array",
          items: { type: "string" },
          "x-kubernetes-validations": [{ rule: "self.all(x, self.all(y, x.contains(y)))" }],
        },
      },
    };
    expect(crdSchemaErrors(widgetCrd(spec)).map((error) => error.code)).toContain("CRD_CEL_COST");
  });

  describe("every CRD mesh ships passes (the API server admits them)", () => {
    const variants = SCHEMA_GATEWAY_API_VERSIONS.flatMap((gatewayApiVersion) =>
      (["standard", "experimental"] as const).map((channel) => ({ gatewayApiVersion, channel })),
    );
    it.each(variants)("Gateway API $gatewayApiVersion $channel and Istio", (variant) => {
      const groups = ["gateway.networking.k8s.io", "gateway.networking.x-k8s.io", "networking.istio.io", "security.istio.io"];
      const crds = customResourceDefinitions([...groups, "telemetry.istio.io", "extensions.istio.io", "networking.x-k8s.io"], variant);
      expect(crds.length).toBeGreaterThan(10);
      const rejected = crds.flatMap((crd) => crdSchemaErrors(crd).map((error) => `${crd.metadata.name}: ${fieldErrorMessage(error)}`));
      expect(rejected).toEqual([]);
    });
  });
});
