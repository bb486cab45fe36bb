import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import AjvModule from "ajv";
import { describe, expect, it } from "vitest";
import { readReleases } from "../../src/build/kubernetes-schemas/index.js";
import { mergeReleases, minorOf, serializeDefinitions, serializeIndex } from "../../src/build/kubernetes-schemas/merge.js";
import { profileNames } from "../../src/core/operator/profiles.js";
import { generateManifest } from "../../src/core/render/index.js";
import { KUBERNETES_SCHEMA_DIRECTORY } from "../../src/core/schemas/kubernetes.js";
import { validateObjects } from "../../src/core/validate/index.js";
import { KUBERNETES_VERSIONS, type KubernetesVersion } from "../../src/core/versions.js";
import { validCoreObjects, type Json } from "../core/validate/kubernetes/valid-objects.js";

const Ajv = AjvModule.default;
const referenceRoot = fileURLToPath(new URL("../../../shared/reference/kubernetes/", import.meta.url));
const releases = await readReleases(referenceRoot);

interface SwaggerNode {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, SwaggerNode>;
  additionalProperties?: SwaggerNode | boolean;
  items?: SwaggerNode;
  required?: string[];
  "x-kubernetes-group-version-kind"?: { group: string; version: string; kind: string }[];
}

/**
 * An independent validator straight from one release's swagger.json, the way strict decoding treats a body:
 * every declared type (null allowed, as Go decodes it to the zero value), no unknown fields, the definitions'
 * required fields; IntOrString and Quantity as Go decodes them. Built with ajv on JSON Schema translated here, not with mesh's schemas or walker.
 */
function referenceValidator(swagger: { definitions: Record<string, SwaggerNode> }) {
  const translate = (node: SwaggerNode): Record<string, unknown> => {
    if (node.$ref !== undefined) {
      const name = node.$ref.replace("#/definitions/", "");
      if (name === "io.k8s.apimachinery.pkg.util.intstr.IntOrString") return { type: ["integer", "string", "null"] };
      if (name === "io.k8s.apimachinery.pkg.api.resource.Quantity") return { type: ["string", "number", "null"] };
      return { anyOf: [{ type: "null" }, { $ref: `k8s#/definitions/${name}` }] };
    }
    if (node.format === "int-or-string") return { type: ["integer", "string", "null"] };
    const out: Record<string, unknown> = {};
    // Go decodes a JSON null into any field as its zero value.
    if (node.type !== undefined) out.type = [node.type, "null"];
    if (node.required) out.required = node.required;
    if (node.properties) {
      out.properties = Object.fromEntries(Object.entries(node.properties).map(([key, child]) => [key, translate(child)]));
      out.additionalProperties = false;
    } else if (typeof node.additionalProperties === "object") out.additionalProperties = translate(node.additionalProperties);
    if (node.items) out.items = translate(node.items);
    return out;
  };
  const ajv = new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false });
  ajv.addSchema({
    $id: "k8s",
    definitions: Object.fromEntries(Object.entries(swagger.definitions).map(([name, node]) => [name, translate(node)])),
  });
  const byKind = new Map<string, string>();
  for (const [name, node] of Object.entries(swagger.definitions)) {
    for (const gvk of node["x-kubernetes-group-version-kind"] ?? [])
      byKind.set(`${gvk.group ? `${gvk.group}/` : ""}${gvk.version}/${gvk.kind}`, name);
  }
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  return (object: Json): boolean => {
    const name = byKind.get(`${object.apiVersion}/${object.kind}`);
    if (!name) throw new Error(`reference has no ${object.apiVersion} ${object.kind}`);
    let validate = compiled.get(name);
    if (!validate) compiled.set(name, (validate = ajv.compile({ $ref: `k8s#/definitions/${name}` })));
    return validate(object) as boolean;
  };
}

/** Codes of mesh's schema stage (strict decoding, types, required): what the reference validator decides too. */
const schemaStage = new Set(["SCHEMA_TYPE", "SCHEMA_UNKNOWN_FIELD", "SCHEMA_REQUIRED", "SCHEMA_QUANTITY"]);

