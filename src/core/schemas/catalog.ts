import { apiGroupOf, apiVersionOnly } from "../objects.js";
import { GATEWAY_API_GROUPS, isGatewayApiGroup } from "./bundle.js";
import type { JSONSchemaProps, ResolvedKind, SchemaBundle, SchemaVariant } from "./types.js";

/**
 * One served-or-not version of one kind, its schema fully resolved (fragments inlined, gates applied).
 * The schema object is shared (versions with one schema, repeated lookups): treat it as read-only.
 */
export interface KindVersionSchema {
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: "Namespaced" | "Cluster";
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  openAPIV3Schema: JSONSchemaProps;
}

export interface SchemaCatalog {
  /** The variant the Gateway API kinds were resolved for. */
  readonly variant: SchemaVariant;
  /** Served or not; undefined when the kind/version does not exist in this variant at all. */
  lookup(apiVersion: string, kind: string): KindVersionSchema | undefined;
  /** All versions of a kind in this variant (for "no matches" errors that name what IS served). */
  versionsOf(group: string, kind: string): KindVersionSchema[];
  all(): KindVersionSchema[];
  /** Other variants that serve this kind/version (for a helpful error); empty when none does. */
  whereElse(apiVersion: string, kind: string): SchemaVariant[];
  /** The CRD-level facts, for generating CustomResourceDefinition objects. */
  kinds(): ResolvedKind[];
}

function key(group: string, kind: string): string {
  return `${group}\u0000${kind}`;
}

interface BundleIndex {
  kinds: ResolvedKind[];
  byKind: Map<string, KindVersionSchema[]>;
  everything: KindVersionSchema[];
}

function versionsOfKind(kind: ResolvedKind): KindVersionSchema[] {
  return kind.versions.map((version): KindVersionSchema => {
    const owner = version.schemaFrom === undefined ? version : kind.versions.find((v) => v.name === version.schemaFrom);
    const entry: KindVersionSchema = {
      group: kind.group,
      version: version.name,
      kind: kind.kind,
      plural: kind.plural,
      scope: kind.scope,
      served: version.served,
      storage: version.storage,
      deprecated: version.deprecated,
      openAPIV3Schema: owner!.openAPIV3Schema!,
    };
    if (version.deprecationWarning !== undefined) entry.deprecationWarning = version.deprecationWarning;
    return entry;
  });
}

/** Indexes a whole bundle; kinds already read one by one keep their entries, so every lookup gives the same objects. */
function indexBundle(bundle: SchemaBundle, known: Map<string, KindVersionSchema[] | null>): BundleIndex {
  const byKind = new Map<string, KindVersionSchema[]>();
  const everything: KindVersionSchema[] = [];
  for (const kind of bundle.kinds) {
    const versions = known.get(key(kind.group, kind.kind)) ?? versionsOfKind(kind);
    byKind.set(key(kind.group, kind.kind), versions);
    everything.push(...versions);
  }
  return { kinds: bundle.kinds, byKind, everything };
}

/** Which bundle holds a group's kinds. */
export type BundleFamily = "gateway" | "ungated";

/**
 * A catalog over the variant's Gateway API bundle and the ungated (Istio) bundle. Each bundle is read on
 * first use, so a run that only meets Gateway API kinds never parses the Istio schemas, and vice versa.
 */
export function catalogFromBundles(
  variant: SchemaVariant,
  bundles: {
    gateway: () => SchemaBundle;
    ungated: () => SchemaBundle;
    /** One kind of a bundle without reading all of it: null when the bundle has no such kind, undefined when unknown. */
    kind?: (family: BundleFamily, group: string, kind: string) => ResolvedKind | null | undefined;
  },
  otherVariants: () => { variant: SchemaVariant; served: string[] }[],
): SchemaCatalog {
  let gateway: BundleIndex | undefined;
  let ungated: BundleIndex | undefined;
  const known = new Map<string, KindVersionSchema[] | null>();
  const familyOf = (group: string): BundleFamily => (isGatewayApiGroup(group) ? "gateway" : "ungated");
  const indexFor = (group: string): BundleIndex =>
    familyOf(group) === "gateway"
      ? (gateway ??= indexBundle(bundles.gateway(), known))
      : (ungated ??= indexBundle(bundles.ungated(), known));
  // A lookup reads only the kind asked for when the store can; all() and kinds() read the whole bundle.
  const versionsFor = (group: string, kind: string): KindVersionSchema[] | undefined => {
    const loaded = familyOf(group) === "gateway" ? gateway : ungated;
    if (!loaded && bundles.kind) {
      const cached = known.get(key(group, kind));
      if (cached !== undefined) return cached ?? undefined;
      const resolved = bundles.kind(familyOf(group), group, kind);
      if (resolved !== undefined) {
        const versions = resolved ? versionsOfKind(resolved) : null;
        known.set(key(group, kind), versions);
        return versions ?? undefined;
      }
    }
    return indexFor(group).byKind.get(key(group, kind));
  };
  const both = () => [indexFor(GATEWAY_API_GROUPS[0]!), indexFor("")];
  let availability: { variant: SchemaVariant; served: Set<string> }[] | undefined;
  return {
    variant,
    lookup(apiVersion, kind) {
      const group = apiGroupOf(apiVersion);
      const version = apiVersionOnly(apiVersion);
      return versionsFor(group, kind)?.find((candidate) => candidate.version === version);
    },
    versionsOf(group, kind) {
      return [...(versionsFor(group, kind) ?? [])];
    },
    all() {
      return both().flatMap((index) => index.everything);
    },
    whereElse(apiVersion, kind) {
      availability ??= otherVariants().map((entry) => ({ variant: entry.variant, served: new Set(entry.served) }));
      const triple = `${apiGroupOf(apiVersion)}/${apiVersionOnly(apiVersion)}/${kind}`;
      return availability
        .filter((entry) => entry.served.has(triple))
        .filter((entry) => entry.variant.gatewayApiVersion !== variant.gatewayApiVersion || entry.variant.channel !== variant.channel)
        .map((entry) => entry.variant);
    },
    kinds() {
      return both().flatMap((index) => index.kinds);
    },
  };
}
