import type { SourceDocument } from "../../documents/index.js";
import type { FieldPath } from "../../findings.js";
import type { KubeObject } from "../../objects.js";
import { objectMeta, type Emitted } from "../context.js";
import { emitObjects } from "../emit.js";
import { selectInputObjects, type InputObject } from "../input.js";
import type { ConvertResult } from "../istio-to-gateway-api.js";
import { Notes } from "../notes.js";
import { convertedFromAnnotation, gatewayApiGroup, generatorAnnotation, type ConvertOptions } from "../options.js";
import { listOf, numberOf, recordOf, stringOf, type PlainRecord } from "../plain-data.js";
import { istioRoute } from "./backends.js";
import { istioApiVersion, type ReverseContext } from "./context.js";
import { convertGateway, httpsRedirectSections, indexGateways } from "./gateways.js";
import { httpCandidates, httpEntries, type HttpCandidate } from "./http.js";

const reverseKinds = new Set([
  "Gateway",
  "HTTPRoute",
  "GRPCRoute",
  "TLSRoute",
  "TCPRoute",
  "UDPRoute",
  "ReferenceGrant",
  "BackendTLSPolicy",
]);
const istioKindOrder = ["Gateway", "VirtualService", "DestinationRule"];
const routeListenerProtocols: Record<string, string[]> = {
  HTTPRoute: ["HTTP", "HTTPS"],
  GRPCRoute: ["HTTP", "HTTPS"],
  TLSRoute: ["TLS"],
  TCPRoute: ["TCP"],
};

/**
 * Gateway API → Istio networking (docs/design/convert.md §12): Gateways first (listener ports, https redirects),
 * then routes grouped into VirtualServices, then BackendTLSPolicies; ReferenceGrants are reported only.
 */
export function convertGatewayApiToIstio(documents: readonly SourceDocument[], options: ConvertOptions): ConvertResult {
  const notes = new Notes();
  const inputs = selectInputObjects(
    documents,
    {
      accept: (apiVersion, kind) => apiVersion.startsWith(`${gatewayApiGroup}/`) && reverseKinds.has(kind),
      namespace: options.namespace,
      defaultNamespace: options.defaultNamespace,
    },
    notes,
  );
  const ofKind = (kind: string) => inputs.filter((input) => input.kind === kind);
  const context: ReverseContext = {
    options,
    notes,
    gateways: indexGateways(ofKind("Gateway")),
    redirectRoutes: new Set(),
    redirectListeners: new Map(),
    sessionCookies: new Map(),
  };
  const redirectSections = context.redirectListeners;
  for (const route of ofKind("HTTPRoute")) {
    const redirect = httpsRedirectSections(route, context);
    if (!redirect) continue;
    context.redirectRoutes.add(route);
    const sections = redirectSections.get(redirect.gateway) ?? new Set<string>();
    for (const section of redirect.sections) sections.add(section);
    redirectSections.set(redirect.gateway, sections);
  }
  const emitted: Emitted[] = [];
  for (const gateway of ofKind("Gateway")) {
    const converted = convertGateway(
      withoutOwnAnnotations(gateway),
      redirectSections.get(`${gateway.namespace}/${gateway.name}`) ?? new Set(),
      context,
    );
    if (converted) emitted.push(converted);
  }
  const routes = ["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"].flatMap(ofKind).filter((route) => !context.redirectRoutes.has(route));
  const attached = routes.filter((route) => {
    if (listOf(route.spec.parentRefs).length > 0) return true;
    context.notes.warning(
      "CONV611",
      "route without parentRefs routes nothing in Gateway API: not converted (a VirtualService would apply it to the mesh)",
      route.source,
      ["spec"],
    );
    return false;
  });
  const virtualServices = groupByVirtualService(attached).map((group) => virtualService(group, context));
  noteSharedHosts(virtualServices, context);
  emitted.push(...virtualServices);
  for (const route of ofKind("UDPRoute"))
    notes.error("CONV614", "UDPRoute cannot be converted: Istio gateways do not serve UDP", route.source);
  for (const policy of ofKind("BackendTLSPolicy")) emitted.push(...destinationRules(policy, context));
  emitted.push(...affinityRules(context));
  const grants = ofKind("ReferenceGrant");
  for (const grant of grants) notes.info("CONV607", "ReferenceGrant has no Istio counterpart and is not emitted", grant.source);
  if (grants.length > 0) {
    notes.warning(
      "CONV607",
      "Istio does not ask the target namespace for consent: the cross-namespace permissions of the ReferenceGrants are not enforced any more",
      grants[0]!.source,
    );
  }
  const objects = emitObjects(emitted, { kindOrder: istioKindOrder, generator: options.generator, notes });
  if (objects.length === 0) notes.info("CONV003", "nothing to convert: no Gateway API Gateway or route in the input");
  return { objects, findings: notes.findings };
}