function corpus(): Json[] {
  const generated = profileNames()
    .filter((profile) => profile !== "stable")
    .flatMap((profile) =>
      generateManifest({ files: [], sets: [`profile=${profile}`] }).components.flatMap((component) => component.objects),
    )
    // Built-in kinds only: a group with a dot that is not a *.k8s.io group belongs to a CRD (Istio, Gateway API, Multus).
    .filter((object) => {
      const group = String(object.apiVersion).split("/").slice(0, -1).join("/");
      return !group.includes(".") || (group.endsWith(".k8s.io") && !group.startsWith("gateway.networking") && !group.endsWith(".x-k8s.io"));
    });
  return [...Object.values(validCoreObjects).map((make) => make()), ...(generated as Json[])].map((object) => {
    const { status: _status, ...rest } = object;
    return rest;
  });
}

/** Every way to break one field: an unknown sibling, the wrong JSON type, and the field removed. */
function* mutants(object: Json): Generator<{ what: string; object: Json }> {
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (path.length > 0 && path.length <= 6) paths.push(path);
    if (Array.isArray(value)) value.slice(0, 2).forEach((item, index) => walk(item, [...path, index]));
    else if (value && typeof value === "object") for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
  };
  for (const [key, value] of Object.entries(object)) if (key !== "metadata" && key !== "apiVersion" && key !== "kind") walk(value, [key]);
  const edit = (path: (string | number)[], change: (parent: any, key: string | number) => void): Json => {
    const copy = structuredClone(object);
    let parent: any = copy;
    for (const segment of path.slice(0, -1)) parent = parent[segment];
    change(parent, path.at(-1)!);
    return copy;
  };
  for (const path of paths) {
    const value = path.reduce<any>((node, segment) => node[segment], object);
    const where = path.join(".");
    if (value && typeof value === "object" && !Array.isArray(value))
      yield { what: `${where}: unknown field`, object: edit(path, (parent, key) => (parent[key].zzUnknown = 1)) };
    const wrong =
      typeof value === "string"
        ? true
        : typeof value === "number"
          ? { n: 1 }
          : typeof value === "boolean"
            ? "yes"
            : Array.isArray(value)
              ? "list"
              : 7;
    yield { what: `${where}: wrong type`, object: edit(path, (parent, key) => (parent[key] = wrong)) };
    if (typeof path.at(-1) === "string") yield { what: `${where}: removed`, object: edit(path, (parent, key) => delete parent[key]) };
  }
}

describe("built-in Kubernetes schemas", () => {
  it("are committed exactly as the generator writes them from the reference definitions", () => {
    const files = mergeReleases(releases);
    expect(readFileSync(join(KUBERNETES_SCHEMA_DIRECTORY, "kinds.json"), "utf8")).toBe(serializeIndex(files.index));
    for (const [file, content] of files.definitionFiles) {
      expect(readFileSync(join(KUBERNETES_SCHEMA_DIRECTORY, "definitions", `${file}.json`), "utf8")).toBe(serializeDefinitions(content));
    }
    expect(Object.keys(files.index.releases)).toEqual([...KUBERNETES_VERSIONS]);
  });

  const objects = corpus();
  it.each(releases.map((release) => [release.release, release] as const))(
    "give mesh the same verdicts as a validator built on the Kubernetes %s definitions",
    (_name, release) => {
      const reference = referenceValidator(release.swagger);
      const version = minorOf(release.release) as KubernetesVersion;
      const disagreements: string[] = [];
      let compared = 0;
      for (const object of objects) {
        for (const { what, object: mutant } of [{ what: "as is", object }, ...mutants(object)]) {
          const referenceAccepts = reference(mutant);
          const meshRejects = validateObjects([mutant], { kubernetesVersion: version }).some(
            (finding) => finding.severity === "error" && schemaStage.has(finding.code),
          );
          compared++;
          if (referenceAccepts === meshRejects)
            disagreements.push(`${object.kind}/${object.metadata?.name} ${what}: reference ${referenceAccepts ? "accepts" : "rejects"}`);
        }
      }
      expect(compared).toBeGreaterThan(1000);
      expect(disagreements).toEqual([]);
    },
  );
});
