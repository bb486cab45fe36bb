import AjvModule from "ajv";
import { describe, expect, it } from "vitest";
import { ajvIncompatibilities, ajvOptions, toAjvSchema, withSharedDefinitions } from "../../../../src/core/validate/ajv/schema.js";
import type { StructuralSchema } from "../../../../src/core/validate/schema-types.js";
import { checkValues } from "../../../../src/core/validate/value-validation.js";

const ajv = new AjvModule.default(ajvOptions(false));

/** Both verdicts on one value: [walker finds nothing, ajv accepts]. */
function verdicts(schema: StructuralSchema, value: unknown): [boolean, boolean] {
  const walker = checkValues(value, schema, []).errors.filter((error) => error.code !== "SCHEMA_DUPLICATE").length === 0;
  const compiled = ajv.compile(withSharedDefinitions(toAjvSchema(schema)));
  return [walker, compiled(value)];
}

const loneHighSurrogate = "\ud800";
const cases: [string, StructuralSchema, unknown, boolean][] = [
  ["int-or-string takes an integer", { "x-kubernetes-int-or-string": true }, 8080, true],
  ["int-or-string takes a string", { "x-kubernetes-int-or-string": true }, "http", true],
  ["int-or-string refuses a fraction", { "x-kubernetes-int-or-string": true }, 1.5, false],
  ["int-or-string refuses a boolean", { "x-kubernetes-int-or-string": true }, true, false],
  ["int-or-string refuses null", { "x-kubernetes-int-or-string": true }, null, false],
  ["integer refuses Infinity (ajv's own integer check accepts it)", { type: "integer" }, Infinity, false],
  ["number takes Infinity like the walker", { type: "number", maximum: Infinity }, Infinity, true],
  ["a range check lets NaN through like the walker", { type: "number", minimum: 0 }, NaN, true],
  ["exclusive minimum", { type: "integer", minimum: 0, exclusiveMinimum: true }, 0, false],
  ["multipleOf with the walker's tolerance", { type: "number", multipleOf: 0.1 }, 0.3, true],
  ["nullable keeps a null", { type: "boolean", nullable: true }, null, true],
  ["nullable with an enum still keeps a null", { type: "string", nullable: true, enum: ["a"] }, null, true],
  ["a typed node refuses null", { type: "string" }, null, false],
  ["an untyped node keeps null even under an enum", { enum: ["a"] }, null, true],
  ["null inside a list of strings", { type: "array", items: { type: "string" } }, ["a", null], false],
  ["maxLength counts code points", { type: "string", maxLength: 2 }, "😀😀", true],
  ["maxLength over", { type: "string", maxLength: 2 }, "abc", false],
  ["a lone high surrogate counts as the walker counts it", { type: "string", minLength: 1 }, loneHighSurrogate, false],
  ["ipv4 with a leading zero is invalid (Go)", { type: "string", format: "ipv4" }, "1.02.3.4", false],
  ["ipv4-mapped ipv6 is valid ipv6 (Go)", { type: "string", format: "ipv6" }, "::ffff:1.2.3.4", true],
  ["ipv6 with a zone is invalid", { type: "string", format: "ipv6" }, "fe80::1%eth0", false],
  ["an unknown format checks nothing", { type: "string", format: "int32" }, "x", true],
  ["pattern is a partial match", { type: "string", pattern: "b" }, "abc", true],
  ["pattern anchors decide", { type: "string", pattern: "^b$" }, "abc", false],
  ["pattern with a Unicode class", { type: "string", pattern: "^\\p{L}+$" }, "été", true],
  ["required field missing", { type: "object", required: ["name"], properties: { name: { type: "string" } } }, {}, false],
  ["maxProperties", { type: "object", maxProperties: 1, additionalProperties: { type: "string" } }, { a: "1", b: "2" }, false],
  ["additionalProperties: false is not a Kubernetes constraint here", { type: "object", additionalProperties: false }, { a: 1 }, true],
  ["a data key named constructor in a map", { type: "object", additionalProperties: { type: "string" } }, { constructor: 1 }, false],
  ["enum of objects", { enum: [{ a: 1 }] }, { a: 1 }, true],
];

const addressValue: StructuralSchema = {
  type: "object",
  properties: { type: { type: "string" }, value: { type: "string" } },
  oneOf: [
    { properties: { type: { enum: ["IPAddress"] }, value: { anyOf: [{ format: "ipv4" }, { format: "ipv6" }] } } },
    { properties: { type: { not: { enum: ["IPAddress"] } } } },
  ],
};
const oneOfCases: [string, unknown, boolean][] = [
  ["an IP address value", { type: "IPAddress", value: "10.0.0.1" }, true],
  ["a hostname in an IPAddress entry", { type: "IPAddress", value: "example.com" }, false],
  ["a hostname entry", { type: "Hostname", value: "example.com" }, true],
  ["an entry without a value", { type: "Hostname" }, true],
];
const exclusive: StructuralSchema = {
  type: "object",
  properties: { a: { type: "string" }, b: { type: "string" } },
  oneOf: [{ required: ["a"] }, { required: ["b"] }],
  not: { required: ["a", "b"] },
};

describe("translating a structural schema for ajv", () => {
  it.each(cases)("%s", (_name, schema, value, valid) => {
    expect(verdicts(schema, value)).toEqual([valid, valid]);
  });

  it.each(oneOfCases)("oneOf/anyOf address construct: %s", (_name, value, valid) => {
    expect(verdicts(addressValue, value)).toEqual([valid, valid]);
  });

  it.each([
    [{ a: "x" }, true],
    [{ b: "x" }, true],
    [{ a: "x", b: "y" }, false],
    [{}, false],
  ])("oneOf with not: %j", (value, valid) => {
    expect(verdicts(exclusive, value)).toEqual([valid, valid]);
  });

  it("leaves unknown fields, list types and CEL rules to the engine", () => {
    const schema: StructuralSchema = {
      type: "object",
      properties: {
        tags: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" },
        name: { type: "string", "x-kubernetes-validations": [{ rule: "self.size() < 2", message: "short" }] },
      },
    };
    const compiled = ajv.compile(toAjvSchema(schema));
    expect(compiled({ tags: ["a", "a"], name: "long", unknown: true })).toBe(true);
  });

  it("moves a repeated subschema into one shared definition", () => {
    const filter: StructuralSchema = {
      type: "object",
      properties: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`field${i}`, { type: "string", maxLength: 16 }])),
    };
    const shared = withSharedDefinitions(toAjvSchema({ type: "object", properties: { first: filter, second: filter } }));
    expect(shared.properties).toEqual({ first: { $ref: "#/definitions/d0" }, second: { $ref: "#/definitions/d0" } });
    expect(Object.keys(shared.definitions as object)).toEqual(["d0"]);
  });

  it.each([
    ["an RE2-only pattern", { type: "string", pattern: "(?i)^abc$" }, /does not compile as a JavaScript "u" regex/],
    ["a list type inside a combinator", { anyOf: [{ type: "array", "x-kubernetes-list-type": "set" }] }, /list-type inside/],
    [
      "a property named like an Object.prototype member",
      { type: "object", properties: { toString: { type: "string" } } },
      /shadows Object.prototype/,
    ],
    ["an unknown type", { type: "null" as never }, /unknown type/],
  ] as [string, StructuralSchema, RegExp][])("refuses to translate %s", (_name, schema, problem) => {
    expect(ajvIncompatibilities(schema).join("\n")).toMatch(problem);
  });
});
