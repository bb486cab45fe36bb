import { apiGroupOf, apiVersionOnly } from "../objects.js";
import type { JSONSchemaProps, ResolvedKind, SchemaBundle, SchemaVariant } from "./types.js";

/** One served-or-not version of one kind, its schema fully resolved (fragments inlined, gates applied). */
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

export function catalogFromBundles(
  variant: SchemaVariant,
  bundles: SchemaBundle[],
  otherVariants: () => { variant: SchemaVariant; served: string[] }[],
): SchemaCatalog {
  const byKind = new Map<string, KindVersionSchema[]>();
  const kinds: ResolvedKind[] = [];
  const everything: KindVersionSchema[] = [];
  for (const bundle of bundles) {
    for (const kind of bundle.kinds) {
      kinds.push(kind);
      const versions = kind.versions.map((version): KindVersionSchema => {
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
      byKind.set(key(kind.group, kind.kind), versions);
      everything.push(...versions);
    }
  }
  let availability: { variant: SchemaVariant; served: Set<string> }[] | undefined;
  return {
    variant,
    lookup(apiVersion, kind) {
      const version = apiVersionOnly(apiVersion);
      return byKind.get(key(apiGroupOf(apiVersion), kind))?.find((candidate) => candidate.version === version);
    },
    versionsOf(group, kind) {
      return [...(byKind.get(key(group, kind)) ?? [])];
    },
    all() {
      return [...everything];
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
      return [...kinds];
    },
  };
}
