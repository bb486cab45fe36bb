import type { SourceDocument } from "../../documents/index.js";
import type { Emitted } from "../context.js";
import { emitObjects } from "../emit.js";
import { selectInputObjects, type InputObject } from "../input.js";
import { inputErrors } from "../input-check.js";
import type { ConvertResult } from "../istio-to-gateway-api.js";
import { Notes } from "../notes.js";
import { convertedFromAnnotation, gatewayApiGroup, generatorAnnotation, istioNetworkingGroup, type ConvertOptions } from "../options.js";
import { listOf, recordOf, stringOf } from "../plain-data.js";
import { attachRoute } from "./attach.js";
import type { Listener, ReverseContext } from "./context.js";
import { ReferenceGrants } from "./grants.js";
import { istioGateways, readListeners } from "./listeners.js";
import { namespaceLabelsOf } from "./namespaces.js";
import { destinationRules } from "./policies.js";
import { httpVirtualServices, streamVirtualServices, type AttachedRoute } from "./virtual-services.js";

const gatewayApiKinds = new Set([
  "Gateway",
  "ListenerSet",
  "HTTPRoute",
  "GRPCRoute",
  "TLSRoute",
  "TCPRoute",
  "UDPRoute",
  "ReferenceGrant",
  "BackendTLSPolicy",
]);
const experimentalKinds = new Set(["XListenerSet", "XBackendTrafficPolicy"]);
const istioKindOrder = ["Gateway", "VirtualService", "DestinationRule"];

/**
 * Gateway API → Istio networking, producing what istiod's own translation produces (docs/design/convert.md §12):
 * one Istio Gateway per listener, one VirtualService per (listener, host) with the rules of every route
 * attached there in Gateway API precedence, DestinationRules for backend policies.
 */
export function convertGatewayApiToIstio(
  documents: readonly SourceDocument[],
  options: ConvertOptions,
  cluster?: ReverseClusterState,
): ConvertResult {
  const notes = new Notes();
  const inputs = selectInputObjects(
    documents,
    {
      accept: (apiVersion, kind) =>
        (apiVersion.startsWith(`${gatewayApiGroup}/`) && gatewayApiKinds.has(kind)) ||
        (apiVersion.startsWith("gateway.networking.x-k8s.io/") && experimentalKinds.has(kind)) ||
        (apiVersion.startsWith(`${istioNetworkingGroup}/`) && kind === "ServiceEntry") ||
        (apiVersion === "v1" && kind === "Namespace"),
      namespace: options.namespace,
      defaultNamespace: options.defaultNamespace,
    },
    notes,
  );
  notes.findings.push(...inputErrors(inputs, options));
  const ofKind = (...kinds: string[]) => inputs.filter((input) => kinds.includes(input.kind)).map(withoutOwnAnnotations);
  const context: ReverseContext = {
    options,
    notes,
    listeners: new Map(),
    grants: new ReferenceGrants(ofKind("ReferenceGrant")),
    serviceEntries: new Map(ofKind("ServiceEntry").map((entry) => [`${entry.namespace}/${entry.name}`, entry])),
    sessionCookies: new Map(),
  };
  const namespaceLabels = namespaceLabelsOf(withClusterNamespaces(ofKind("Namespace"), cluster));
  if (namespaceLabels) context.namespaceLabels = namespaceLabels;
  if (cluster?.secrets) context.secrets = new Set(cluster.secrets.map((secret) => `${secret.namespace}/${secret.name}`));
  const listeners = readListeners(ofKind("Gateway"), ofKind("ListenerSet", "XListenerSet"), context);
  const istioGatewayNames = new Set<string>();
  for (const listener of listeners) {
    // `<gateway>-<listener>` can repeat (gateway a-b + listener c, gateway a + listener b-c): number the later ones.
    const base = listener.istioGateway.name;
    for (let index = 2; istioGatewayNames.has(`${listener.istioGateway.namespace}/${listener.istioGateway.name}`); index++)
      listener.istioGateway.name = `${base.slice(0, 60)}-${index}`;
    istioGatewayNames.add(`${listener.istioGateway.namespace}/${listener.istioGateway.name}`);
    const list: Listener[] = context.listeners.get(listener.parentKey) ?? [];
    list.push(listener);
    context.listeners.set(listener.parentKey, list);
  }
  const emitted: Emitted[] = istioGateways(listeners, context);
  const attached = (kinds: string[]): AttachedRoute[] =>
    ofKind(...kinds)
      .filter((route) => hasParents(route, context))
      .sort(byAge)
      .map((route) => ({ route, attachments: attachRoute(route, context) }));
  emitted.push(...httpVirtualServices(attached(["HTTPRoute", "GRPCRoute"]), context));
  emitted.push(...streamVirtualServices(attached(["TLSRoute", "TCPRoute"]), context));
  for (const route of ofKind("UDPRoute"))
    notes.error("CONV614", "UDPRoute cannot be converted: Istio gateways do not serve UDP", route.source);
  emitted.push(...destinationRules(ofKind("BackendTLSPolicy"), ofKind("XBackendTrafficPolicy"), context));
  for (const grant of ofKind("ReferenceGrant"))
    notes.info(
      "CONV607",
      "ReferenceGrant is enforced while converting (routes and certificates it does not allow are left out) and not emitted",
      grant.source,
    );
  const objects = emitObjects(emitted, { kindOrder: istioKindOrder, generator: options.generator, notes });
  if (objects.length === 0) notes.info("CONV003", "nothing to convert: no Gateway API Gateway or route in the input");
  return { objects, findings: notes.findings };
}

function hasParents(route: InputObject, context: ReverseContext): boolean {
  if (listOf(route.spec.parentRefs).length > 0) return true;
  context.notes.warning("CONV611", "route without parentRefs routes nothing in Gateway API: not converted", route.source, ["spec"]);
  return false;
}

/** istiod merges routes oldest first (metadata.creationTimestamp), then by namespace and name. */
function byAge(a: InputObject, b: InputObject): number {
  const age = (route: InputObject) => stringOf(recordOf(recordOf(route.source.object)?.metadata)?.creationTimestamp) ?? "";
  const timeA = Date.parse(age(a)) || 0;
  const timeB = Date.parse(age(b)) || 0;
  return timeA - timeB || compare(a.namespace, b.namespace) || compare(a.name, b.name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function withoutOwnAnnotations(input: InputObject): InputObject {
  const annotations = { ...input.annotations };
  delete annotations[generatorAnnotation];
  delete annotations[convertedFromAnnotation];
  return { ...input, annotations };
}

/**
 * What `--cluster` read for this direction: Namespaces (for label selectors) and which Secrets exist (for
 * listener certificates; only their names are kept). Absent parts mean "not known".
 */
export interface ReverseClusterState {
  namespaces: readonly unknown[];
  secrets?: readonly { namespace: string; name: string }[];
}

/** Namespaces of the input, then those read from the cluster that the input does not define. */
function withClusterNamespaces(
  inputs: readonly { name: string; labels: Record<string, string> }[],
  cluster: ReverseClusterState | undefined,
): { name: string; labels: Record<string, string> }[] {
  const given = new Set(inputs.map((namespace) => namespace.name));
  const live = (cluster?.namespaces ?? []).flatMap((namespace) => {
    const metadata = recordOf(recordOf(namespace)?.metadata);
    const name = stringOf(metadata?.name);
    if (!name || given.has(name)) return [];
    const labels = Object.fromEntries(
      Object.entries(recordOf(metadata?.labels) ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
    return [{ name, labels }];
  });
  return [...inputs, ...live];
}
