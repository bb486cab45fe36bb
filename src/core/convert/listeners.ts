import type { FieldPath } from "../findings.js";
import type { ConvertContext } from "./context.js";
import type { ServerHost } from "./hosts.js";
import type { InputObject } from "./input.js";
import { sanitizeName } from "./names.js";
import type { PlainRecord } from "./plain-data.js";

export type ListenerProtocol = "HTTP" | "HTTPS" | "TLS" | "TCP";

export interface ServerTls {
  mode: "Passthrough" | "Terminate";
  certificateRefs: PlainRecord[];
}

/** A server after validation: what listeners are built from. */
export interface ResolvedServer {
  index: number;
  port: number;
  protocol: ListenerProtocol;
  istioProtocol: string;
  /** Set when the listener carries a `tls` block. */
  tls?: ServerTls;
  httpsRedirect: boolean;
  hosts: ServerHost[];
}

export interface Listener {
  name: string;
  port: number;
  protocol: ListenerProtocol;
  hostname?: string;
  tls?: ServerTls;
  namespaceParts: Set<string>;
  servers: Set<number>;
  istioProtocol: string;
}

/** ingress2gateway's listeners: one per host, named `<protocol>-protocol-<ns>-ns-<host>` (docs/design/convert.md §5.6). */
export function compatListeners(gateway: InputObject, servers: readonly ResolvedServer[], context: ConvertContext): Listener[] {
  const { notes } = context;
  const listeners: Listener[] = [];
  const names = new Set<string>();
  const triples = new Set<string>();
  let crossNamespace = false;
  for (const server of servers) {
    server.hosts.forEach((host) => {
      if (host.namespace !== "." && host.namespace !== gateway.namespace) crossNamespace = true;
      const namespacePart = host.namespace === "." ? "dot" : host.namespace === "*" ? "wildcard" : host.namespace;
      const base = sanitizeName(`${server.protocol}-protocol-${namespacePart}-ns-${host.dnsName.replaceAll("*", "wildcard")}`);
      let name = base;
      for (let attempt = 1; names.has(name); attempt++)
        name = attempt === 1 ? `${base}-${server.port}` : `${base}-${server.port}-${attempt}`;
      names.add(name);
      const at: FieldPath = ["spec", "servers", server.index];
      if (name !== base) notes.info("CONV115", `listener name ${base} is taken; this one is named ${name}`, gateway.source, at);
      const hostname = host.dnsName === "*" ? undefined : host.dnsName;
      const listener: Listener = {
        name,
        port: server.port,
        protocol: server.protocol,
        namespaceParts: new Set([host.namespace]),
        servers: new Set([server.index]),
        istioProtocol: server.istioProtocol,
      };
      if (hostname !== undefined) listener.hostname = hostname;
      if (server.tls) listener.tls = server.tls;
      listeners.push(listener);
      const triple = `${server.port}/${server.protocol}/${hostname ?? ""}`;
      if (server.protocol === "TCP" && hostname !== undefined) {
        notes.warning("CONV114", `listener ${name}: a TCP listener cannot have a hostname; the API server rejects it`, gateway.source, at);
      }
      if (triples.has(triple)) {
        notes.warning(
          "CONV114",
          `listener ${name} repeats port, protocol and hostname of another listener; the API server rejects it`,
          gateway.source,
          at,
        );
      }
      triples.add(triple);
      if (server.protocol === "TLS" && !server.tls) {
        notes.warning("CONV114", `listener ${name}: a TLS listener needs tls.mode; the API server rejects it`, gateway.source, at);
      }
      if (server.tls?.mode === "Terminate") {
        notes.warning(
          "CONV114",
          `listener ${name}: tls.mode Terminate needs certificateRefs; the API server rejects it`,
          gateway.source,
          at,
        );
      }
    });
  }
  if (crossNamespace) {
    notes.error(
      "CONV113",
      "listeners accept routes from the Gateway's namespace only (no allowedRoutes), while Istio let other namespaces bind",
      gateway.source,
      ["spec", "servers"],
    );
  }
  return listeners;
}

/** One listener per (port, protocol, hostname), with allowedRoutes from the hosts' namespace parts. */
export function fullListeners(gateway: InputObject, servers: readonly ResolvedServer[], context: ConvertContext): Listener[] {
  const { notes } = context;
  const byTriple = new Map<string, Listener>();
  for (const server of servers) {
    for (const host of server.hosts) {
      const hostname = host.dnsName === "*" || server.protocol === "TCP" ? undefined : host.dnsName;
      const triple = `${server.port}/${server.protocol}/${hostname ?? ""}`;
      const existing = byTriple.get(triple);
      if (existing) {
        existing.namespaceParts.add(host.namespace);
        if (!existing.servers.has(server.index)) {
          existing.servers.add(server.index);
          if (JSON.stringify(existing.tls ?? null) !== JSON.stringify(server.tls ?? null)) {
            notes.warning(
              "CONV114",
              `servers share port ${server.port} and host "${host.dnsName}" with different TLS settings; the first server's are kept`,
              gateway.source,
              ["spec", "servers", server.index, "tls"],
            );
          }
        }
        continue;
      }
      const base = `${server.protocol}-${server.port}${hostname ? `-${hostname.replaceAll("*", "wildcard")}` : ""}`;
      const listener: Listener = {
        name: sanitizeName(base),
        port: server.port,
        protocol: server.protocol,
        namespaceParts: new Set([host.namespace]),
        servers: new Set([server.index]),
        istioProtocol: server.istioProtocol,
      };
      if (hostname !== undefined) listener.hostname = hostname;
      if (server.tls) listener.tls = server.tls;
      byTriple.set(triple, listener);
    }
  }
  // The generated https-redirect HTTPRoute lives in the Gateway's namespace and must be allowed to attach.
  const redirecting = new Set(servers.filter((server) => server.httpsRedirect && server.protocol === "HTTP").map((server) => server.index));
  for (const listener of byTriple.values()) {
    if ([...listener.servers].some((index) => redirecting.has(index))) listener.namespaceParts.add(".");
  }
  const names = new Set<string>();
  for (const listener of byTriple.values()) {
    const base = listener.name;
    for (let attempt = 2; names.has(listener.name); attempt++) listener.name = `${base}-${attempt}`;
    names.add(listener.name);
  }
  return [...byTriple.values()];
}

export function listenerSpec(listener: Listener, gateway: InputObject, context: ConvertContext): PlainRecord {
  const spec: PlainRecord = { name: listener.name };
  if (listener.hostname !== undefined) spec.hostname = listener.hostname;
  spec.port = listener.port;
  spec.protocol = listener.protocol;
  if (listener.tls) {
    spec.tls =
      listener.tls.certificateRefs.length > 0
        ? { mode: listener.tls.mode, certificateRefs: listener.tls.certificateRefs }
        : { mode: listener.tls.mode };
  }
  if (context.full) spec.allowedRoutes = { namespaces: allowedNamespaces(listener.namespaceParts, gateway.namespace) };
  return spec;
}

function allowedNamespaces(parts: ReadonlySet<string>, gatewayNamespace: string): PlainRecord {
  const namespaces = new Set([...parts].map((part) => (part === "." ? gatewayNamespace : part)));
  if (namespaces.has("*")) return { from: "All" };
  if (namespaces.size === 1 && namespaces.has(gatewayNamespace)) return { from: "Same" };
  const sorted = [...namespaces].sort();
  if (sorted.length === 1) return { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": sorted[0] } } };
  return {
    from: "Selector",
    selector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: sorted }] },
  };
}
