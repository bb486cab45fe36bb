import { readFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { createSchemaLoader } from "../../src/core/schemas/index.js";

// Istio 1.30.3's generated CRDs are the oracle: every structural fact and every CEL rule of every served
// version must be reproduced by the project's schemas/ (descriptions excepted).
const reference = join(import.meta.dirname, "../../../shared/reference/istio/1.30.3/crd-all.gen.yaml");
const schemasRoot = join(import.meta.dirname, "../../schemas");
const istioGroups = ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io"];

type Node = Record<string, unknown>;

interface UpstreamVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  schema: { openAPIV3Schema: Node };
  subresources?: unknown;
  additionalPrinterColumns?: Array<Record<string, unknown>>;
}
interface UpstreamCrd {
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string; singular: string; listKind: string; shortNames?: string[]; categories?: string[] };
    versions: UpstreamVersion[];
  };
}

function upstreamCrds(): UpstreamCrd[] {
  return parseAllDocuments(readFileSync(reference, "utf8"))
    .map((d) => d.toJS() as UpstreamCrd | null)
    .filter((d): d is UpstreamCrd => d !== null);
}

// The CRDs mesh install applies, built by the loader from schemas/ (so this also tests fragment inlining and
// schemaFrom): they must be upstream's, descriptions and the helm-replaced labels aside.
const loader = createSchemaLoader({ sourceDirectory: schemasRoot });
interface LocalCrd {
  metadata: { name: string };
  spec: {
    group: string;
    scope: string;
    names: Node;
    versions: Array<Node & { name: string; schema: { openAPIV3Schema: Node } }>;
  };
}
function localCrds(): Map<string, LocalCrd> {
  const crds = loader.customResourceDefinitions(istioGroups) as unknown as LocalCrd[];
  return new Map(crds.map((crd) => [crd.metadata.name, crd]));
}

// ---- the comparison: one fact record per schema path ----
const structuralKeys = new Set(["properties", "items", "additionalProperties", "description"]);
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Node)
      .filter(([k, v]) => !(k === "description" && typeof v === "string"))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, canonical(v)]),
  );
}
function schemaFacts(node: Node, path = "", out = new Map<string, string>()): Map<string, string> {
  const facts: Node = {};
  for (const [key, value] of Object.entries(node)) {
    if (structuralKeys.has(key)) continue;
    if (key === "required") facts[key] = [...(value as string[])].sort();
    else if (key === "x-kubernetes-validations") facts[key] = (value as Node[]).map((r) => JSON.stringify(canonical(r))).sort();
    else facts[key] = canonical(value);
  }
  out.set(path || "<root>", JSON.stringify(canonical(facts)));
  const props = node.properties as Record<string, Node> | undefined;
  for (const [name, child] of Object.entries(props ?? {})) schemaFacts(child, `${path}.${name}`, out);
  if (node.items && typeof node.items === "object") schemaFacts(node.items as Node, `${path}[]`, out);
  if (node.additionalProperties && typeof node.additionalProperties === "object")
    schemaFacts(node.additionalProperties as Node, `${path}{}`, out);
  return out;
}
function schemaDifferences(expected: Node, actual: Node): string[] {
  const want = schemaFacts(expected);
  const got = schemaFacts(actual);
  const diffs: string[] = [];
  for (const [path, fact] of want) {
    const mine = got.get(path);
    if (mine === undefined) diffs.push(`missing ${path}: ${fact}`);
    else if (mine !== fact) diffs.push(`differs ${path}:\n  upstream ${fact}\n  mesh     ${mine}`);
  }
  for (const path of got.keys()) if (!want.has(path)) diffs.push(`extra ${path}`);
  return diffs;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".yaml") ? [join(dir, entry.name)] : [],
  );
}

const crds = existsSync(reference) ? upstreamCrds() : [];

describe.skipIf(crds.length === 0)("Istio schemas match Istio 1.30.3's CRDs", () => {
  const mine = localCrds();

  it("cover exactly the 15 Istio kinds", () => {
    const upstreamNames = crds.map((c) => `${c.spec.names.plural}.${c.spec.group}`).sort();
    expect([...mine.keys()].sort()).toEqual(upstreamNames);
    expect(upstreamNames).toHaveLength(15);
  });

  it("carry no upstream description prose (no 9-word run of it)", () => {
    const runs = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node !== null && typeof node === "object")
        for (const [key, value] of Object.entries(node as Node)) {
          if (key === "description" && typeof value === "string") {
            const words = value.toLowerCase().split(/\s+/).filter(Boolean);
            for (let i = 0; i + 9 <= words.length; i++) runs.add(words.slice(i, i + 9).join(" "));
          } else collect(value);
        }
    };
    collect(crds);
    const copied: string[] = [];
    for (const group of istioGroups) {
      for (const file of sourceFiles(join(schemasRoot, group))) {
        const words = readFileSync(file, "utf8").toLowerCase().split(/\s+/).filter(Boolean);
        for (let i = 0; i + 9 <= words.length; i++) {
          const run = words.slice(i, i + 9).join(" ");
          if (runs.has(run)) copied.push(`${file}: ${run}`);
        }
      }
    }
    expect(copied).toEqual([]);
  });

  for (const crd of crds) {
    const { group, names, scope } = crd.spec;
    describe(`${names.kind}.${group}`, () => {
      const local = mine.get(`${names.plural}.${group}`);

      it("has the same names, scope and versions", () => {
        expect(local, `schemas/${group}/${names.plural}/crd.yaml`).toBeDefined();
        expect({ group: local!.spec.group, scope: local!.spec.scope, names: canonical(local!.spec.names) }).toEqual({
          group,
          scope,
          names: canonical(names),
        });
        const versionFacts = (versions: Node[]) =>
          versions.map((v) => ({ name: v.name, served: v.served, storage: v.storage, deprecated: v.deprecated ?? false }));
        expect(versionFacts(local!.spec.versions)).toEqual(versionFacts(crd.spec.versions as unknown as Node[]));
      });

      for (const version of crd.spec.versions) {
        const localVersion = () => {
          const found = local?.spec.versions.find((v) => v.name === version.name);
          expect(found, `schemas/${group}/${names.plural}/${version.name}.yaml`).toBeDefined();
          return found!;
        };

        it(`${version.name}: schema facts and CEL rules are upstream's`, () => {
          expect(schemaDifferences(version.schema.openAPIV3Schema, localVersion().schema.openAPIV3Schema)).toEqual([]);
        });

        it(`${version.name}: subresources and printer columns are upstream's`, () => {
          const v = localVersion();
          expect(canonical(v.subresources)).toEqual(canonical(version.subresources));
          expect(canonical(v.additionalPrinterColumns ?? [])).toEqual(canonical(version.additionalPrinterColumns ?? []));
        });
      }
    });
  }
});
