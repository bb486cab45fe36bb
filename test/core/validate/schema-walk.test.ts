import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseManifestText } from "../../../src/core/documents/index.js";
import { ALL_VARIANTS } from "../../../src/core/schemas/index.js";
import { builtinSchemaSource, kubernetesSchemaSource } from "../../../src/core/validate/builtin-schemas.js";
import { rootWithoutMetadata } from "../../../src/core/validate/engine.js";
import type { FieldError } from "../../../src/core/validate/field-errors.js";
import type { KindSchema, StructuralSchema } from "../../../src/core/validate/schema-types.js";
import { admitAndCheck } from "../../../src/core/validate/schema-walk.js";
import { pruneAndDefault } from "../../../src/core/validate/structural-defaults.js";
import { checkValues } from "../../../src/core/validate/value-validation.js";
import { DEFAULT_KUBERNETES_VERSION } from "../../../src/core/versions.js";
import { seededChoices } from "../../support/seeded-random.js";
import { corpusMutations } from "./corpus-mutations.js";
import { validCoreObjects } from "./kubernetes/valid-objects.js";
import { targetedMutations } from "./targeted-mutations.js";

type Json = Record<string, unknown>;

/** The two-walk reference: prune and default the whole object, then check the values of the result. */
function twoWalks(value: unknown, schema: StructuralSchema) {
  const structural: FieldError[] = [];
  const admitted = pruneAndDefault(value, schema, [], structural);
  const { errors, ruleSites } = checkValues(admitted, schema, []);
  return { admitted, structural, errors, ruleSites };
}

function expectSameAsTwoWalks(value: unknown, schema: StructuralSchema, label: string): void {
  const reference = twoWalks(structuredClone(value), schema);
  const fused = admitAndCheck(structuredClone(value), schema, []);
  // JSON text also compares key order, which decides the order of later findings and of converted output.
  expect(JSON.stringify(fused.admitted), label).toBe(JSON.stringify(reference.admitted));
  expect(fused.structural, label).toEqual(reference.structural);
  expect(fused.errors, label).toEqual(reference.errors);
  expect(
    fused.ruleSites.map((site) => [site.path, site.schema, JSON.stringify(site.value)]),
    label,
  ).toEqual(reference.ruleSites.map((site) => [site.path, site.schema, JSON.stringify(site.value)]));
}

function body(object: Json, schema: KindSchema): Json {
  const out: Json = {};
  for (const key of Object.keys(object)) {
    if (key === "status" && schema.statusSubresource !== false) continue;
    if (key === "apiVersion" || key === "kind" || key === "metadata") continue;
    out[key] = object[key];
  }
  return out;
}

const corpus = (name: string) =>
  parseManifestText(readFileSync(new URL(`../../fixtures/validate/corpus/${name}`, import.meta.url), "utf8"), name).documents.map(
    (document) => document.object as Json,
  );

