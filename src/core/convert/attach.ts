import type { FieldPath } from "../findings.js";
import { referenceGrantName, type ConvertContext, type Emitted } from "./context.js";
import type { ListenerIndex } from "./gateways.js";
import { hostsMatch } from "../hosts.js";
import { isIpAddress, isValidHostname, serviceHostStrict } from "./hosts.js";
import type { InputObject } from "./input.js";
import { gatewayApiGroup } from "./options.js";
import { listOf, stringsOf, type PlainRecord } from "./plain-data.js";
import type { RouteKind } from "./backends.js";
import { scalarText } from "../json.js";

const listenerProtocols: Record<RouteKind, string[]> = {
  HTTPRoute: ["HTTP", "HTTPS"],
  GRPCRoute: ["HTTP", "HTTPS"],
  TLSRoute: ["TLS"],
  TCPRoute: ["TCP"],
};

/** Where the routes of one VirtualService attach: shared by every route generated from it (docs/design/convert.md §6). */
export interface Attachment {
  parentRefs: PlainRecord[];
  /**
   * parentRefs for one route kind. A Gateway with https-redirect listeners is referenced by the
   * sectionName of each listener that serves this kind, so the routes stay off the redirect listeners.
   * With `port` (full: the port every Istio match names), every parentRef carries it and listeners on other
   * ports are not referenced.
   */
  parentRefsFor(kind: RouteKind, port?: number): PlainRecord[];
  /** HTTPRoute/TLSRoute hostnames from the VirtualService hosts that survive validation. */
  hostnames: string[];
  /** compat: ReferenceGrants that ingress2gateway generates for cross-namespace Gateways. */
  grants: Emitted[];
  /** Every parent is a converted Gateway whose HTTP(S) listeners all came from GRPC/GRPC-WEB servers. */
  grpcOnly: boolean;
}

export function attachVirtualService(virtualService: InputObject, index: ListenerIndex, context: ConvertContext): Attachment {
  const { notes, full } = context;
  const source = virtualService.source;
  const hosts = stringsOf(virtualService.spec.hosts).map((host) => host.toLowerCase());
  const gateways = stringsOf(virtualService.spec.gateways);
  const exportTo = stringsOf(virtualService.spec.exportTo);
  const parentRefs: PlainRecord[] = [];
  const grants: Emitted[] = [];
  const seen = new Set<string>();
  const addRef = (ref: PlainRecord) => {
    const key = JSON.stringify(ref);
    if (!seen.has(key)) {
      seen.add(key);
      parentRefs.push(ref);
    }
  };

  const entries = gateways.length === 0 && full ? ["mesh"] : gateways;
  if (gateways.length === 0) {
    notes.info(
      "CONV201",
      full
        ? "no spec.gateways: the routes apply to the mesh (GAMMA parentRefs to the Services)"
        : "no spec.gateways: the routes apply to the mesh only and get no parentRefs",
      source,
      ["spec"],
    );
  }
  entries.forEach((entry, position) => {
    const at: FieldPath = gateways.length === 0 ? ["spec"] : ["spec", "gateways", position];
    if (entry === "mesh") {
      if (!full) {
        notes.info("CONV201", 'gateway "mesh" (sidecars) has no Gateway parentRef', source, at);
        return;
      }
      hosts.forEach((host, hostIndex) => {
        const service = serviceHostStrict(host, virtualService.namespace, context.options.clusterDomain);
        if (!service) {
          notes.error("CONV201", `mesh host "${host}" is not a Kubernetes Service name: no GAMMA parentRef for it`, source, [
            "spec",
            "hosts",
            hostIndex,
          ]);
          return;
        }
        addRef({
          group: "",
          kind: "Service",
          name: service.name,
          ...(service.namespace !== virtualService.namespace ? { namespace: service.namespace } : {}),
        });
      });
      return;
    }
    const slash = entry.indexOf("/");
    const namespace = slash === -1 ? virtualService.namespace : entry.slice(0, slash);
    const name = slash === -1 ? entry : entry.slice(slash + 1);
    if (slash === -1) notes.info("CONV202", `gateway "${entry}" is looked up in the VirtualService's namespace ${namespace}`, source, at);
    if (!visibleTo(exportTo, namespace, virtualService.namespace)) {
      notes.warning(
        "CONV203",
        `exportTo hides this VirtualService from namespace ${namespace}, so Gateway ${namespace}/${name} does not use it: no parentRef`,
        source,
        at,
      );
      return;
    }
    const ref: PlainRecord = { group: gatewayApiGroup, kind: "Gateway", name };
    if (namespace !== virtualService.namespace) ref.namespace = namespace;
    const gateway = index.get(`${namespace}/${name}`);
    if (!gateway) {
      if (full) {
        notes.warning(
          "CONV204",
          `Gateway ${namespace}/${name} is not in the input: parentRef emitted without checking its hosts`,
          source,
          at,
        );
        addRef(ref);
      } else {
        notes.error("CONV204", `Gateway ${namespace}/${name} is not in the input: no parentRef`, source, at);
      }
      return;
    }
    const accepted = hosts.some((host) => {
      const matches = (part: string) => [...(gateway.hosts.get(part) ?? [])].some((gatewayHost) => hostsMatch(gatewayHost, host));
      return matches(virtualService.namespace) || (virtualService.namespace === namespace && matches(".")) || matches("*");
    });
    if (!accepted) {
      notes.warning(
        "CONV205",
        `no host of this VirtualService matches a host that Gateway ${namespace}/${name} accepts from namespace ${virtualService.namespace}: no parentRef`,
        source,
        at,
      );
      return;
    }
    addRef(ref);
    if (!full && namespace !== virtualService.namespace) grants.push(gatewayGrant(virtualService, namespace, name, context));
  });

  const parentRefsFor = (kind: RouteKind, port?: number): PlainRecord[] =>
    parentRefs.flatMap((ref) => {
      const withPort = port === undefined ? ref : { ...ref, port };
      const gateway =
        ref.kind === "Gateway" ? index.get(`${scalarText(ref.namespace ?? virtualService.namespace)}/${String(ref.name)}`) : undefined;
      if (!gateway || gateway.redirectListeners.size === 0) return [withPort];
      const sections = gateway.listeners.filter(
        (listener) =>
          !gateway.redirectListeners.has(listener.name) &&
          listenerProtocols[kind].includes(listener.protocol) &&
          (port === undefined || listener.port === port),
      );
      if (sections.length === 0 && port !== undefined) {
        notes.once(`CONV210/${virtualService.namespace}/${virtualService.name}/${gateway.namespace}/${gateway.name}/${port}`, () =>
          notes.warning(
            "CONV210",
            `Gateway ${gateway.namespace}/${gateway.name} serves port ${port} only with https redirects: Istio redirected these requests before routing them, so the ${kind} gets no parentRef to it`,
            source,
            ["spec", "gateways"],
          ),
        );
      }
      return sections.map((listener) => ({ ...withPort, sectionName: listener.name }));
    });
  const grpcOnly =
    parentRefs.length > 0 &&
    parentRefs.every((ref) => {
      const gateway =
        ref.kind === "Gateway" ? index.get(`${scalarText(ref.namespace ?? virtualService.namespace)}/${String(ref.name)}`) : undefined;
      const httpListeners = gateway?.listeners.filter((listener) => listener.protocol === "HTTP" || listener.protocol === "HTTPS") ?? [];
      return (
        httpListeners.length > 0 &&
        httpListeners.every((listener) => listener.istioProtocol === "GRPC" || listener.istioProtocol === "GRPC-WEB")
      );
    });
  return { parentRefs, parentRefsFor, hostnames: routeHostnames(virtualService, hosts, context), grants, grpcOnly };
}

