import type { KubeObject } from "../objects.js";
import { DEFAULT_VARIANT, gatewayBundleFileName, UNGATED_BUNDLE_FILE, variantKey } from "./bundle.js";
import { catalogFromBundles, type SchemaCatalog } from "./catalog.js";
import { customResourceDefinitionOf } from "./crd.js";
import { bundleDirectoryStore, defaultSchemaStore, sourceDirectoryStore, type SchemaStore } from "./store.js";
import type { SchemaVariant } from "./types.js";

export type { KindVersionSchema, SchemaCatalog } from "./catalog.js";
export type { JSONSchemaProps, ResolvedKind, ResolvedVersion, SchemaVariant, ValidationRule } from "./types.js";
export { ALL_VARIANTS, DEFAULT_VARIANT, GATEWAY_API_GROUPS, isGatewayApiGroup } from "./bundle.js";
export { SchemaSourceError } from "./gates.js";
export type { SchemaStore } from "./store.js";

export interface SchemaLoader {
  schemaCatalog(variant?: SchemaVariant): SchemaCatalog;
  customResourceDefinitions(groups: string[], variant?: SchemaVariant): KubeObject[];
}

/**
 * A loader over one store. `sourceDirectory` resolves YAML sources in memory (tests, fixtures);
 * `bundleDirectory` reads prebuilt JSON bundles. Catalogs are memoised per variant.
 */
export function createSchemaLoader(from: { sourceDirectory: string } | { bundleDirectory: string } | { store: SchemaStore }): SchemaLoader {
  const store =
    "store" in from ? from.store : "sourceDirectory" in from ? sourceDirectoryStore(from.sourceDirectory) : bundleDirectoryStore(from.bundleDirectory);
  const catalogs = new Map<string, SchemaCatalog>();
  const schemaCatalog = (variant: SchemaVariant = DEFAULT_VARIANT): SchemaCatalog => {
    const key = variantKey(variant);
    let catalog = catalogs.get(key);
    if (!catalog) {
      catalog = catalogFromBundles(
        variant,
        {
          gateway: () => store.gatewayBundle(variant),
          ungated: () => store.ungatedBundle(),
          kind: (family, group, kind) =>
            store.bundleKind?.(family === "gateway" ? gatewayBundleFileName(variant) : UNGATED_BUNDLE_FILE, group, kind),
        },
        () => store.availability().variants,
      );
      catalogs.set(key, catalog);
    }
    return catalog;
  };
  return {
    schemaCatalog,
    customResourceDefinitions(groups, variant) {
      return schemaCatalog(variant)
        .kinds()
        .filter((kind) => groups.includes(kind.group))
        .map(customResourceDefinitionOf);
    },
  };
}

let defaultLoader: SchemaLoader | undefined;
const loader = () => (defaultLoader ??= createSchemaLoader({ store: defaultSchemaStore() }));

/** The schemas of every kind mesh knows: Gateway API as in `variant` (default v1.5.1 standard), Istio always. */
export function schemaCatalog(variant?: SchemaVariant): SchemaCatalog {
  return loader().schemaCatalog(variant);
}

/** apiextensions.k8s.io/v1 CustomResourceDefinition objects built from the sources (for mesh install's base). */
export function customResourceDefinitions(groups: string[], variant?: SchemaVariant): KubeObject[] {
  return loader().customResourceDefinitions(groups, variant);
}
