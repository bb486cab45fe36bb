import { schemaCatalog, type SchemaCatalog } from "../schemas/index.js";
import { kubernetesSchemaSet, type KubernetesKindSchema } from "../schemas/kubernetes.js";
import type { GatewayApiChannel, GatewayApiVersion } from "../versions.js";
import type { KindSchema, SchemaSource } from "./schema-types.js";

export interface SchemaVariant {
  gatewayApiVersion: GatewayApiVersion;
  channel: GatewayApiChannel;
}

const sources = new Map<string, SchemaSource>();

/** The project's own schemas (schemas/, served by src/core/schemas): Gateway API of one variant, plus Istio. */
export function builtinSchemaSource(variant: SchemaVariant): SchemaSource {
  const key = `${variant.gatewayApiVersion}/${variant.channel}`;
  let source = sources.get(key);
  if (!source) {
    source = sourceOfCatalog(schemaCatalog(variant));
    sources.set(key, source);
  }
  return source;
}

export function sourceOfCatalog(catalog: SchemaCatalog): SchemaSource {
  let groups: Set<string> | undefined;
  const everything = () => catalog.all() as KindSchema[];
  return {
    lookup: (apiVersion, kind) => catalog.lookup(apiVersion, kind),
    versionsOf: (group, kind) => catalog.versionsOf(group, kind),
    whereElse: (apiVersion, kind) =>
      catalog.whereElse(apiVersion, kind).map((variant) => `${variant.gatewayApiVersion} ${variant.channel}`),
    groups: () => (groups ??= new Set(everything().map((schema) => schema.group))),
    kindsOf: (group) => [
      ...new Set(
        everything()
          .filter((schema) => schema.group === group)
          .map((schema) => schema.kind),
      ),
    ],
  };
}

const kubernetesSources = new Map<string, SchemaSource>();

/** The built-in kinds of one Kubernetes minor version (schemas/kubernetes), loaded kind by kind on first use. */
export function kubernetesSchemaSource(minor: string): SchemaSource {
  let source = kubernetesSources.get(minor);
  if (!source) {
    const set = kubernetesSchemaSet(minor);
    const adapted = new WeakMap<KubernetesKindSchema, KindSchema>();
    const adapt = (schema: KubernetesKindSchema): KindSchema => {
      let kindSchema = adapted.get(schema);
      if (!kindSchema) {
        kindSchema = {
          group: schema.group,
          version: schema.version,
          kind: schema.kind,
          plural: schema.plural,
          scope: schema.scope,
          served: true,
          storage: true,
          deprecated: false,
          openAPIV3Schema: schema.openAPIV3Schema,
          statusSubresource: schema.hasStatus,
          kubernetesBuiltin: true,
        };
        adapted.set(schema, kindSchema);
      }
      return kindSchema;
    };
    source = {
      lookup(apiVersion, kind) {
        const slash = apiVersion.indexOf("/");
        const group = slash === -1 ? "" : apiVersion.slice(0, slash);
        const schema = set.lookup(group, apiVersion.slice(slash + 1), kind);
        return schema ? adapt(schema) : undefined;
      },
      versionsOf: (group, kind) => set.versionsOf(group, kind).map(adapt),
      whereElse: () => [],
      groups: () => set.groups(),
      kindsOf: (group) => set.kindsOf(group),
    };
    kubernetesSources.set(minor, source);
  }
  return source;
}
