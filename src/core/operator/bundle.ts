import { existsSync, readdirSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { isMap, type JsonMap } from "./types.js";
import { distPath, PACKAGE_ROOT } from "../package-paths.js";
import { yamlPackage } from "../yaml-package.js";

/** A node of the IstioOperator schema (structural-schema keywords, fragments already inlined). */
export interface SchemaNode {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  enum?: unknown[];
  "x-kubernetes-int-or-string"?: boolean;
  /** Alternatives that differ in type only (an image tag is a string or any number). */
  anyOf?: SchemaNode[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
}

/** Profiles (as written in profiles/, not yet layered on default) and the IstioOperator schema. */
export interface OperatorBundle {
  profiles: Record<string, JsonMap>;
  schema: SchemaNode;
}

/** Written by the build step 30-profiles into dist/; absent before the first build. */
const compiledBundle = distPath("operator-bundle.json");

let cached: OperatorBundle | undefined;

export function operatorBundle(): OperatorBundle {
  if (cached) return cached;
  cached = existsSync(compiledBundle)
    ? (JSON.parse(readFileSync(compiledBundle, "utf8")) as OperatorBundle)
    : bundleFromSources(pathToFileURL(`${PACKAGE_ROOT}/`));
  return cached;
}

/** Reads profiles/*.yaml and schemas/install.istio.io/ (the build step and source runs use this). */
export function bundleFromSources(root: URL): OperatorBundle {
  const { parse } = yamlPackage();
  const readYaml = (relative: string) => parse(readFileSync(new URL(relative, root), "utf8"), { version: "1.1" }) as unknown;
  const profiles: Record<string, JsonMap> = {};
  for (const file of readdirSync(new URL("profiles/", root))
    .filter((name) => name.endsWith(".yaml"))
    .sort()) {
    const document = readYaml(`profiles/${file}`);
    if (!isMap(document)) throw new Error(`profiles/${file} is not an IstioOperator document`);
    profiles[file.slice(0, -".yaml".length)] = document;
  }
  const fragments = readYaml("schemas/install.istio.io/_fragments.yaml") as Record<string, unknown>;
  const version = readYaml("schemas/install.istio.io/istiooperators/v1alpha1.yaml") as JsonMap;
  return { profiles, schema: inlineFragments(version.openAPIV3Schema, fragments, []) as SchemaNode };
}

function inlineFragments(node: unknown, fragments: Record<string, unknown>, trail: string[]): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineFragments(item, fragments, trail));
  if (!isMap(node)) return node;
  const ref = node["x-mesh-ref"];
  if (typeof ref === "string") {
    if (trail.includes(ref)) throw new Error(`schema fragment "${ref}" refers to itself`);
    if (!(ref in fragments)) throw new Error(`unknown schema fragment "${ref}"`);
    return inlineFragments(fragments[ref], fragments, [...trail, ref]);
  }
  const out: JsonMap = {};
  for (const [key, value] of Object.entries(node)) out[key] = inlineFragments(value, fragments, trail);
  return out;
}
