import type { KubeObject } from "../../objects.js";
import { objectMeta, type Emitted } from "../context.js";
import type { InputObject } from "../input.js";
import { sanitizeName } from "../names.js";
import { listOf, recordOf, type PlainRecord } from "../plain-data.js";
import type { Attachment } from "./attach.js";
import { RouteRejected, weightedDestinations } from "./backends.js";
import { Notes } from "../notes.js";
import { istioApiVersion, type ReverseContext } from "./context.js";
import { httpEntries, sortHttpEntries, withMatch, type HttpEntry } from "./http.js";

/** A route with where it attaches, in istiod's order (creation time, namespace, name). */
export interface AttachedRoute {
  route: InputObject;
  attachments: Attachment[];
}

interface HttpGroup {
  namespace: string;
  name: string;
  host: string;
  gateway: string;
  first: InputObject;
  entries: HttpEntry[];
}

/**
 * HTTPRoutes and GRPCRoutes → one VirtualService per (listener Istio Gateway, host), or per (namespace,
 * port, host) for mesh parents, holding the rules of every route attached there in istiod's order.
 */
export function httpVirtualServices(routes: readonly AttachedRoute[], context: ReverseContext): Emitted[] {
  const groups = new Map<string, HttpGroup>();
  for (const { route, attachments } of routes) {
    const entriesFor = conversions(route, attachments, context, (enforceGrants, variant) => httpEntries(route, enforceGrants, variant));
    for (const attachment of attachments) {
      const base = entriesFor(attachment.gateway === "mesh");
      if (!base) continue;
      const entries = attachment.port === undefined ? base : base.map((item) => withPort(item, attachment.port!));
      for (const host of attachment.hosts) {
        const key = `${attachment.key} ${host}`;
        let group = groups.get(key);
        if (!group) {
          group = {
            namespace: route.namespace,
            name: virtualServiceName(attachment, host),
            host,
            gateway: attachment.gateway,
            first: route,
            entries: [],
          };
          groups.set(key, group);
        }
        group.entries.push(...entries);
      }
    }
  }
  return [...groups.values()].map((group) => {
    const object: KubeObject = {
      apiVersion: istioApiVersion,
      kind: "VirtualService",
      metadata: { ...objectMeta(group.name, group.namespace), ...labelsOf(group.first) },
      spec: { hosts: [group.host], gateways: [group.gateway], http: sortHttpEntries(group.entries) },
    };
    return { object, from: group.first };
  });
}

/**
 * Converts a route's rules once per kind of parent (gateway parents enforce ReferenceGrants, mesh parents
 * do not), reporting findings once: from the gateway conversion when the route has both.
 */
function conversions<T>(
  route: InputObject,
  attachments: readonly Attachment[],
  context: ReverseContext,
  convert: (enforceGrants: boolean, context: ReverseContext) => T,
): (mesh: boolean) => T | undefined {
  const hasGatewayParent = attachments.some((attachment) => attachment.gateway !== "mesh");
  const results = new Map<boolean, T | undefined>();
  return (mesh) => {
    if (!results.has(mesh)) {
      const quiet = mesh && hasGatewayParent;
      try {
        results.set(mesh, convert(!mesh, quiet ? { ...context, notes: new Notes() } : context));
      } catch (error) {
        if (!(error instanceof RouteRejected)) throw error;
        if (!quiet)
          context.notes.error(
            "CONV619",
            `${error.message}: istiod rejects the route, so none of its rules is converted`,
            route.source,
            error.at,
          );
        results.set(mesh, undefined);
      }
    }
    return results.get(mesh);
  };
}

function labelsOf(route: InputObject): Pick<KubeObject["metadata"], "labels"> {
  return Object.keys(route.labels).length > 0 ? { labels: { ...route.labels } } : {};
}

/** istiod adds the mesh parentRef's port to every match (a match on the port alone for rules without one). */
function withPort(item: HttpEntry, port: number): HttpEntry {
  const matches = listOf(item.entry.match).map((match) => ({ ...(recordOf(match) ?? {}), port }));
  return {
    sortMatch: { ...(item.sortMatch ?? {}), port },
    entry: withMatch(item.entry, matches.length > 0 ? matches : [{ port }]),
  };
}

