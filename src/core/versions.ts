/** Versions mesh is built around; `mesh version` prints them. */
export const ISTIO_VERSION = "1.30.3";
export const DEFAULT_GATEWAY_API_VERSION = "v1.5.1";
/** Gateway API bundles mesh has built-in schemas for (validate, convert); `mesh gateway-api install` supports more. */
export const SCHEMA_GATEWAY_API_VERSIONS = ["v1.2.1", "v1.5.1"] as const;
export type GatewayApiVersion = (typeof SCHEMA_GATEWAY_API_VERSIONS)[number];
export type GatewayApiChannel = "standard" | "experimental";
