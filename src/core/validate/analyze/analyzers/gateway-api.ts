import type { Analyzer } from "../analyzer.js";
import { warning, type AnalyzedResource } from "../resource.js";
import { hostsMatch } from "../../../hosts.js";
import { recordsOf, stringsOf, type JsonObject } from "../../../json.js";

const GATEWAY_GROUP = "gateway.networking.k8s.io";
/** How the apiVersion of every object in GATEWAY_GROUP starts. */
const GATEWAY_PREFIX = `${GATEWAY_GROUP}/`;
const routeKinds = new Set(["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"]);

const httpKinds: readonly string[] = ["HTTPRoute", "GRPCRoute"];
const tcpKinds: readonly string[] = ["TCPRoute"];
const tlsKinds: readonly string[] = ["TLSRoute"];
const udpKinds: readonly string[] = ["UDPRoute"];

/** Kinds a listener protocol admits when `allowedRoutes.kinds` is not given. */
function defaultKinds(protocol: string, tlsMode: string | undefined): readonly string[] {
  switch (protocol) {
    case "HTTP":
    case "HTTPS":
      return httpKinds;
    case "TLS":
      return tlsMode === "Terminate" ? tcpKinds : tlsKinds;
    case "TCP":
      return tcpKinds;
    case "UDP":
      return udpKinds;
    default:
      return [];
  }
}

interface Listener {
  index: number;
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
  allowedRoutes: JsonObject;
  tls?: JsonObject;
  /** The route kinds it admits (`allowedRoutes.kinds`, or its protocol's defaults), read when first asked. */
  kinds?: readonly string[];
}

/** Route attachment, ReferenceGrants and references as Gateway API controllers would judge them (docs/design/validation.md §5). */
export const gatewayApi: Analyzer = {
  name: "gatewayapi.RouteAnalyzer",
  description: "Predicts the Accepted and ResolvedRefs conditions Gateway API controllers set on Gateways and routes",
  codes: [
    "GWAPI_GATEWAYCLASS_NOT_FOUND",
    "GWAPI_REF_NOT_PERMITTED",
    "GWAPI_NO_MATCHING_PARENT",
    "GWAPI_NOT_ALLOWED_BY_LISTENERS",
    "GWAPI_NO_MATCHING_LISTENER_HOSTNAME",
    "GWAPI_BACKEND_NOT_FOUND",
  ],
  inputs: [
    "gateway.networking.k8s.io/Gateway",
    "gateway.networking.k8s.io/GatewayClass",
    "gateway.networking.k8s.io/ReferenceGrant",
    "gateway.networking.k8s.io/HTTPRoute",
    "gateway.networking.k8s.io/GRPCRoute",
    "gateway.networking.k8s.io/TLSRoute",
    "gateway.networking.k8s.io/TCPRoute",
    "gateway.networking.k8s.io/UDPRoute",
    "Namespace",
    "Service",
  ],
  analyze(context) {
    analyzeGatewayApi(context.all(), context.settings.analyzeRefs);
  },
};

