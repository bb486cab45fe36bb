import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { createSchemaLoader, type JSONSchemaProps, type SchemaVariant } from "../../src/core/schemas/index.js";

/**
 * Proves the hand-written Gateway API schemas complete: for every upstream CRD of the four bundle variants,
 * every kind/version must carry the same structural facts and the same CEL rules once our loader resolves
 * the variant. Descriptions are ignored (ours have none).
 */
const referenceRoot = fileURLToPath(new URL("../../../shared/reference/gateway-api/", import.meta.url));
const sourceDirectory = fileURLToPath(new URL("../../schemas/", import.meta.url));
const loader = createSchemaLoader({ sourceDirectory });

const variants: SchemaVariant[] = [
  { gatewayApiVersion: "v1.2.1", channel: "standard" },
  { gatewayApiVersion: "v1.2.1", channel: "experimental" },
  { gatewayApiVersion: "v1.5.1", channel: "standard" },
  { gatewayApiVersion: "v1.5.1", channel: "experimental" },
];

interface UpstreamCrd {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string; plural: string; singular: string; listKind: string; shortNames?: string[]; categories?: string[] };
    scope: string;
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      deprecated?: boolean;
      deprecationWarning?: string;
      schema: { openAPIV3Schema: JSONSchemaProps };
      subresources?: unknown;
      additionalPrinterColumns?: { description?: string }[];
    }[];
  };
}

function upstreamCrds(variant: SchemaVariant): UpstreamCrd[] {
  const directory = join(referenceRoot, variant.gatewayApiVersion, variant.channel);
  return readdirSync(directory)
    .filter((file) => file.endsWith(".yaml"))
    .flatMap((file) => parseAllDocuments(readFileSync(join(directory, file), "utf8")).map((document) => document.toJS() as UpstreamCrd))
    .filter((document) => document?.kind === "CustomResourceDefinition");
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

const scalarFacts = [
  "type",
  "format",
  "enum",
  "pattern",
  "default",
  "nullable",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-map-type",
  "x-kubernetes-int-or-string",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-embedded-resource",
] as const;
const structuralKeys = new Set<string>([
  ...scalarFacts,
  "properties",
  "items",
  "additionalProperties",
  "required",
  "oneOf",
  "anyOf",
  "allOf",
  "not",
  "description",
  "x-kubernetes-validations",
]);

/** One line per fact: `path keyword=value`, CEL rules as `path rule: … message: …`. */
function schemaFacts(schema: JSONSchemaProps): { structure: string[]; rules: string[] } {
  const structure: string[] = [];
  const rules: string[] = [];
  const walk = (node: JSONSchemaProps, path: string) => {
    for (const key of Object.keys(node)) if (!structuralKeys.has(key)) structure.push(`${path} unknown keyword ${key}`);
    for (const keyword of scalarFacts) if (node[keyword] !== undefined) structure.push(`${path} ${keyword}=${canonical(node[keyword])}`);
    if (node.required) structure.push(`${path} required=${canonical([...node.required].sort())}`);
    for (const rule of node["x-kubernetes-validations"] ?? []) {
      const { rule: expression, message, ...rest } = rule;
      rules.push(`${path} rule: ${expression} message: ${message ?? ""}${Object.keys(rest).length ? ` ${canonical(rest)}` : ""}`);
    }
    for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${name}`);
    if (node.items) walk(node.items, `${path}[]`);
    if (typeof node.additionalProperties === "object") walk(node.additionalProperties, `${path}{*}`);
    else if (node.additionalProperties !== undefined) structure.push(`${path} additionalProperties=${node.additionalProperties}`);
    for (const combinator of ["oneOf", "anyOf", "allOf"] as const) {
      node[combinator]?.forEach((branch, index) => walk(branch, `${path}<${combinator}${index}>`));
    }
    if (node.not) walk(node.not, `${path}<not>`);
  };
  walk(schema, "");
  return { structure: structure.sort(), rules: rules.sort() };
}

/** Lines only in `expected` are prefixed `missing`, lines only in `actual` `extra`; multiset semantics. */
function differences(expected: string[], actual: string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of expected) counts.set(line, (counts.get(line) ?? 0) + 1);
  const extra: string[] = [];
  for (const line of actual) {
    const count = counts.get(line) ?? 0;
    if (count > 0) counts.set(line, count - 1);
    else extra.push(`extra   ${line}`);
  }
  const missing = [...counts].flatMap(([line, count]) => Array.from({ length: count }, () => `missing ${line}`));
  return [...missing, ...extra];
}

describe.skipIf(!existsSync(referenceRoot))("Gateway API schemas agree with the upstream CRDs", () => {
  for (const variant of variants) {
    const label = `${variant.gatewayApiVersion} ${variant.channel}`;
    describe(label, () => {
      const upstream = upstreamCrds(variant);
      const catalog = loader.schemaCatalog(variant);
      const ours = loader.customResourceDefinitions(["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"], variant);

      it("has exactly the upstream kinds", () => {
        const upstreamNames = upstream.map((crd) => crd.metadata.name).sort();
        const ourNames = ours.map((crd) => crd.metadata.name!).sort();
        expect(differences(upstreamNames, ourNames)).toEqual([]);
      });

      it("carries no description text", () => {
        const prose: string[] = [];
        JSON.stringify(ours, (key, value: unknown) => {
          if (key === "description" && typeof value === "string") prose.push(value);
          return value;
        });
        expect(prose).toEqual([]);
      });

      for (const crd of upstream) {
        it(`${crd.spec.names.kind}: names, scope and versions`, () => {
          const mine = ours.find((candidate) => candidate.metadata.name === crd.metadata.name);
          expect(mine, `${crd.metadata.name} missing`).toBeDefined();
          const spec = mine!.spec as UpstreamCrd["spec"];
          expect(mine!.metadata.annotations).toEqual(crd.metadata.annotations);
          expect(spec.names).toEqual({ ...crd.spec.names });
          expect(spec.scope).toBe(crd.spec.scope);
          const summary = (versions: UpstreamCrd["spec"]["versions"]) =>
            versions.map((version) => ({
              name: version.name,
              served: version.served,
              storage: version.storage,
              deprecated: version.deprecated ?? false,
              deprecationWarning: version.deprecationWarning,
              subresources: version.subresources,
              additionalPrinterColumns: version.additionalPrinterColumns?.map(({ description: _d, ...column }) => column),
            }));
          expect(summary(spec.versions)).toEqual(summary(crd.spec.versions));
        });

        for (const version of crd.spec.versions) {
          it(`${crd.spec.names.kind} ${version.name}: structural facts and CEL rules`, () => {
            const mine = catalog.lookup(`${crd.spec.group}/${version.name}`, crd.spec.names.kind);
            expect(mine, `${crd.spec.names.kind} ${version.name} missing`).toBeDefined();
            const expected = schemaFacts(version.schema.openAPIV3Schema);
            const actual = schemaFacts(mine!.openAPIV3Schema);
            expect(differences(expected.structure, actual.structure), "structural facts").toEqual([]);
            expect(differences(expected.rules, actual.rules), "CEL rules").toEqual([]);
          });
        }
      }
    });
  }
});
