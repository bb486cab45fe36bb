import { schemaCatalog, type SchemaCatalog } from "../schemas/index.js";
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