function analyzeGatewayApi(resources: readonly AnalyzedResource[], analyzeRefs: boolean): void {
  // One pass over the inputs: the Gateway API objects by kind, routes in input order, Namespaces and Services.
  const byKind = new Map<string, AnalyzedResource[]>();
  const routes: AnalyzedResource[] = [];
  const namespaces = new Map<string | undefined, JsonObject>();
  const services = new Set<string>();
  for (const resource of resources) {
    const kind = resource.identity.kind ?? "";
    if (resource.identity.apiVersion?.startsWith(GATEWAY_PREFIX)) {
      const list = byKind.get(kind);
      if (list) list.push(resource);
      else byKind.set(kind, [resource]);
      if (routeKinds.has(kind)) routes.push(resource);
    } else if (resource.identity.apiVersion === "v1") {
      if (kind === "Namespace")
        namespaces.set(resource.identity.name, ((resource.object.metadata as JsonObject | undefined)?.labels ?? {}) as JsonObject);
      else if (kind === "Service") services.add(`${resource.identity.namespace}/${resource.identity.name}`);
    }
  }
  const of = (kind: string): readonly AnalyzedResource[] => byKind.get(kind) ?? [];
  const gateways = new Map(of("Gateway").map((gateway) => [`${gateway.identity.namespace}/${gateway.identity.name}`, gateway]));
  const grants = of("ReferenceGrant");

  const permitted = (fromKind: string, fromNamespace: string, toGroup: string, toKind: string, toNamespace: string, toName: string) =>
    grants.some((grant) => {
      if (grant.identity.namespace !== toNamespace) return false;
      const spec = (grant.object.spec ?? {}) as JsonObject;
      const fromOk = recordsOf(spec.from).some(
        (from) => from.group === GATEWAY_GROUP && from.kind === fromKind && from.namespace === fromNamespace,
      );
      const toOk = recordsOf(spec.to).some(
        (to) => (to.group ?? "") === toGroup && to.kind === toKind && (to.name === undefined || to.name === toName),
      );
      return fromOk && toOk;
    });

  for (const [key, gateway] of gateways) {
    if (analyzeRefs && gateway.object.spec && of("GatewayClass").length > 0) {
      const className = (gateway.object.spec as JsonObject).gatewayClassName;
      if (!of("GatewayClass").some((gc) => gc.identity.name === className)) {
        gateway.report(
          warning(
            "GWAPI_GATEWAYCLASS_NOT_FOUND",
            ["spec", "gatewayClassName"],
            `GatewayClass ${JSON.stringify(className)} is not among the inputs; the Gateway will not be accepted unless it exists in the cluster`,
          ),
        );
      }
    }
    listenersOf(gateway).forEach((listener) => {
      recordsOf(listener.tls?.certificateRefs).forEach((ref, index) => {
        const namespace = typeof ref.namespace === "string" ? ref.namespace : gateway.identity.namespace!;
        if (
          namespace !== gateway.identity.namespace &&
          !permitted(
            "Gateway",
            gateway.identity.namespace!,
            (ref.group as string) ?? "",
            (ref.kind as string) ?? "Secret",
            namespace,
            String(ref.name),
          )
        ) {
          gateway.report(
            warning(
              "GWAPI_REF_NOT_PERMITTED",
              ["spec", "listeners", listener.index, "tls", "certificateRefs", index],
              `certificateRef to Secret ${namespace}/${String(ref.name)} crosses namespaces without a ReferenceGrant (listener ResolvedRefs=False, RefNotPermitted)`,
              `add a ReferenceGrant in namespace ${namespace} from Gateway in ${gateway.identity.namespace} to Secret`,
            ),
          );
        }
      });
    });
    void key;
  }

  for (const route of routes) {
    const kind = route.identity.kind ?? "";
    const spec = (route.object.spec ?? {}) as JsonObject;
    const routeNamespace = route.identity.namespace!;
    const routeHostnames = stringsOf(spec.hostnames);
    const parents = recordsOf(spec.parentRefs);
    parents.forEach((parent, index) => {
      const at = ["spec", "parentRefs", index];
      // A reference without a name fails the schema (name is required); there is nothing to look up.
      if (typeof parent.name !== "string") return;
      if ((parent.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (parent.kind ?? "Gateway") !== "Gateway") return;
      const namespace = typeof parent.namespace === "string" ? parent.namespace : routeNamespace;
      const gateway = gateways.get(`${namespace}/${parent.name}`);
      if (!gateway) {
        route.report(
          warning(
            "GWAPI_NO_MATCHING_PARENT",
            at,
            `parent Gateway ${namespace}/${parent.name} is not among the inputs (Accepted=False, NoMatchingParent unless it exists in the cluster)`,
          ),
        );
        return;
      }
      let candidates = listenersOf(gateway);
      if (typeof parent.sectionName === "string") {
        candidates = candidates.filter((listener) => listener.name === parent.sectionName);
        if (candidates.length === 0) {
          const names = listenersOf(gateway).map((listener) => listener.name);
          route.report(
            warning(
              "GWAPI_NO_MATCHING_PARENT",
              [...at, "sectionName"],
              `Gateway ${namespace}/${String(parent.name)} has no listener named ${JSON.stringify(parent.sectionName)} (Accepted=False, NoMatchingParent)`,
              `listeners: ${names.join(", ")}`,
            ),
          );
          return;
        }
      }
      if (typeof parent.port === "number") {
        candidates = candidates.filter((listener) => listener.port === parent.port);
        if (candidates.length === 0) {
          route.report(
            warning(
              "GWAPI_NO_MATCHING_PARENT",
              [...at, "port"],
              `Gateway ${namespace}/${String(parent.name)} has no listener on port ${parent.port} (Accepted=False, NoMatchingParent)`,
            ),
          );
          return;
        }
      }
      const allowed = candidates.filter((listener) =>
        listenerAllows(listener, kind, routeNamespace, gateway.identity.namespace!, namespaces),
      );
      if (allowed.length === 0) {
        route.report(
          warning(
            "GWAPI_NOT_ALLOWED_BY_LISTENERS",
            at,
            `no listener of Gateway ${namespace}/${String(parent.name)} admits a ${kind} from namespace ${routeNamespace} (Accepted=False, NotAllowedByListeners)`,
            "check the listeners' allowedRoutes.namespaces (default Same) and allowedRoutes.kinds",
          ),
        );
        return;
      }
      if (
        routeHostnames.length > 0 &&
        !allowed.some((listener) =>
          routeHostnames.some((hostname) => !listener.hostname || !hostname || hostsMatch(listener.hostname, hostname)),
        )
      ) {
        route.report(
          warning(
            "GWAPI_NO_MATCHING_LISTENER_HOSTNAME",
            ["spec", "hostnames"],
            `none of the hostnames [${routeHostnames.join(", ")}] intersects a listener hostname of Gateway ${namespace}/${String(parent.name)} [${allowed.map((listener) => listener.hostname ?? "*").join(", ")}] (Accepted=False, NoMatchingListenerHostname)`,
          ),
        );
      }
    });
    // A mesh (GAMMA) route, attached only to Services, may reach backends in other namespaces without a ReferenceGrant.
    const meshOnly = parents.length > 0 && parents.every((parent) => parent.group === "" && parent.kind === "Service");
    const rules = recordsOf(spec.rules);
    for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
      const backends = recordsOf(rules[ruleIndex]!.backendRefs);
      for (let backendIndex = 0; backendIndex < backends.length; backendIndex++) {
        const backend = backends[backendIndex]!;
        const group = (backend.group as string | undefined) ?? "";
        const backendKind = (backend.kind as string | undefined) ?? "Service";
        const namespace = typeof backend.namespace === "string" ? backend.namespace : routeNamespace;
        if (
          namespace !== routeNamespace &&
          !meshOnly &&
          !permitted(kind, routeNamespace, group, backendKind, namespace, String(backend.name))
        ) {
          route.report(
            warning(
              "GWAPI_REF_NOT_PERMITTED",
              ["spec", "rules", ruleIndex, "backendRefs", backendIndex],
              `backendRef to ${backendKind} ${namespace}/${String(backend.name)} crosses namespaces without a ReferenceGrant (ResolvedRefs=False, RefNotPermitted)`,
              `add a ReferenceGrant in namespace ${namespace} allowing ${kind} from ${routeNamespace}`,
            ),
          );
        } else if (analyzeRefs && group === "" && backendKind === "Service" && !services.has(`${namespace}/${String(backend.name)}`)) {
          route.report(
            warning(
              "GWAPI_BACKEND_NOT_FOUND",
              ["spec", "rules", ruleIndex, "backendRefs", backendIndex],
              `Service ${namespace}/${String(backend.name)} is not among the inputs (ResolvedRefs=False, BackendNotFound unless it exists in the cluster)`,
            ),
          );
        }
      }
    }
  }
}

