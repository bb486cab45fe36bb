import type { SourceDocument } from "../documents/index.js";
import type { Finding } from "../findings.js";
import type { KubeObject } from "../objects.js";
import { attachVirtualService } from "./attach.js";
import { BackendGrants } from "./backends.js";
import type { ConvertContext, Emitted } from "./context.js";
import { withContract } from "./contract.js";
import { SubsetServices } from "./subset-services.js";
import { convertDestinationRules } from "./destination-rules.js";
import { emitObjects } from "./emit.js";
import { convertGateways } from "./gateways.js";
import { convertGrpc, isGrpcVirtualService } from "./grpc-routes.js";
import { convertHttp } from "./http-routes.js";
import { selectInputObjects, type InputObject } from "./input.js";
import { inputErrors } from "./input-check.js";
import { Notes } from "./notes.js";
import { gatewayApiVersions, istioNetworkingGroup, type ConvertOptions } from "./options.js";
import { stringOf } from "./plain-data.js";
import { convertTcp, convertTls } from "./stream-routes.js";

export interface ConvertResult {
  objects: KubeObject[];
  findings: Finding[];
}

const istioVersions = new Set(["v1", "v1beta1", "v1alpha3"]);
const istioKinds = new Set(["Gateway", "VirtualService", "DestinationRule"]);
export const gatewayApiKindOrder = [
  "Service",
  "Gateway",
  "HTTPRoute",
  "GRPCRoute",
  "TLSRoute",
  "TCPRoute",
  "BackendTLSPolicy",
  "ReferenceGrant",
];

/**
 * Istio Gateway/VirtualService (+ DestinationRule, Service as context) → Gateway API (docs/design/convert.md).
 * read → select and resolve → check the input (input-check.ts) → Gateways first (listener index) → VirtualServices → DestinationRules → emit.
 */
export function convertIstioToGatewayApi(
  documents: readonly SourceDocument[],
  options: ConvertOptions,
  cluster: readonly SourceDocument[] = [],
): ConvertResult {
  const notes = new Notes();
  const live = selectInputObjects(
    cluster,
    {
      accept: (apiVersion, kind) =>
        (apiVersion === "v1" && kind === "Service") || (apiVersion.startsWith(`${istioNetworkingGroup}/`) && kind === "DestinationRule"),
      defaultNamespace: options.defaultNamespace,
    },
    new Notes(),
  );
  const inputs = selectInputObjects(
    documents,
    {
      accept: (apiVersion, kind) => {
        const [group, version] = apiVersion.split("/");
        if (group === istioNetworkingGroup && version !== undefined) return istioVersions.has(version) && istioKinds.has(kind);
        return apiVersion === "v1" && kind === "Service";
      },
      namespace: options.namespace,
      defaultNamespace: options.defaultNamespace,
    },
    notes,
  );
  notes.findings.push(...inputErrors(inputs, options));
  const ofKind = (kind: string) => inputs.filter((input) => input.kind === kind);
  const context: ConvertContext = {
    options,
    notes,
    apiVersions: gatewayApiVersions(options.gatewayApiVersion),
    full: options.profile === "full",
    // The input wins over the cluster: it is what the user is about to apply.
    services: new Map(
      [...live, ...inputs].filter((input) => input.kind === "Service").map((service) => [`${service.namespace}/${service.name}`, service]),
    ),
    destinationRules: destinationRulesByHost(
      [...live, ...inputs].filter((input) => input.kind === "DestinationRule"),
      options.clusterDomain,
    ),
    subsetServices: new SubsetServices(),
  };

  const gateways = convertGateways(ofKind("Gateway"), context);
  const emitted: Emitted[] = [...gateways.emitted];
  const grants = new BackendGrants();
  for (const virtualService of ofKind("VirtualService")) {
    const attachment = attachVirtualService(virtualService, gateways.index, context);
    const grpc = context.full && isGrpcVirtualService(virtualService, attachment);
    emitted.push(
      ...(grpc ? convertGrpc(virtualService, attachment, grants, context) : convertHttp(virtualService, attachment, grants, context)),
      ...convertTls(virtualService, attachment, grants, context),
      ...convertTcp(virtualService, attachment, grants, context),
      ...attachment.grants,
    );
  }
  emitted.push(...convertDestinationRules(ofKind("DestinationRule"), context), ...grants.emit(context), ...context.subsetServices.emit());
  const objects = emitObjects(emitted, { kindOrder: gatewayApiKindOrder, generator: options.generator, notes });
  if (objects.length === 0) notes.info("CONV003", "nothing to convert: no Istio Gateway or VirtualService in the input");
  return withContract({ objects, findings: notes.findings }, "gateway-api", options);
}

function destinationRulesByHost(rules: readonly InputObject[], clusterDomain: string): Map<string, InputObject> {
  const byHost = new Map<string, InputObject>();
  for (const rule of rules) {
    const host = (stringOf(rule.spec.host) ?? "").toLowerCase();
    byHost.set(host.includes(".") ? host : `${host}.${rule.namespace}.svc.${clusterDomain}`, rule);
  }
  return byHost;
}
