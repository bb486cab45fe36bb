import { readFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, parse } from "yaml";
import { describe, expect, it } from "vitest";

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

// Temporary in-test reading of the source format until src/core/schemas (branch gwschemas) reaches main.
function readYaml(path: string): Node {
  return parse(readFileSync(path, "utf8")) as Node;
}
function inlineFragments(node: unknown, fragments: Node, trail: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => inlineFragments(n, fragments, trail));
  if (node === null || typeof node !== "object") return node;
  const ref = (node as Node)["x-mesh-ref"];
  if (typeof ref === "string") {
    if (!(ref in fragments)) throw new Error(`unknown fragment ${ref}`);
    if (trail.includes(ref)) throw new Error(`fragment cycle ${[...trail, ref].join(" → ")}`);
    return inlineFragments(fragments[ref], fragments, [...trail, ref]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inlineFragments(v, fragments, trail)]));
}
interface LocalKind {
  crd: Node;
  versions: Map<string, Node>;
}
function localKind(group: string, plural: string): LocalKind | undefined {
  const dir = join(schemasRoot, group, plural);
  if (!existsSync(join(dir, "crd.yaml"))) return undefined;
  const fragmentsPath = join(schemasRoot, group, "_fragments.yaml");
  const fragments = existsSync(fragmentsPath) ? readYaml(fragmentsPath) : {};
  const files = new Map<string, Node>();
  for (const f of readdirSync(dir)) if (f !== "crd.yaml" && f.endsWith(".yaml")) files.set(f.slice(0, -5), readYaml(join(dir, f)));
  const versions = new Map<string, Node>();
  for (const [name, file] of files) {
    const source = typeof file.schemaFrom === "string" ? files.get(file.schemaFrom) : file;
    versions.set(name, { ...file, openAPIV3Schema: inlineFragments(source?.openAPIV3Schema, fragments) });
  }
  return { crd: readYaml(join(dir, "crd.yaml")), versions };
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
    else if (key === "x-kubernetes-validations")
      facts[key] = (value as Node[]).map((r) => JSON.stringify(canonical(r))).sort();
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
  it("cover exactly the 15 Istio kinds", () => {
    const upstreamKinds = crds.map((c) => `${c.spec.group}/${c.spec.names.plural}`).sort();
    const mine = istioGroups.flatMap((g) =>
      existsSync(join(schemasRoot, g))
        ? readdirSync(join(schemasRoot, g))
            .filter((p) => existsSync(join(schemasRoot, g, p, "crd.yaml")))
            .map((p) => `${g}/${p}`)
        : [],
    );
    expect(mine.sort()).toEqual(upstreamKinds);
    expect(upstreamKinds).toHaveLength(15);
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
      const local = localKind(group, names.plural);

      it("has the same names, scope and versions", () => {
        expect(local, `schemas/${group}/${names.plural}/crd.yaml`).toBeDefined();
        const c = local!.crd;
        expect({
          group: c.group,
          kind: c.kind,
          plural: c.plural,
          singular: c.singular,
          listKind: c.listKind,
          shortNames: c.shortNames ?? [],
          categories: c.categories ?? [],
          scope: c.scope,
        }).toEqual({
          group,
          kind: names.kind,
          plural: names.plural,
          singular: names.singular,
          listKind: names.listKind,
          shortNames: names.shortNames ?? [],
          categories: names.categories ?? [],
          scope,
        });
        const versions = (c.versions as Node[]).map((v) => ({
          name: v.name,
          served: v.served,
          storage: v.storage,
          deprecated: v.deprecated ?? false,
        }));
        expect(versions).toEqual(
          crd.spec.versions.map((v) => ({ name: v.name, served: v.served, storage: v.storage, deprecated: v.deprecated ?? false })),
        );
      });

      for (const version of crd.spec.versions) {
        it(`${version.name}: schema facts and CEL rules are upstream's`, () => {
          const mine = local?.versions.get(version.name);
          expect(mine, `schemas/${group}/${names.plural}/${version.name}.yaml`).toBeDefined();
          expect(schemaDifferences(version.schema.openAPIV3Schema, mine!.openAPIV3Schema as Node)).toEqual([]);
        });

        it(`${version.name}: subresources and printer columns are upstream's`, () => {
          const mine = local?.versions.get(version.name);
          expect(canonical(mine?.subresources)).toEqual(canonical(version.subresources));
          expect(canonical(mine?.additionalPrinterColumns ?? [])).toEqual(canonical(version.additionalPrinterColumns ?? []));
        });
      }
    });
  }
});
