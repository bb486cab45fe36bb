import type { FieldPath } from "../../findings.js";
import type { InputObject } from "../input.js";
import { gatewayApiGroup, istioNetworkingGroup } from "../options.js";
import { listOf, numberOf, recordOf, stringOf, stringsOf } from "../plain-data.js";
import type { Listener, ReverseContext } from "./context.js";
import { hostnameIntersection, hostnameSubsetOf, hostnamesMatch, isWildcard } from "./hostnames.js";

/** Where one route's rules go: an Istio Gateway (one listener) or the mesh (a Service or ServiceEntry). */
export interface Attachment {
  /** VirtualService `gateways` entry: `ns/name` of the listener's Istio Gateway, or `mesh`. */
  gateway: string;
  listener?: Listener;
  /** VirtualService hosts: the route's hostnames narrowed to the listener's, or the Service/ServiceEntry hosts. */
  hosts: string[];
  /** Mesh parentRef `port`: added to every match, as istiod does. */
  port?: number;
  /** Grouping key of istiod (listener or namespace[/port]), without the host. */
  key: string;
}

const listenerSetKinds = new Set(["ListenerSet", "XListenerSet"]);

/**
 * Attaches a route the way istiod does (docs/design/convert.md §12.2): every listener of a parent that the parentRef's
 * sectionName/port select, whose allowed kinds and namespaces admit the route and whose hostname overlaps
 * the route's hostnames. Hosts that another listener on the same port matches more exactly stay with it.
 */
export function attachRoute(route: InputObject, context: ReverseContext): Attachment[] {
  const attachments: Attachment[] = [];
  const hostnames = stringsOf(route.spec.hostnames);
  listOf(route.spec.parentRefs).forEach((raw, index) => {
    const ref = recordOf(raw) ?? {};
    const at: FieldPath = ["spec", "parentRefs", index];
    const group = stringOf(ref.group) ?? gatewayApiGroup;
    const kind = stringOf(ref.kind) ?? "Gateway";
    const name = stringOf(ref.name) ?? "";
    const namespace = stringOf(ref.namespace) ?? route.namespace;
    const port = numberOf(ref.port);
    if (group === "" && kind === "Service") {
      const host = `${name}.${namespace}.svc.${context.options.clusterDomain}`;
      attachments.push(meshAttachment(route, [host], port));
      return;
    }
    if (group === istioNetworkingGroup && kind === "ServiceEntry") {
      const entry = context.serviceEntries.get(`${namespace}/${name}`);
      if (!entry) {
        context.notes.error(
          "CONV611",
          `ServiceEntry ${namespace}/${name} is not in the input: its hosts are unknown, so this parentRef is not converted; add it`,
          route.source,
          at,
        );
        return;
      }
      attachments.push(meshAttachment(route, stringsOf(entry.spec.hosts), port));
      return;
    }
    const parentKind = group === gatewayApiGroup && kind === "Gateway" ? "Gateway" : listenerSetKinds.has(kind) ? "ListenerSet" : undefined;
    if (!parentKind) {
      context.notes.warning("CONV611", `parentRef of kind ${group}/${kind} is not one istiod binds to: ignored`, route.source, at);
      return;
    }
    const listeners = context.listeners.get(`${parentKind}/${namespace}/${name}`);
    if (!listeners) {
      context.notes.error(
        "CONV611",
        `${parentKind} ${namespace}/${name} is not in the input: its listeners are unknown, so the route is not attached there; add it to the input`,
        route.source,
        at,
      );
      return;
    }
    const section = stringOf(ref.sectionName);
    const selected = listeners.filter((listener) => section === undefined || listener.name === section);
    const refusals = selected.length === 0 ? [`no listener named ${section}`] : [];
    let attached = 0;
    for (const listener of selected) {
      const refusal = refusalOf(listener, route, port, hostnames);
      if (refusal) {
        refusals.push(refusal);
        continue;
      }
      const hosts = hostsOnListener(listener, hostnames.length > 0 ? hostnames : ["*"], context);
      if (hosts.length === 0) {
        refusals.push(`listener ${listener.name}: its hostnames belong to more specific listeners on port ${listener.port}`);
        continue;
      }
      attached++;
      attachments.push({
        gateway: `${listener.istioGateway.namespace}/${listener.istioGateway.name}`,
        listener,
        hosts,
        key: `${listener.istioGateway.namespace}/${listener.istioGateway.name}`,
      });
    }
    if (attached === 0) {
      context.notes.warning(
        "CONV618",
        `the route does not attach to ${parentKind} ${namespace}/${name} (${refusals.length > 0 ? refusals.join("; ") : "no listener"}): nothing is converted for this parentRef, as istiod ignores it`,
        route.source,
        at,
      );
    }
  });
  return attachments;
}

function meshAttachment(route: InputObject, hosts: string[], port: number | undefined): Attachment {
  return {
    gateway: "mesh",
    hosts,
    ...(port !== undefined ? { port } : {}),
    key: `mesh/${route.namespace}${port !== undefined ? `/${port}` : ""}`,
  };
}

function refusalOf(listener: Listener, route: InputObject, port: number | undefined, hostnames: string[]): string | undefined {
  if (port !== undefined && listener.port !== port) return `listener ${listener.name} is not on port ${port}`;
  if (!listener.usable) return `listener ${listener.name} is left out (see the finding on it)`;
  if (!listener.allowedKinds.has(route.kind)) return `listener ${listener.name} does not allow ${route.kind}`;
  const routeHosts = hostnames.length > 0 ? hostnames : ["*"];
  const listenerHost = listener.hostname ?? "*";
  if (!routeHosts.some((host) => hostnamesMatch(listenerHost, host)))
    return `listener ${listener.name}: no hostname matches ${listenerHost}`;
  if (!listener.namespaces.some((namespace) => namespace === "*" || namespace === route.namespace))
    return `listener ${listener.name} does not allow routes from namespace ${route.namespace}`;
  return undefined;
}

/**
 * The route's hostnames on one listener: narrowed to the listener hostname, without those that another
 * listener of the same Gateway, port and protocol matches more exactly (istiod's hostname isolation).
 */
function hostsOnListener(listener: Listener, routeHosts: string[], context: ReverseContext): string[] {
  const own = listener.hostname ?? "";
  const siblings = [...context.listeners.values()]
    .flat()
    .filter(
      (other) =>
        other !== listener &&
        other.gatewayKey === listener.gatewayKey &&
        other.port === listener.port &&
        other.protocol === listener.protocol &&
        (other.hostname ?? "") !== own,
    )
    .map((other) => other.hostname ?? "");
  const hosts: string[] = [];
  for (const host of routeHosts) {
    const narrowed = hostnameIntersection(own === "" ? "*" : own, host);
    if (narrowed === undefined) continue;
    const isolated =
      own !== "" && !isWildcard(own)
        ? false
        : siblings.some((other) => own.length <= other.length && other !== "" && hostnameSubsetOf(host, other));
    if (!isolated && !hosts.includes(narrowed)) hosts.push(narrowed);
  }
  return hosts;
}
