/**
 * Turns the Kubernetes OpenAPI v2 definitions (swagger.json of one release) into mesh's compact schemas: only
 * what decides whether the API server accepts a value (types, required fields, formats, int-or-string,
 * quantities, list types and map keys), never the description prose. Definitions stay separate and refer to
 * each other by short name (`core.v1.PodSpec`), so one PodSpec serves every workload kind.
 */

/** A swagger.json as published with the Kubernetes client libraries (the parts read here). */
export interface Swagger {
  definitions: Record<string, SwaggerNode>;
  paths: Record<string, Record<string, { "x-kubernetes-action"?: string; "x-kubernetes-group-version-kind"?: Gvk }>>;
}

interface SwaggerNode {
  type?: string;
  format?: string;
  $ref?: string;
  properties?: Record<string, SwaggerNode>;
  items?: SwaggerNode;
  additionalProperties?: SwaggerNode | boolean;
  required?: string[];
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: string;
  "x-kubernetes-group-version-kind"?: Gvk[];
  [key: string]: unknown;
}

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** One node of a compact schema: the StructuralSchema keywords mesh's walker reads, or a reference. */
export type CompactNode = Record<string, unknown>;

/** One creatable kind of one release, as its REST paths describe it. */
export interface CompactKind {
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: "Namespaced" | "Cluster";
  /** Short name of the definition holding the object's schema. */
  definition: string;
}

export interface CompactRelease {
  kinds: CompactKind[];
  /** Short definition name → compact schema; only the definitions the kinds reach. */
  definitions: Map<string, CompactNode>;
}

const PREFIXES: [string, string][] = [
  ["io.k8s.api.", ""],
  ["io.k8s.apimachinery.pkg.apis.meta.v1.", "meta.v1."],
  ["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.", "apiextensions.v1."],
  ["io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.", "apiregistration.v1."],
];

/** Definitions written inline where they are used, because they are leaves that Go decodes specially. */
const INLINE: Record<string, CompactNode> = {
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": { "x-kubernetes-int-or-string": true },
  // resource.Quantity unmarshals from a JSON string or number and must match the quantity grammar.
  "io.k8s.apimachinery.pkg.api.resource.Quantity": { "x-mesh-quantity": true },
  "io.k8s.apimachinery.pkg.runtime.RawExtension": { "x-kubernetes-preserve-unknown-fields": true },
};

/** `io.k8s.api.apps.v1.Deployment` → `apps.v1.Deployment`; undefined for definitions that are always inlined. */
export function shortDefinitionName(name: string): string | undefined {
  for (const [prefix, replacement] of PREFIXES) if (name.startsWith(prefix)) return replacement + name.slice(prefix.length);
  return undefined;
}

/** The file a definition lives in: its short name without the type name (`core.v1`). */
export function definitionFile(shortName: string): string {
  return shortName.slice(0, shortName.lastIndexOf("."));
}

const REF_PREFIX = "#/definitions/";

export function compactRelease(swagger: Swagger): CompactRelease {
  const kinds = creatableKinds(swagger);
  const definitions = new Map<string, CompactNode>();
  const pending = kinds.map((kind) => kind.definition);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (definitions.has(name)) continue;
    const full = fullName(name, swagger);
    const node = compactNode(swagger.definitions[full]!, swagger, (reference) => pending.push(reference));
    definitions.set(name, node);
  }
  return { kinds, definitions: new Map([...definitions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

function fullName(shortName: string, swagger: Swagger): string {
  for (const [prefix, replacement] of PREFIXES) {
    if (replacement !== "" && shortName.startsWith(replacement)) return prefix + shortName.slice(replacement.length);
  }
  const candidate = `io.k8s.api.${shortName}`;
  if (swagger.definitions[candidate]) return candidate;
  throw new Error(`no definition for ${shortName}`);
}

/** Kinds a client can create: a POST on a collection path (not a subresource such as pods/eviction). */
function creatableKinds(swagger: Swagger): CompactKind[] {
  const kinds = new Map<string, CompactKind>();
  for (const [path, operations] of Object.entries(swagger.paths)) {
    const post = operations.post;
    const gvk = post?.["x-kubernetes-group-version-kind"];
    if (!post || post["x-kubernetes-action"] !== "post" || !gvk) continue;
    const segments = path.split("/").filter(Boolean);
    const plural = segments[segments.length - 1]!;
    if (plural.startsWith("{") || segments[segments.length - 2] === "{name}") continue;
    const definition = Object.entries(swagger.definitions).find(([, node]) =>
      node["x-kubernetes-group-version-kind"]?.some(
        (entry) => entry.group === gvk.group && entry.version === gvk.version && entry.kind === gvk.kind,
      ),
    );
    if (!definition) continue;
    const shortName = shortDefinitionName(definition[0]);
    if (!shortName) continue;
    const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
    const scope = path.includes("{namespace}") ? "Namespaced" : "Cluster";
    const existing = kinds.get(key);
    if (existing && existing.scope === "Namespaced") continue;
    kinds.set(key, { group: gvk.group, version: gvk.version, kind: gvk.kind, plural, scope, definition: shortName });
  }
  return [...kinds.values()].sort((a, b) => compareKinds(a, b));
}

function compareKinds(a: CompactKind, b: CompactKind): number {
  const left = `${a.group}/${a.version}/${a.kind}`;
  const right = `${b.group}/${b.version}/${b.kind}`;
  return left < right ? -1 : left > right ? 1 : 0;
}

function compactNode(node: SwaggerNode, swagger: Swagger, reference: (shortName: string) => void): CompactNode {
  if (node.$ref !== undefined) {
    const full = node.$ref.slice(REF_PREFIX.length);
    const inline = INLINE[full];
    if (inline) return { ...inline };
    const target = swagger.definitions[full];
    if (!target) throw new Error(`dangling reference ${node.$ref}`);
    const shortName = shortDefinitionName(full);
    if (!shortName || isLeaf(target)) return compactNode(target, swagger, reference);
    reference(shortName);
    return { $ref: shortName };
  }
  const out: CompactNode = {};
  if (node.format === "int-or-string") return { "x-kubernetes-int-or-string": true };
  const hasStructure = node.properties !== undefined || node.additionalProperties !== undefined || node.items !== undefined;
  // Go decodes these into raw JSON (apiextensions JSON, …): any value; an object without declared fields
  // (FieldsV1, CustomResourceSubresourceStatus) holds any fields.
  if (node.type === undefined && !hasStructure) return { "x-kubernetes-preserve-unknown-fields": true };
  if (node.type === "object" && !hasStructure) return { type: "object", "x-kubernetes-preserve-unknown-fields": true };
  if (node.type !== undefined) out.type = node.type;
  if (node.format !== undefined) out.format = node.format;
  if (node.required !== undefined && node.required.length > 0) out.required = [...node.required];
  if (node.properties !== undefined) {
    const properties: Record<string, CompactNode> = {};
    for (const key of Object.keys(node.properties).sort()) properties[key] = compactNode(node.properties[key]!, swagger, reference);
    out.properties = properties;
  }
  if (node.items !== undefined) out.items = compactNode(node.items, swagger, reference);
  if (typeof node.additionalProperties === "object") out.additionalProperties = compactNode(node.additionalProperties, swagger, reference);
  for (const key of ["x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type"] as const) {
    if (node[key] !== undefined) out[key] = node[key];
  }
  return out;
}

/** A definition without properties (meta.v1.Time, …) reads better inline than behind a reference. */
function isLeaf(node: SwaggerNode): boolean {
  return node.properties === undefined && node.items === undefined && node.additionalProperties === undefined;
}
