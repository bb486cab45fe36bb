/**
 * The `istioctl analyze` message types mesh reports: Istio's code, name, level and meaning, with the message text
 * built the way Istio words it. One entry per code; analysers report through these, printers and docs read the list.
 */

export type MessageLevel = "Error" | "Warning" | "Info";

export interface MessageType<Args extends unknown[] = never[]> {
  code: string;
  name: string;
  level: MessageLevel;
  description: string;
  format(...args: Args): string;
}

export function documentationUrl(code: string): string {
  return `https://istio.io/latest/docs/reference/config/analysis/${code.toLowerCase()}/`;
}

/** Go's `%q` for a string, close enough for host names and selectors. */
export function quoted(value: string): string {
  return JSON.stringify(value);
}

/** Go's `%v` for a slice: `[a b c]`. */
export function goList(values: readonly (string | number)[]): string {
  return `[${values.join(" ")}]`;
}

function define<Args extends unknown[]>(
  code: string,
  name: string,
  level: MessageLevel,
  description: string,
  format: (...args: Args) => string,
): MessageType<Args> {
  return { code, name, level, description, format };
}

export const Deprecated = define(
  "IST0002",
  "Deprecated",
  "Warning",
  "A feature that the configuration is depending on is now deprecated.",
  (detail: string) => `Deprecated: ${detail}`,
);

export const ReferencedResourceNotFound = define(
  "IST0101",
  "ReferencedResourceNotFound",
  "Error",
  "A resource being referenced does not exist.",
  (referenceType: string, value: string) => `Referenced ${referenceType} not found: ${quoted(value)}`,
);

export const SchemaValidationError = define(
  "IST0106",
  "SchemaValidationError",
  "Error",
  "The resource has a schema validation error.",
  (error: string) => `Schema validation error: ${error}`,
);

export const ConflictingMeshGatewayVirtualServiceHosts = define(
  "IST0109",
  "ConflictingMeshGatewayVirtualServiceHosts",
  "Error",
  "Conflicting hosts on VirtualServices associated with mesh gateway",
  (virtualServices: string, host: string) =>
    `The VirtualServices ${virtualServices} associated with mesh gateway define the same host ${host} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.`,
);

export const ConflictingSidecarWorkloadSelectors = define(
  "IST0110",
  "ConflictingSidecarWorkloadSelectors",
  "Error",
  "A Sidecar resource selects the same workloads as another Sidecar resource",
  (sidecars: readonly string[], namespace: string, pod: string) =>
    `The Sidecars ${goList(sidecars)} in namespace ${quoted(namespace)} select the same workload pod ${quoted(pod)}, which can lead to undefined behavior.`,
);

export const MultipleSidecarsWithoutWorkloadSelectors = define(
  "IST0111",
  "MultipleSidecarsWithoutWorkloadSelectors",
  "Error",
  "More than one sidecar resource in a namespace has no workload selector",
  (sidecars: readonly string[], namespace: string) =>
    `The Sidecars ${goList(sidecars)} in namespace ${quoted(namespace)} have no workload selector, which can lead to undefined behavior.`,
);

export const VirtualServiceDestinationPortSelectorRequired = define(
  "IST0112",
  "VirtualServiceDestinationPortSelectorRequired",
  "Error",
  "A VirtualService routes to a service with more than one port exposed, but does not specify which to use.",
  (host: string, ports: readonly number[]) =>
    `This VirtualService routes to a service ${quoted(host)} that exposes multiple ports ${goList(ports)}. Specifying a port in the destination is required to disambiguate.`,
);

export const NoMatchingWorkloadsFound = define(
  "IST0127",
  "NoMatchingWorkloadsFound",
  "Warning",
  "There aren't workloads matching the resource labels",
  (labels: string) => `No matching workloads for this resource with the following labels: ${labels}`,
);

export const NoServerCertificateVerificationDestinationLevel = define(
  "IST0128",
  "NoServerCertificateVerificationDestinationLevel",
  "Warning",
  "No caCertificates are set in DestinationRule, this results in no verification of presented server certificate.",
  (rule: string, namespace: string, mode: string, host: string) =>
    `DestinationRule ${rule} in namespace ${namespace} has TLS mode set to ${mode} but no caCertificates are set to validate server identity for host: ${host}`,
);

export const NoServerCertificateVerificationPortLevel = define(
  "IST0129",
  "NoServerCertificateVerificationPortLevel",
  "Warning",
  "No caCertificates are set in DestinationRule, this results in no verification of presented server certificate for traffic to a given port.",
  (rule: string, namespace: string, mode: string, host: string, port: string) =>
    `DestinationRule ${rule} in namespace ${namespace} has TLS mode set to ${mode} but no caCertificates are set to validate server identity for host: ${host} at port ${port}`,
);

export const VirtualServiceUnreachableRule = define(
  "IST0130",
  "VirtualServiceUnreachableRule",
  "Warning",
  "A VirtualService rule will never be used because a previous rule uses the same match.",
  (rule: string, reason: string) => `VirtualService rule ${rule} not used (${reason}).`,
);

export const VirtualServiceIneffectiveMatch = define(
  "IST0131",
  "VirtualServiceIneffectiveMatch",
  "Info",
  "A VirtualService rule match duplicates a match in a previous rule.",
  (rule: string, match: string, duplicateOf: string) =>
    `VirtualService rule ${rule} match ${match} is not used (duplicate/overlapping match in rule ${duplicateOf}).`,
);