const listenerCache = new WeakMap<AnalyzedResource, Listener[]>();

function listenersOf(gateway: AnalyzedResource): Listener[] {
  let listeners = listenerCache.get(gateway);
  if (!listeners) {
    listeners = readListeners(gateway);
    listenerCache.set(gateway, listeners);
  }
  return listeners;
}

function readListeners(gateway: AnalyzedResource): Listener[] {
  const spec = (gateway.object.spec ?? {}) as JsonObject;
  return recordsOf(spec.listeners).map((listener, index) => {
    return {
      index,
      name: String(listener.name),
      port: Number(listener.port),
      protocol: String(listener.protocol),
      hostname: typeof listener.hostname === "string" ? listener.hostname : undefined,
      allowedRoutes: (listener.allowedRoutes ?? {}) as JsonObject,
      tls: listener.tls as JsonObject | undefined,
    };
  });
}

function admittedKinds(listener: Listener): readonly string[] {
  return Array.isArray(listener.allowedRoutes.kinds)
    ? recordsOf(listener.allowedRoutes.kinds)
        .filter((entry) => (entry.group ?? GATEWAY_GROUP) === GATEWAY_GROUP)
        .map((entry) => String(entry.kind))
    : defaultKinds(listener.protocol, (listener.tls?.mode as string | undefined) ?? "Terminate");
}

function listenerAllows(
  listener: Listener,
  kind: string,
  routeNamespace: string,
  gatewayNamespace: string,
  namespaces: Map<string | undefined, JsonObject>,
): boolean {
  const from = ((listener.allowedRoutes.namespaces as JsonObject | undefined)?.from as string | undefined) ?? "Same";
  if (from === "Same" && routeNamespace !== gatewayNamespace) return false;
  if (from === "Selector") {
    const labels = namespaces.get(routeNamespace);
    const selector = ((listener.allowedRoutes.namespaces as JsonObject).selector ?? {}) as JsonObject;
    const matchLabels = (selector.matchLabels ?? {}) as JsonObject;
    if (labels && !Object.entries(matchLabels).every(([key, value]) => labels[key] === value)) return false;
  }
  listener.kinds ??= admittedKinds(listener);
  return listener.kinds.includes(kind);
}
