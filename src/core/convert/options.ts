import type { GatewayApiVersion } from "../versions.js";

/** `full`: output the API server accepts and that routes like Istio did; `compat`: ingress2gateway v1.1.0 parity. */
export type ConvertProfile = "full" | "compat";
export const convertProfiles: readonly ConvertProfile[] = ["full", "compat"];

export interface ConvertOptions {
  profile: ConvertProfile;
  gatewayClass: string;
  gatewayApiVersion: GatewayApiVersion;
  /** Keep only input objects of this namespace; objects without a namespace are put in it. */
  namespace?: string;
  /** Namespace for objects without one when no `namespace` filter is given. */
  defaultNamespace: string;
  clusterDomain: string;
  /** Where Istio's gateway workload reads TLS secrets from, when it differs from the Gateway's namespace. */
  credentialNamespace?: string;
  /** Allow experimental-channel fields (`retry`, `sessionPersistence`) in `full`. */
  experimental: boolean;
  /** Value of the generator annotation, e.g. `mesh-0.1.0`. */
  generator: string;
  /** Reverse direction: `spec.selector` of generated Istio Gateways. */
  selector: Record<string, string>;
}

export function defaultConvertOptions(overrides: Partial<ConvertOptions> = {}): ConvertOptions {
  return {
    profile: "full",
    gatewayClass: "istio",
    gatewayApiVersion: "v1.5.1",
    defaultNamespace: "default",
    clusterDomain: "cluster.local",
    experimental: false,
    generator: "mesh",
    selector: { istio: "ingressgateway" },
    ...overrides,
  };
}

export const gatewayApiGroup = "gateway.networking.k8s.io";
export const istioNetworkingGroup = "networking.istio.io";
export const generatorAnnotation = "gateway.networking.k8s.io/generator";
export const convertedFromAnnotation = "mesh/converted-from";
export const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

/** apiVersions of the Gateway API kinds mesh writes, by target Gateway API version. */
export function gatewayApiVersions(version: GatewayApiVersion) {
  const legacy = version === "v1.2.1";
  return {
    Gateway: `${gatewayApiGroup}/v1`,
    HTTPRoute: `${gatewayApiGroup}/v1`,
    GRPCRoute: `${gatewayApiGroup}/v1`,
    TLSRoute: `${gatewayApiGroup}/${legacy ? "v1alpha2" : "v1"}`,
    TCPRoute: `${gatewayApiGroup}/v1alpha2`,
    BackendTLSPolicy: `${gatewayApiGroup}/${legacy ? "v1alpha3" : "v1"}`,
    ReferenceGrant: `${gatewayApiGroup}/v1beta1`,
  } as const;
}