function withoutOwnAnnotations(input: InputObject): InputObject {
  const annotations = { ...input.annotations };
  delete annotations[generatorAnnotation];
  delete annotations[convertedFromAnnotation];
  return { ...input, annotations };
}

interface RouteGroup {
  namespace: string;
  name: string;
  routes: InputObject[];
}

/** Routes that `mesh convert` generated from one VirtualService (annotation) become one VirtualService again. */
function groupByVirtualService(routes: readonly InputObject[]): RouteGroup[] {
  const groups = new Map<string, RouteGroup>();
  for (const route of routes) {
    const origin = /^VirtualService\/([^/]+)\/([^/]+)$/.exec(route.annotations[convertedFromAnnotation] ?? "");
    const name = origin && origin[1] === route.namespace ? origin[2]! : route.name;
    const key = `${route.namespace}/${name}`;
    const group = groups.get(key) ?? { namespace: route.namespace, name, routes: [] };
    group.routes.push(route);
    groups.set(key, group);
  }
  for (const group of groups.values())
    group.routes.sort((a, b) => routeIndex(a.name) - routeIndex(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...groups.values()];
}

/** `<vs>-idx-<i>` routes keep their Istio order. */
function routeIndex(name: string): number {
  const match = /-idx-(\d+)/.exec(name);
  return match ? Number(match[1]) : -1;
}

function virtualService(group: RouteGroup, context: ReverseContext): Emitted {
  const hosts: string[] = [];
  const gateways: string[] = [];
  let mesh = false;
  const candidates: HttpCandidate[] = [];
  const tls: PlainRecord[] = [];
  const tcp: PlainRecord[] = [];
  const addHost = (host: string) => hosts.includes(host) || hosts.push(host);
  group.routes.forEach((route, routeOrder) => {
    const clean = withoutOwnAnnotations(route);
    const hostnames = listOf(route.spec.hostnames).map(String);
    const parents = parentsOf(clean, context);
    for (const gateway of parents.gateways) if (!gateways.includes(gateway)) gateways.push(gateway);
    mesh ||= parents.mesh;
    if (route.kind === "HTTPRoute" || route.kind === "GRPCRoute") {
      for (const host of hostnames.length > 0 ? hostnames : parents.serviceHosts.length > 0 ? [] : ["*"]) addHost(host);
      for (const host of parents.serviceHosts) addHost(host);
      candidates.push(...httpCandidates(clean, routeOrder, parents.ports, context));
    } else if (route.kind === "TLSRoute") {
      for (const host of hostnames) addHost(host);
      listOf(route.spec.rules).forEach((rule, index) => {
        const match: PlainRecord = { sniHosts: hostnames.length > 0 ? hostnames : ["*"] };
        const entries = parents.ports.length > 0 ? parents.ports.map((port) => ({ ...match, port })) : [match];
        tls.push({
          match: entries,
          route: istioRoute(listOf(recordOf(rule)?.backendRefs), route, ["spec", "rules", index, "backendRefs"], context),
        });
      });
    } else {
      for (const host of parents.serviceHosts) addHost(host);
      // Istio forbids host `*` on mesh-bound VirtualServices; a gateway-bound TCP route matches any host.
      if (parents.gateways.length > 0 || parents.serviceHosts.length === 0) addHost("*");
      listOf(route.spec.rules).forEach((rule, index) => {
        const entry: PlainRecord = {
          route: istioRoute(listOf(recordOf(rule)?.backendRefs), route, ["spec", "rules", index, "backendRefs"], context),
        };
        if (parents.ports.length > 0) entry.match = parents.ports.map((port) => ({ port }));
        tcp.push(entry);
      });
    }
  });
  const first = withoutOwnAnnotations(group.routes[0]!);
  let meshSafeHosts = hosts;
  if (mesh && hosts.includes("*") && hosts.length > 1) {
    context.notes.warning("CONV611", "host * is not allowed on a VirtualService that also applies to the mesh: dropped", first.source, [
      "spec",
      "hostnames",
    ]);
    meshSafeHosts = hosts.filter((host) => host !== "*");
  }
  const spec: PlainRecord = { hosts: withoutCoveredHosts(meshSafeHosts) };
  if (gateways.length > 0) spec.gateways = mesh ? [...gateways, "mesh"] : gateways;
  const http = httpEntries(candidates);
  if (http.length > 0) spec.http = http;
  if (tls.length > 0) spec.tls = tls;
  if (tcp.length > 0) spec.tcp = tcp;
  const object: KubeObject = {
    apiVersion: istioApiVersion,
    kind: "VirtualService",
    metadata: objectMeta(group.name, group.namespace, first),
    spec,
  };
  return { object, from: first };
}

/**
 * Gateway API ranks rules across routes by precedence; Istio merges VirtualServices that share a host on
 * a gateway in creation order, so overlapping matches may resolve differently.
 */
function noteSharedHosts(virtualServices: readonly Emitted[], context: ReverseContext): void {
  const owners = new Map<string, Emitted>();
  for (const item of virtualServices) {
    const spec = item.object.spec as PlainRecord;
    const namespace = item.object.metadata.namespace ?? "";
    const gateways = listOf(spec.gateways).map(String);
    for (const host of listOf(spec.hosts).map(String)) {
      for (const gateway of gateways.length > 0 ? gateways : ["mesh"]) {
        const key = `${gateway === "mesh" || gateway.includes("/") ? gateway : `${namespace}/${gateway}`} ${host}`;
        const earlier = owners.get(key);
        if (!earlier) {
          owners.set(key, item);
          continue;
        }
        if (listOf(spec.http).length === 0) continue;
        context.notes.warning(
          "CONV612",
          `host ${host} is also routed by VirtualService ${earlier.object.metadata.namespace}/${earlier.object.metadata.name}: Istio merges them in creation order, not by Gateway API precedence; check that their matches do not overlap`,
          item.from?.source,
          ["spec", "hostnames"],
        );
      }
    }
  }
}

/** Istio rejects a VirtualService whose hosts cover each other (`*.example.com` and `a.example.com`). */
function withoutCoveredHosts(hosts: readonly string[]): string[] {
  const covers = (wildcard: string, host: string) => wildcard !== host && wildcard.startsWith("*") && host.endsWith(wildcard.slice(1));
  return hosts.filter((host) => !hosts.some((other) => covers(other, host)));
}

interface Parents {
  gateways: string[];
  mesh: boolean;
  serviceHosts: string[];
  /** Listener ports the route is limited to; empty when it reaches every listener of its kind. */
  ports: number[];
}

function parentsOf(route: InputObject, context: ReverseContext): Parents {
  const parents: Parents = { gateways: [], mesh: false, serviceHosts: [], ports: [] };
  const ports = new Set<number>();
  let unrestricted = false;
  listOf(route.spec.parentRefs).forEach((raw, index) => {
    const ref = recordOf(raw) ?? {};
    const at: FieldPath = ["spec", "parentRefs", index];
    const name = stringOf(ref.name) ?? "";
    const namespace = stringOf(ref.namespace) ?? route.namespace;
    if ((ref.kind ?? "Gateway") === "Service" && (ref.group ?? "") === "") {
      parents.mesh = true;
      const host = namespace === route.namespace ? name : `${name}.${namespace}.svc.${context.options.clusterDomain}`;
      if (!parents.serviceHosts.includes(host)) parents.serviceHosts.push(host);
      return;
    }
    const gateway = namespace === route.namespace ? name : `${namespace}/${name}`;
    if (!parents.gateways.includes(gateway)) parents.gateways.push(gateway);
    const listeners = context.gateways.get(`${namespace}/${name}`);
    const redirecting = context.redirectListeners.get(`${namespace}/${name}`);
    const kindListeners = (listeners ?? []).filter(
      (listener) => routeListenerProtocols[route.kind]?.includes(listener.protocol) && !redirecting?.has(listener.name),
    );
    const section = stringOf(ref.sectionName);
    const port = numberOf(ref.port);
    if (section === undefined && port === undefined) {
      unrestricted = true;
      return;
    }
    if (!listeners) {
      context.notes.warning(
        "CONV611",
        `Gateway ${namespace}/${name} is not in the input: the listener port of this parentRef is unknown and not matched`,
        route.source,
        at,
      );
      unrestricted = true;
      return;
    }
    const selected = kindListeners.filter(
      (listener) => (section === undefined || listener.name === section) && (port === undefined || listener.port === port),
    );
    const allPorts = new Set(kindListeners.map((listener) => listener.port));
    const selectedPorts = new Set(selected.map((listener) => listener.port));
    if (selectedPorts.size === allPorts.size) unrestricted = true;
    else for (const item of selectedPorts) ports.add(item);
  });
  if (!unrestricted) parents.ports = [...ports].sort((a, b) => a - b);
  return parents;
}

/** Cookie session persistence of route rules → one DestinationRule with cookie consistent hashing per host. */
function affinityRules(context: ReverseContext): Emitted[] {
  return [...context.sessionCookies].map(([host, { namespace, cookie, route }]) => ({
    object: {
      apiVersion: istioApiVersion,
      kind: "DestinationRule",
      metadata: { name: `${host.split(".")[0]}-session-affinity`, namespace },
      spec: { host, trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: cookie, ttl: "0s" } } } } },
    },
    from: route,
  }));
}

