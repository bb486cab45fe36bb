import { SCHEMA_GATEWAY_API_VERSIONS } from "../versions.js";
import { resolveForVariant, SchemaSourceError, usesGates } from "./gates.js";
import type { GroupSource, KindSource } from "./sources.js";
import type { PrinterColumn, ResolvedKind, ResolvedVersion, SchemaBundle, SchemaVariant } from "./types.js";

export const GATEWAY_API_GROUPS: readonly string[] = ["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"];

export const DEFAULT_VARIANT: SchemaVariant = { gatewayApiVersion: "v1.5.1", channel: "standard" };

export const ALL_VARIANTS: readonly SchemaVariant[] = SCHEMA_GATEWAY_API_VERSIONS.flatMap((gatewayApiVersion) =>
  (["standard", "experimental"] as const).map((channel) => ({ gatewayApiVersion, channel })),
);

export function isGatewayApiGroup(group: string): boolean {
  return GATEWAY_API_GROUPS.includes(group);
}

export function variantKey(variant: SchemaVariant): string {
  return `${variant.gatewayApiVersion}-${variant.channel}`;
}

/** The file name under dist/schemas of a variant's Gateway API bundle. */
export function gatewayBundleFileName(variant: SchemaVariant): string {
  return `gateway-api-${variantKey(variant)}.json`;
}
export const UNGATED_BUNDLE_FILE = "istio.json";
/** dist/schemas/kinds/BUNDLE/GROUP/KIND.json: each kind of each bundle on its own, so a run reads only the kinds it meets. */
export const KIND_DIRECTORY = "kinds";

/** The path under KIND_DIRECTORY of one kind of a bundle file; undefined for names no bundle can hold. */
export function kindFileName(bundleFile: string, group: string, kind: string): string | undefined {
  if (!/^[a-z0-9.-]*$/.test(group) || !/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  return `${bundleFile.replace(/\.json$/, "")}/${group || "core"}/${kind}.json`;
}
export const AVAILABILITY_FILE = "index.json";

/** Resolves the Gateway API groups of `sources` for one variant. */
export function buildGatewayBundle(sources: GroupSource[], variant: SchemaVariant): SchemaBundle {
  const kinds = sources
    .filter((group) => isGatewayApiGroup(group.group))
    .flatMap((group) => group.kinds.map((kind) => resolveKind(group, kind, variant)))
    .filter((kind): kind is ResolvedKind => kind !== undefined);
  for (const kind of kinds) {
    kind.annotations = {
      ...kind.annotations,
      "gateway.networking.k8s.io/bundle-version": variant.gatewayApiVersion,
      "gateway.networking.k8s.io/channel": variant.channel,
    };
  }
  return { format: 1, variant, kinds };
}

/** Resolves every other group (Istio): no gates allowed, fragments inlined, the same in every variant. */
export function buildUngatedBundle(sources: GroupSource[]): SchemaBundle {
  const kinds: ResolvedKind[] = [];
  for (const group of sources) {
    if (isGatewayApiGroup(group.group)) continue;
    for (const kind of group.kinds) {
      if (usesGates(kind.crd) || [...kind.versionFiles.values()].some(usesGates) || usesGates(group.fragments)) {
        throw new SchemaSourceError(`${kind.directory}: only Gateway API groups may use x-mesh gates`);
      }
      const resolved = resolveKind(group, kind, DEFAULT_VARIANT);
      if (resolved) kinds.push(resolved);
    }
  }
  return { format: 1, kinds };
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw new SchemaSourceError(`${where}: expected a list of strings`);
  }
  return value as string[];
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string")) {
    throw new SchemaSourceError(`${where}: expected a map of strings`);
  }
  return value as Record<string, string>;
}

function requiredString(crd: Record<string, unknown>, key: string, where: string): string {
  const value = crd[key];
  if (typeof value !== "string" || value === "") throw new SchemaSourceError(`${where}: ${key} is required`);
  return value;
}

