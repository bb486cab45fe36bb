import { describe, expect, it } from "vitest";
import { ALL_VARIANTS } from "../../../src/core/schemas/index.js";
import { builtinSchemaSource } from "../../../src/core/validate/builtin-schemas.js";
import type { StructuralSchema } from "../../../src/core/validate/schema-types.js";
import { checkValues, mapKeyId, presencePredicate } from "../../../src/core/validate/value-validation.js";
import { seededChoices } from "../../support/seeded-random.js";

/** Every schema node of the built-in Istio and Gateway API kinds (every variant). */
function allSchemaNodes(): StructuralSchema[] {
  const nodes = new Set<StructuralSchema>();
  const visit = (schema: StructuralSchema | undefined) => {
    if (!schema || typeof schema !== "object" || nodes.has(schema)) return;
    nodes.add(schema);
    for (const child of Object.values(schema.properties ?? {})) visit(child);
    if (typeof schema.additionalProperties === "object") visit(schema.additionalProperties);
    visit(schema.items);
    for (const list of [schema.allOf, schema.anyOf, schema.oneOf]) for (const child of list ?? []) visit(child);
    visit(schema.not);
  };
  for (const variant of ALL_VARIANTS) {
    const source = builtinSchemaSource(variant);
    for (const group of source.groups())
      for (const kind of source.kindsOf(group)) for (const schema of source.versionsOf(group, kind)) visit(schema.openAPIV3Schema);
  }
  return [...nodes];
}

/** The schema with a description on every node, which keeps the fast answer out: the reference is the full check. */
function described(schema: StructuralSchema): StructuralSchema {
  const out: StructuralSchema = { ...schema, description: "reference" };
  for (const key of ["allOf", "anyOf", "oneOf"] as const) if (schema[key]) out[key] = schema[key].map(described);
  if (schema.not) out.not = described(schema.not);
  return out;
}

/** Field names a presence schema asks about, at any depth. */
function requiredNames(schema: StructuralSchema, into = new Set<string>()): Set<string> {
  for (const name of schema.required ?? []) into.add(name);
  for (const list of [schema.allOf, schema.anyOf, schema.oneOf]) for (const child of list ?? []) requiredNames(child, into);
  if (schema.not) requiredNames(schema.not, into);
  return into;
}

describe("presencePredicate (schemas of only required lists and combinators)", () => {
  it("answers as the full check does, for every such schema of the built-in kinds, on generated values", () => {
    const presenceSchemas = allSchemaNodes().filter((schema) => presencePredicate(schema) !== null);
    // Istio's "one of" alternatives (StringMatch, port selectors, ...) are of this form.
    expect(presenceSchemas.length).toBeGreaterThan(20);
    const { pick, chance } = seededChoices(20261207);
    let compared = 0;
    for (const schema of presenceSchemas) {
      const names = [...requiredNames(schema), "other", "constructor"];
      const reference = described(schema);
      const values: unknown[] = [null, "text", 5, [], [{ [names[0]!]: 1 }], {}];
      for (let index = 0; index < 40; index++) {
        const value: Record<string, unknown> = {};
        for (const name of names) if (chance(0.35)) value[name] = pick([null, "x", 1, {}, []]);
        values.push(value);
      }
      for (const value of values) {
        const expected = checkValues(value, reference, []).errors.length === 0;
        expect(presencePredicate(schema)!(value), `${JSON.stringify(schema)} on ${JSON.stringify(value)}`).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it("leaves every other schema to the full check", () => {
    expect(presencePredicate({ required: ["a"], type: "object" })).toBeNull();
    expect(presencePredicate({ oneOf: [{ required: ["a"] }, { properties: { a: { type: "string" } } }] })).toBeNull();
    expect(presencePredicate({ not: { required: ["a"], minProperties: 1 } })).toBeNull();
    expect(presencePredicate({ oneOf: [{ required: ["a"] }, { required: ["b"] }] })).not.toBeNull();
  });
});

describe("mapKeyId (list-map duplicates)", () => {
  it("gives two items one id exactly when the JSON of their key tuples is equal, on generated items", () => {
    const { pick, chance } = seededChoices(20261208);
    const values: unknown[] = ["a", "b", "", "80", "[80]", "s80", "n80", 80, 0, -0, 1.5, NaN, Infinity, -Infinity, null, undefined];
    values.push(true, false, {}, [], { a: 1 }, ["a"]);
    for (const keys of [["name"], ["port", "protocol"], ["a", "b", "c"]]) {
      const items = Array.from({ length: 120 }, () => {
        const item: Record<string, unknown> = {};
        for (const key of keys) if (chance(0.9)) item[key] = pick(values);
        return item;
      });
      for (const a of items) {
        for (const b of items) {
          const sameJson = JSON.stringify(keys.map((key) => a[key])) === JSON.stringify(keys.map((key) => b[key]));
          expect(mapKeyId(a, keys) === mapKeyId(b, keys), `${keys.join("+")}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(sameJson);
        }
      }
    }
  });

  it("reports a duplicate list-map entry once per repeat, pointing at the first", () => {
    const schema: StructuralSchema = {
      type: "array",
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["name"],
      items: { type: "object", properties: { name: { type: "string" } } },
    };
    const errors = checkValues([{ name: "a" }, { name: "b" }, { name: "a" }, { name: "a" }], schema, ["list"]).errors;
    expect(errors.map((error) => [error.path, error.shown, error.hint])).toEqual([
      [["list", 2], '{"name":"a"}', "entry 0 has the same name; each entry needs a unique name"],
      [["list", 3], '{"name":"a"}', "entry 0 has the same name; each entry needs a unique name"],
    ]);
  });
});

describe("string checks (keywords read once per schema)", () => {
  it("report an invalid pattern on every value, and check the other keywords of the same schema", () => {
    const schema: StructuralSchema = { type: "string", pattern: "a(?=b)", maxLength: 2 };
    for (const value of ["abc", "zzz"]) {
      const codes = checkValues(value, schema, []).errors.map((error) => [error.code, error.detail.startsWith("cannot match")]);
      expect(codes).toEqual([
        ["SCHEMA_TOO_LONG", false],
        ["SCHEMA_PATTERN", true],
      ]);
    }
  });
});