/** Readable names for what istiod calls `<ns>~<gateway>~<host>`: `<istio gateway>-<host>`, `*` as `wildcard`. */
function virtualServiceName(attachment: Attachment, host: string): string {
  const hostPart = host === "*" ? "wildcard" : host.replace(/^\*/, "wildcard");
  if (attachment.gateway === "mesh") return sanitizeName(`${hostPart}${attachment.port !== undefined ? `-${attachment.port}` : ""}`);
  return sanitizeName(`${attachment.listener!.istioGateway.name}-${hostPart}`);
}

/** The destination istiod uses for TCP/TLS rules whose backends all have weight 0: nothing answers. */
const blackhole: PlainRecord = { destination: { host: "internal.cluster.local", subset: "zero-weight", port: { number: 65535 } } };

/**
 * TLSRoutes and TCPRoutes → one VirtualService per route and attachment, as istiod writes them: TLS rules
 * match the SNI hosts, TCP rules any host on the listener; mesh parents add their port.
 */
export function streamVirtualServices(routes: readonly AttachedRoute[], context: ReverseContext): Emitted[] {
  const out: Emitted[] = [];
  for (const { route, attachments } of routes) {
    const tls = route.kind === "TLSRoute";
    const destinationsFor = conversions(route, attachments, context, (enforceGrants, variant) =>
      listOf(route.spec.rules).map((raw, index) => streamDestinations(recordOf(raw) ?? {}, index, route, enforceGrants, variant)),
    );
    attachments.forEach((attachment, count) => {
      const mesh = attachment.gateway === "mesh";
      const destinations = destinationsFor(mesh);
      if (!destinations) return;
      // On a listener that terminates TLS the proxy forwards the decrypted stream: Istio wants `tcp` routes there.
      const sni = tls && !terminates(attachment);
      const rules = destinations.map((route) => streamRule(route, sni, attachment));
      const hosts = tls || mesh ? attachment.hosts : ["*"];
      const object: KubeObject = {
        apiVersion: istioApiVersion,
        kind: "VirtualService",
        metadata: { ...objectMeta(sanitizeName(`${route.name}-${tls ? "tls" : "tcp"}-${count}`), route.namespace), ...labelsOf(route) },
        spec: { hosts, gateways: [attachment.gateway], [sni ? "tls" : "tcp"]: rules },
      };
      out.push({ object, from: route });
    });
  }
  return out;
}

function streamDestinations(
  rule: PlainRecord,
  index: number,
  route: InputObject,
  enforceGrants: boolean,
  context: ReverseContext,
): PlainRecord[] {
  const at = ["spec", "rules", index, "backendRefs"];
  const weighted = weightedDestinations(listOf(rule.backendRefs), route, at, enforceGrants, context);
  if (weighted.destinations.length === 0) {
    context.notes.warning(
      "CONV608",
      "no backend of this rule can receive traffic: connections go to istiod's blackhole destination (internal.cluster.local, subset zero-weight)",
      route.source,
      at,
    );
    return [blackhole];
  }
  if (weighted.invalidWeight > 0)
    context.notes.error(
      "CONV606",
      "Istio has no way to refuse a share of TCP connections: the invalid backends' share goes to the others",
      route.source,
      at,
    );
  const single = weighted.destinations.length === 1;
  return weighted.destinations.map(({ destination, weight }) => ({ destination, ...(single ? {} : { weight }) }));
}

function terminates(attachment: Attachment): boolean {
  const mode = attachment.listener?.tls?.mode;
  return typeof mode === "string" && mode !== "PASSTHROUGH" && mode !== "AUTO_PASSTHROUGH";
}

/** TLS rules match the SNI hosts of the attachment; mesh parents add their port. */
function streamRule(destinations: PlainRecord[], tls: boolean, attachment: Attachment): PlainRecord {
  const entry: PlainRecord = { route: destinations };
  if (tls) {
    const match: PlainRecord = { sniHosts: attachment.hosts };
    if (attachment.port !== undefined) match.port = attachment.port;
    entry.match = [match];
  } else if (attachment.port !== undefined) {
    entry.match = [{ port: attachment.port }];
  }
  return entry;
}
