import type { GatewayApiChannel, GatewayApiVersion } from "../versions.js";
import { schemaSourceOf } from "./schema-sources.js";
import type { SchemaSource } from "./schema-types.js";

export interface SchemaVariant {
  gatewayApiVersion: GatewayApiVersion;
  channel: GatewayApiChannel;
}

/**
 * The project's own schemas (schemas/, served by src/core/schemas) for one Gateway API variant plus Istio.
 * Until the schema loader is part of this build, the catalog is empty and every kind reports "no schema".
 */
export function builtinSchemaSource(_variant: SchemaVariant): SchemaSource {
  return schemaSourceOf([]);
}