function resolveKind(group: GroupSource, source: KindSource, variant: SchemaVariant): ResolvedKind | undefined {
  const where = `${source.directory}/crd.yaml`;
  const context = { variant, fragments: group.fragments, source: where };
  const crd = resolveForVariant<Record<string, unknown>>(source.crd, context);
  if (!crd) return undefined;
  const scope = crd.scope;
  if (scope !== "Namespaced" && scope !== "Cluster") throw new SchemaSourceError(`${where}: scope must be Namespaced or Cluster`);
  const kind = requiredString(crd, "kind", where);
  const entries = crd.versions;
  if (!Array.isArray(entries) || entries.length === 0) throw new SchemaSourceError(`${where}: versions must list at least one version`);

  const versions = entries.map((entry) => resolveVersion(group, source, entry as Record<string, unknown>, variant));
  const names = versions.map((version) => version.name);
  for (const version of versions) {
    if (names.indexOf(version.name) !== names.lastIndexOf(version.name)) {
      throw new SchemaSourceError(`${where}: version ${version.name} listed twice`);
    }
    if (version.schemaFrom !== undefined) {
      const target = versions.find((candidate) => candidate.name === version.schemaFrom);
      if (!target?.openAPIV3Schema) {
        throw new SchemaSourceError(`${source.directory}/${version.name}.yaml: schemaFrom ${version.schemaFrom} names no version with its own schema`);
      }
    }
  }
  const storage = versions.filter((version) => version.storage);
  if (storage.length !== 1) {
    throw new SchemaSourceError(`${where}: ${kind} has ${storage.length} storage versions in ${variantLabel(variant)}, needs exactly 1`);
  }
  return {
    group: group.group,
    kind,
    plural: source.plural,
    singular: requiredString(crd, "singular", where),
    listKind: typeof crd.listKind === "string" ? crd.listKind : `${kind}List`,
    shortNames: stringList(crd.shortNames, `${where} shortNames`),
    categories: stringList(crd.categories, `${where} categories`),
    scope,
    labels: stringMap(crd.labels, `${where} labels`),
    annotations: stringMap(crd.annotations, `${where} annotations`),
    versions,
  };
}

function variantLabel(variant: SchemaVariant): string {
  return `Gateway API ${variant.gatewayApiVersion} ${variant.channel}`;
}

function resolveVersion(
  group: GroupSource,
  source: KindSource,
  entry: Record<string, unknown>,
  variant: SchemaVariant,
): ResolvedVersion {
  const name = entry.name;
  if (typeof name !== "string") throw new SchemaSourceError(`${source.directory}/crd.yaml: a version has no name`);
  const file = source.versionFiles.get(name);
  const where = `${source.directory}/${name}.yaml`;
  if (!file) throw new SchemaSourceError(`${where}: missing (listed in crd.yaml)`);
  const content = resolveForVariant<Record<string, unknown>>(file, { variant, fragments: group.fragments, source: where });
  if (!content) throw new SchemaSourceError(`${where}: the whole file is gated out although crd.yaml lists it`);
  const version: ResolvedVersion = {
    name,
    served: entry.served !== false,
    storage: entry.storage === true,
    deprecated: entry.deprecated === true,
  };
  if (typeof entry.deprecationWarning === "string") version.deprecationWarning = entry.deprecationWarning;
  const hasSchema = content.openAPIV3Schema !== undefined;
  const hasPointer = content.schemaFrom !== undefined;
  if (hasSchema === hasPointer) throw new SchemaSourceError(`${where}: needs exactly one of openAPIV3Schema and schemaFrom`);
  if (hasSchema) version.openAPIV3Schema = content.openAPIV3Schema as ResolvedVersion["openAPIV3Schema"];
  else version.schemaFrom = String(content.schemaFrom);
  if (content.subresources !== undefined) version.subresources = content.subresources as Record<string, unknown>;
  if (content.additionalPrinterColumns !== undefined) {
    version.additionalPrinterColumns = content.additionalPrinterColumns as PrinterColumn[];
  }
  if (content.selectableFields !== undefined) version.selectableFields = content.selectableFields as { jsonPath: string }[];
  for (const key of Object.keys(content)) {
    if (!["version", "openAPIV3Schema", "schemaFrom", "subresources", "additionalPrinterColumns", "selectableFields"].includes(key)) {
      throw new SchemaSourceError(`${where}: unknown key ${key}`);
    }
  }
  return version;
}

/** For each variant, the served `group/version/Kind` triples of its Gateway API bundle (for whereElse). */
export interface Availability {
  format: 1;
  variants: { variant: SchemaVariant; served: string[] }[];
}

export function servedTriples(bundle: SchemaBundle): string[] {
  return bundle.kinds.flatMap((kind) =>
    kind.versions.filter((version) => version.served).map((version) => `${kind.group}/${version.name}/${kind.kind}`),
  );
}

export function buildAvailability(bundles: SchemaBundle[]): Availability {
  return {
    format: 1,
    variants: bundles.map((bundle) => ({ variant: bundle.variant!, served: servedTriples(bundle) })),
  };
}

/** Every file of a bundle directory by name: one bundle per Gateway API variant, the ungated bundle, the availability index. */
export function bundleFiles(sources: GroupSource[]): Map<string, unknown> {
  const gatewayBundles = ALL_VARIANTS.map((variant) => buildGatewayBundle(sources, variant));
  return new Map<string, unknown>([
    ...gatewayBundles.map((bundle) => [gatewayBundleFileName(bundle.variant!), bundle] as const),
    [UNGATED_BUNDLE_FILE, buildUngatedBundle(sources)],
    [AVAILABILITY_FILE, buildAvailability(gatewayBundles)],
  ]);
}