export const VirtualServiceHostNotFoundInGateway = define(
  "IST0132",
  "VirtualServiceHostNotFoundInGateway",
  "Warning",
  "Host defined in VirtualService not found in Gateway.",
  (hosts: readonly string[], virtualService: string, gateway: string) =>
    `one or more host ${goList(hosts)} defined in VirtualService ${virtualService} not found in Gateway ${gateway}.`,
);

export const SchemaWarning = define(
  "IST0133",
  "SchemaWarning",
  "Warning",
  "The resource has a schema validation warning.",
  (warning: string) => `Schema validation warning: ${warning}`,
);

export const ServiceEntryAddressesRequired = define(
  "IST0134",
  "ServiceEntryAddressesRequired",
  "Warning",
  "Virtual IP addresses are required for ports serving TCP (or unset) protocol",
  () => "ServiceEntry addresses are required for this protocol.",
);

export const GatewayDuplicateCertificate = define(
  "IST0138",
  "GatewayDuplicateCertificate",
  "Warning",
  "Duplicate certificate in multiple gateways may cause 404s if clients re-use HTTP2 connections.",
  (gateways: readonly string[]) =>
    `Duplicate certificate in multiple gateways ${goList(gateways)} may cause 404s if clients re-use HTTP2 connections.`,
);

export const IngressRouteRulesNotAffected = define(
  "IST0140",
  "IngressRouteRulesNotAffected",
  "Warning",
  "Route rules have no effect on ingress gateway requests",
  (subsetVirtualService: string, virtualService: string) =>
    `Subset in virtual service ${subsetVirtualService} has no effect on ingress gateway ${virtualService} requests`,
);

export const ConflictingGateways = define(
  "IST0145",
  "ConflictingGateways",
  "Error",
  "Gateway should not have the same selector, port and matched hosts of server",
  (gateways: string, selector: string, port: string, hosts: string) =>
    `Conflict with gateways ${gateways} (workload selector ${selector}, port ${port}, hosts ${hosts}).`,
);

export const InvalidGatewayCredential = define(
  "IST0161",
  "InvalidGatewayCredential",
  "Error",
  "The credential provided for the Gateway resource is invalid",
  (gateway: string, namespace: string) =>
    `The credential referenced by the Gateway ${gateway} in namespace ${namespace} is invalid, which can cause the traffic not to work as expected.`,
);

export const GatewayPortNotDefinedOnService = define(
  "IST0162",
  "GatewayPortNotDefinedOnService",
  "Warning",
  "Gateway port not exposed by service",
  (port: number, selector: string) =>
    `The gateway is listening on a target port (port ${port}) that is not defined in the Service associated with its workload instances (Pod selector ${selector}). If you need to access the gateway port through the gateway Service, it will not be available.`,
);

export const PortNameIsNotUnderNamingConvention = define(
  "IST0118",
  "PortNameIsNotUnderNamingConvention",
  "Info",
  "Port name is not under naming convention. Protocol detection is applied to the port.",
  (name: string, port: number, targetPort: string) =>
    `Port name ${name} (port: ${port}, targetPort: ${targetPort}) doesn't follow the naming convention of Istio port.`,
);

export const ExternalNameServiceTypeInvalidPortName = define(
  "IST0150",
  "ExternalNameServiceTypeInvalidPortName",
  "Warning",
  "Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly for ExternalName services.",
  () =>
    "Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly",
);

export const DestinationRuleSubsetNotSelectPods = define(
  "IST0173",
  "DestinationRuleSubsetNotSelectPods",
  "Warning",
  "The subset of a DestinationRule selects no pods.",
  (subset: string) =>
    `The Subset ${subset} defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).`,
);

export const ReferencedInternalGateway = define(
  "IST0165",
  "ReferencedInternalGateway",
  "Warning",
  "VirtualServices should not reference internal Gateways.",
  (virtualService: string, gateway: string) =>
    `Gateway reference in VirtualService ${virtualService} is to an implementation-generated internal Gateway: ${gateway}.`,
);

export const IneffectivePolicy = define(
  "IST0167",
  "IneffectivePolicy",
  "Warning",
  "The policy applied has no impact.",
  (reason: string) => `The policy has no impact: ${reason}.`,
);

/** Every message type mesh can report, by code. */
export const messageTypes: readonly Omit<MessageType, "format">[] = [
  Deprecated,
  ReferencedResourceNotFound,
  SchemaValidationError,
  ConflictingMeshGatewayVirtualServiceHosts,
  ConflictingSidecarWorkloadSelectors,
  MultipleSidecarsWithoutWorkloadSelectors,
  VirtualServiceDestinationPortSelectorRequired,
  NoMatchingWorkloadsFound,
  NoServerCertificateVerificationDestinationLevel,
  NoServerCertificateVerificationPortLevel,
  VirtualServiceUnreachableRule,
  VirtualServiceIneffectiveMatch,
  VirtualServiceHostNotFoundInGateway,
  SchemaWarning,
  ServiceEntryAddressesRequired,
  GatewayDuplicateCertificate,
  IngressRouteRulesNotAffected,
  ConflictingGateways,
  InvalidGatewayCredential,
  GatewayPortNotDefinedOnService,
  PortNameIsNotUnderNamingConvention,
  ExternalNameServiceTypeInvalidPortName,
  DestinationRuleSubsetNotSelectPods,
  ReferencedInternalGateway,
  IneffectivePolicy,
];