function visibleTo(exportTo: readonly string[], gatewayNamespace: string, ownNamespace: string): boolean {
  if (exportTo.length === 0) return true;
  return exportTo.includes("*") || exportTo.includes(gatewayNamespace) || (exportTo.includes(".") && gatewayNamespace === ownNamespace);
}

function routeHostnames(virtualService: InputObject, hosts: readonly string[], context: ConvertContext): string[] {
  const hostnames: string[] = [];
  // TCPRoutes have no hostnames; a tcp-only VirtualService's hosts are not worth a finding.
  if (listOf(virtualService.spec.http).length === 0 && listOf(virtualService.spec.tls).length === 0) return hostnames;
  hosts.forEach((host, hostIndex) => {
    const reason =
      host === "*"
        ? "matches every host"
        : isIpAddress(host)
          ? "is an IP address"
          : !isValidHostname(host)
            ? "is not a valid hostname"
            : undefined;
    if (reason) {
      context.notes.warning("CONV207", `host "${host}" ${reason} and is not used as a route hostname`, virtualService.source, [
        "spec",
        "hosts",
        hostIndex,
      ]);
      return;
    }
    if (!hostnames.includes(host)) hostnames.push(host);
  });
  if (hostnames.length > 16) {
    context.notes.warning(
      "CONV208",
      `${hostnames.length} hostnames: Gateway API allows 16 per route${context.full ? "; the routes are split" : "; split the route"}`,
      virtualService.source,
      ["spec", "hosts"],
    );
  }
  return hostnames;
}

/** ingress2gateway grants HTTPRoute/TLSRoute/TCPRoute → Gateway access; Gateway API never consults them. */
function gatewayGrant(virtualService: InputObject, gatewayNamespace: string, gatewayName: string, context: ConvertContext): Emitted {
  const kinds = (
    [
      ["http", "HTTPRoute"],
      ["tls", "TLSRoute"],
      ["tcp", "TCPRoute"],
    ] as const
  )
    .filter(([field]) => listOf(virtualService.spec[field]).length > 0)
    .map(([, kind]) => ({ group: gatewayApiGroup, kind, namespace: virtualService.namespace }));
  const name = referenceGrantName(virtualService.namespace, gatewayNamespace);
  context.notes.info(
    "CONV206",
    `ReferenceGrant ${gatewayNamespace}/${name} generated for Gateway ${gatewayName}; Gateway API does not consult it (attachment follows listener allowedRoutes)`,
    virtualService.source,
    ["spec", "gateways"],
  );
  return {
    object: {
      apiVersion: context.apiVersions.ReferenceGrant,
      kind: "ReferenceGrant",
      metadata: { name, namespace: gatewayNamespace },
      spec: { from: kinds, to: [{ group: gatewayApiGroup, kind: "Gateway", name: gatewayName }] },
    },
    from: virtualService,
    mergeByName: true,
  };
}