function destinationRules(policy: InputObject, context: ReverseContext): Emitted[] {
  const validation = recordOf(policy.spec.validation) ?? {};
  if (listOf(validation.caCertificateRefs).length > 0) {
    context.notes.warning(
      "CONV616",
      "caCertificateRefs: the DestinationRule needs tls.credentialName or caCertificates for the CA; add it by hand",
      policy.source,
      ["spec", "validation", "caCertificateRefs"],
    );
  }
  const targets = listOf(policy.spec.targetRefs)
    .map((ref) => recordOf(ref) ?? {})
    .filter((ref) => (ref.kind ?? "") === "Service");
  return targets.map((target) => {
    const name = targets.length === 1 ? policy.name : `${policy.name}-${String(target.name)}`;
    const tls: PlainRecord = { mode: "SIMPLE" };
    const hostname = stringOf(validation.hostname);
    if (hostname) tls.sni = hostname;
    const object: KubeObject = {
      apiVersion: istioApiVersion,
      kind: "DestinationRule",
      metadata: objectMeta(name, policy.namespace, withoutOwnAnnotations(policy)),
      spec: { host: `${String(target.name)}.${policy.namespace}.svc.${context.options.clusterDomain}`, trafficPolicy: { tls } },
    };
    return { object, from: policy };
  });
}
