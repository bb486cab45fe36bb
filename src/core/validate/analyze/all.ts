import type { Analyzer } from "./analyzer.js";
import { authorizationPolicies } from "./analyzers/authorization-policies.js";
import { deprecation } from "./analyzers/deprecation.js";
import { destinationRuleCaCertificates } from "./analyzers/destinationrule-ca-certificates.js";
import { destinationRuleSubsetPods } from "./analyzers/destinationrule-subset-pods.js";
import { gatewayApi } from "./analyzers/gateway-api.js";
import { gatewayCertificate } from "./analyzers/gateway-certificate.js";
import { gatewayConflicting } from "./analyzers/gateway-conflicting.js";
import { gatewayPorts } from "./analyzers/gateway-ports.js";
import { gatewaySecret } from "./analyzers/gateway-secret.js";
import { serviceEntryAddresses } from "./analyzers/serviceentry-addresses.js";
import { servicePortNames } from "./analyzers/service-port-names.js";
import { sidecarAmbient } from "./analyzers/sidecar-ambient.js";
import { sidecarDefaultSelector } from "./analyzers/sidecar-default-selector.js";
import { sidecarSelector } from "./analyzers/sidecar-selector.js";
import { virtualServiceConflictingMeshHosts } from "./analyzers/virtualservice-conflicting-mesh-hosts.js";
import { virtualServiceDestinationHosts } from "./analyzers/virtualservice-destination-hosts.js";
import { virtualServiceDestinationRules } from "./analyzers/virtualservice-destination-rules.js";
import { virtualServiceGateways } from "./analyzers/virtualservice-gateways.js";
import { virtualServiceUnreachableRules } from "./analyzers/virtualservice-unreachable-rules.js";

/** Every analyser, in the order they run (Istio's `analyzers.All()`, plus the Gateway API controller checks). */
export const allAnalyzers: readonly Analyzer[] = [
  authorizationPolicies,
  deprecation,
  gatewayPorts,
  gatewayCertificate,
  gatewaySecret,
  gatewayConflicting,
  sidecarDefaultSelector,
  sidecarAmbient,
  sidecarSelector,
  virtualServiceConflictingMeshHosts,
  virtualServiceDestinationHosts,
  virtualServiceDestinationRules,
  virtualServiceGateways,
  virtualServiceUnreachableRules,
  destinationRuleCaCertificates,
  destinationRuleSubsetPods,
  serviceEntryAddresses,
  servicePortNames,
  gatewayApi,
];