describe("admitAndCheck (one walk) agrees with pruneAndDefault + checkValues (two walks)", () => {
  const documents = ["istio.yaml", "gateway-api.yaml"].flatMap((name) =>
    corpus(name).flatMap((base) => [base, ...corpusMutations(base), ...targetedMutations(base)]),
  );

  for (const variant of ALL_VARIANTS) {
    it(`on the mutation corpus (Gateway API ${variant.gatewayApiVersion} ${variant.channel})`, () => {
      const source = builtinSchemaSource(variant);
      let compared = 0;
      for (const document of documents) {
        const schema = source.lookup(String(document.apiVersion), String(document.kind));
        if (!schema?.served) continue;
        const mutation = (document as { __mutation?: string }).__mutation ?? "base";
        expectSameAsTwoWalks(body(document, schema), rootWithoutMetadata(schema.openAPIV3Schema), `${String(document.kind)}: ${mutation}`);
        compared++;
      }
      expect(compared).toBeGreaterThan(3000);
    });
  }

  it("on mutations of the built-in Kubernetes kinds", () => {
    const source = kubernetesSchemaSource(DEFAULT_KUBERNETES_VERSION);
    let compared = 0;
    for (const make of Object.values(validCoreObjects)) {
      const base = make();
      for (const document of [base, ...corpusMutations(base)]) {
        const schema = source.lookup(String(document.apiVersion), String(document.kind));
        if (!schema) continue;
        const mutation = (document as { __mutation?: string }).__mutation ?? "base";
        expectSameAsTwoWalks(body(document, schema), rootWithoutMetadata(schema.openAPIV3Schema), `${String(document.kind)}: ${mutation}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it("on generated schemas (defaults, nullable, enums, bounds, list types, combinators, preserve/embedded) and values", () => {
    const { random, pick, chance } = seededChoices(16);
    const names = ["a", "b", "c", "apiVersion", "kind", "metadata"];
    const scalars: unknown[] = [null, 0, 1, -3, 2.5, 70000, "", "x", "abc", "ABC", "a-b", true, false];

    const schemaOf = (depth: number): StructuralSchema => {
      const node: StructuralSchema = {};
      const shape =
        depth <= 0
          ? pick(["string", "integer", "number", "boolean", "intOrString"])
          : pick(["object", "array", "map", "untyped", "string", "integer"]);
      if (shape === "intOrString") node["x-kubernetes-int-or-string"] = true;
      else if (shape === "map") {
        node.type = "object";
        node.additionalProperties = schemaOf(depth - 1);
      } else if (shape === "object" || shape === "untyped") {
        if (shape === "object") node.type = "object";
        node.properties = {};
        for (const name of names) if (chance(0.5)) node.properties[name] = schemaOf(depth - 1);
        if (chance(0.3)) node.required = names.filter(() => chance(0.3));
        if (chance(0.2)) node.maxProperties = Math.floor(random() * 3);
        if (chance(0.2)) node.minProperties = Math.floor(random() * 3);
        if (chance(0.2)) node["x-kubernetes-preserve-unknown-fields"] = true;
        if (chance(0.2)) node["x-kubernetes-embedded-resource"] = true;
        if (chance(0.1)) node.enum = [{ a: "x" }, {}];
      } else if (shape === "array") {
        node.type = "array";
        node.items = schemaOf(depth - 1);
        if (chance(0.3)) node.maxItems = Math.floor(random() * 3);
        if (chance(0.2)) node.minItems = 1;
        const listType = pick(["set", "map", "atomic", undefined, undefined] as const);
        if (listType !== undefined) node["x-kubernetes-list-type"] = listType;
        if (listType === "map") node["x-kubernetes-list-map-keys"] = ["a"];
      } else {
        node.type = shape as StructuralSchema["type"];
        if (shape === "string") {
          if (chance(0.3)) node.enum = ["x", "abc", "ABC"];
          if (chance(0.3)) node.maxLength = 2;
          if (chance(0.2)) node.pattern = "^[a-z-]*$";
        }
        if (shape === "integer" && chance(0.4)) node.maximum = 10;
      }
      if (chance(0.2)) node.nullable = true;
      if (chance(0.2)) node.default = valueOf(node, 1);
      if (chance(0.1)) node["x-kubernetes-validations"] = [{ rule: "true" }];
      if (chance(0.08)) node.anyOf = [{ required: ["a"] }, { required: ["b"] }];
      if (chance(0.05)) node.allOf = [{ maxProperties: 2 }];
      return node;
    };

    // Values that mostly follow the schema, with wrong types, unknown fields and nulls mixed in.
    function valueOf(schema: StructuralSchema | undefined, depth: number): unknown {
      if (!schema || depth < 0 || chance(0.15)) return pick(scalars);
      if (chance(0.08)) return chance(0.5) ? { z: 1 } : [1, "x"];
      if (schema.type === "array") return Array.from({ length: Math.floor(random() * 4) }, () => valueOf(schema.items, depth - 1));
      if (schema.properties || schema.additionalProperties) {
        const out: Json = {};
        for (const name of [...names, "z", "constructor", "toString"]) {
          if (!chance(0.5)) continue;
          const child =
            schema.properties?.[name] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
          out[name] = valueOf(child, depth - 1);
        }
        return out;
      }
      return pick(scalars);
    }

    for (let round = 0; round < 3000; round++) {
      const schema = schemaOf(1 + Math.floor(random() * 3));
      for (let sample = 0; sample < 5; sample++) expectSameAsTwoWalks(valueOf(schema, 4), schema, `round ${round}.${sample}`);
    }
  });
});

describe("a field named __proto__", () => {
  const withProto = (rest: Json): Json => {
    const value: Json = { ...rest };
    Object.defineProperty(value, "__proto__", { value: { a: 1 }, enumerable: true, writable: true, configurable: true });
    return value;
  };

  it("stays an own field of a copy where unknown fields are preserved", () => {
    const schema: StructuralSchema = {
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
      properties: { size: { type: "string", default: "small" } },
    };
    const admitted = admitAndCheck(withProto({ name: "x" }), schema, []).admitted as Json;
    expect(Object.keys(admitted)).toEqual(["name", "__proto__", "size"]);
    expect(Object.getPrototypeOf(admitted)).toBe(Object.prototype);
    const reference = pruneAndDefault(withProto({ name: "x" }), schema, [], []) as Json;
    expect(Object.keys(reference)).toEqual(["name", "__proto__", "size"]);
  });

  it("is an unknown field where the schema does not declare it", () => {
    const schema: StructuralSchema = { type: "object", properties: { name: { type: "string" } } };
    const result = admitAndCheck(withProto({ name: "x" }), schema, []);
    expect(result.structural.map((error) => [error.code, error.path])).toEqual([["SCHEMA_UNKNOWN_FIELD", ["__proto__"]]]);
    expect(Object.keys(result.admitted as Json)).toEqual(["name"]);
  });
});

describe("combinators of presence-only alternatives (answered by a predicate unless they fail)", () => {
  it("give the full check's findings on generated schemas and values, passing and failing", () => {
    const { pick, chance } = seededChoices(20261209);
    const names = ["a", "b", "c"];
    const presence = (depth: number): StructuralSchema => {
      const alternative: StructuralSchema = {};
      if (chance(0.8)) alternative.required = names.filter(() => chance(0.4));
      if (depth > 0 && chance(0.3)) alternative.not = presence(depth - 1);
      if (depth > 0 && chance(0.2)) alternative.anyOf = [presence(depth - 1), presence(depth - 1)];
      return alternative;
    };
    const list = () => Array.from({ length: chance(0.5) ? 3 : 2 }, () => presence(2));
    let failing = 0;
    let passing = 0;
    for (let index = 0; index < 400; index++) {
      const schema: StructuralSchema = { properties: Object.fromEntries(names.map((name) => [name, { type: "string" }])) };
      if (chance(0.7)) schema.type = "object";
      if (chance(0.5)) schema.oneOf = list();
      if (chance(0.4)) schema.anyOf = list();
      if (chance(0.3)) schema.allOf = list();
      if (chance(0.3)) schema.not = presence(1);
      if (!schema.oneOf && !schema.anyOf && !schema.allOf && !schema.not) schema.oneOf = list();
      const wrapper: StructuralSchema = { type: "object", properties: { spec: schema, list: { type: "array", items: schema } } };
      for (let draw = 0; draw < 10; draw++) {
        const object = (): unknown => {
          if (chance(0.1)) return pick([null, "x", 5, []]);
          const value: Json = {};
          for (const name of names) if (chance(0.45)) value[name] = pick(["v", null, 1]);
          return value;
        };
        const value = { spec: object(), list: [object(), object()] };
        const { errors } = checkValues(value, wrapper, []);
        if (
          errors.some(
            (error) => error.code.startsWith("SCHEMA_ONE_OF") || error.code.startsWith("SCHEMA_ANY_OF") || error.code === "SCHEMA_NOT",
          )
        )
          failing++;
        else passing++;
        expectSameAsTwoWalks(value, wrapper, `${JSON.stringify(schema)} on ${JSON.stringify(value)}`);
      }
    }
    expect(failing).toBeGreaterThan(200);
    expect(passing).toBeGreaterThan(200);
  });
});
