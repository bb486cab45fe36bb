import type { FieldPath } from "../../findings.js";
import type { KubeObject } from "../../objects.js";
import { objectMeta, type Emitted } from "../context.js";
import type { InputObject } from "../input.js";
import { hasKey, listOf, numberOf, recordOf, stringOf, type PlainRecord } from "../plain-data.js";
import { istioApiVersion, type ListenerInfo, type ReverseContext } from "./context.js";
import { scalarText } from "../../json.js";

const namespaceLabel = "kubernetes.io/metadata.name";

/** Reads every Gateway's listeners first: routes need their ports, and redirect routes fold into servers. */
export function indexGateways(gateways: readonly InputObject[]): Map<string, ListenerInfo[]> {
  const index = new Map<string, ListenerInfo[]>();
  for (const gateway of gateways) {
    const listeners = listOf(gateway.spec.listeners).map((raw) => {
      const listener = recordOf(raw) ?? {};
      return {
        name: stringOf(listener.name) ?? "",
        port: numberOf(listener.port) ?? 0,
        protocol: (stringOf(listener.protocol) ?? "").toUpperCase(),
      };
    });
    index.set(`${gateway.namespace}/${gateway.name}`, listeners);
  }
  return index;
}

/**
 * The pattern `full` generates for Istio's `httpsRedirect`: one rule, no matches, no backends, only a
 * RequestRedirect to https, attached by sectionName to HTTP listeners. Returns the listener names.
 */
export function httpsRedirectSections(route: InputObject, context: ReverseContext): { gateway: string; sections: string[] } | undefined {
  const rules = listOf(route.spec.rules).map((rule) => recordOf(rule) ?? {});
  const parents = listOf(route.spec.parentRefs).map((ref) => recordOf(ref) ?? {});
  if (rules.length !== 1 || parents.length === 0 || listOf(route.spec.hostnames).length > 0) return undefined;
  const rule = rules[0]!;
  const filters = listOf(rule.filters).map((filter) => recordOf(filter) ?? {});
  const matches = listOf(rule.matches).map((match) => recordOf(match) ?? {});
  const matchesAll =
    matches.length === 0 ||
    (matches.length === 1 && JSON.stringify(matches[0]) === JSON.stringify({ path: { type: "PathPrefix", value: "/" } }));
  const redirect = recordOf(filters[0]?.requestRedirect);
  const onlyScheme =
    redirect &&
    redirect.scheme === "https" &&
    Object.keys(redirect).every((key) => key === "scheme" || (key === "statusCode" && redirect.statusCode === 301));
  if (!matchesAll || filters.length !== 1 || filters[0]!.type !== "RequestRedirect" || !onlyScheme || listOf(rule.backendRefs).length > 0)
    return undefined;
  const gatewayKeys = new Set(parents.map((ref) => `${stringOf(ref.namespace) ?? route.namespace}/${stringOf(ref.name)}`));
  if (gatewayKeys.size !== 1 || parents.some((ref) => (ref.kind ?? "Gateway") !== "Gateway" || !stringOf(ref.sectionName)))
    return undefined;
  const gateway = [...gatewayKeys][0]!;
  const listeners = context.gateways.get(gateway);
  const sections = parents.map((ref) => stringOf(ref.sectionName)!);
  if (!listeners || !sections.every((section) => listeners.find((listener) => listener.name === section)?.protocol === "HTTP"))
    return undefined;
  return { gateway, sections };
}

interface Server {
  key: string;
  port: PlainRecord;
  hosts: string[];
  tls?: PlainRecord;
}

/** Gateway API Gateway → Istio Gateway (docs/design/convert.md §12.1). */
export function convertGateway(gateway: InputObject, redirectSections: ReadonlySet<string>, context: ReverseContext): Emitted | undefined {
  const { notes } = context;
  const source = gateway.source;
  const className = stringOf(gateway.spec.gatewayClassName);
  if (className && className !== "istio") {
    notes.warning(
      "CONV601",
      `gatewayClassName ${className} is lost: the Istio Gateway binds to the workload selected by spec.selector`,
      source,
      ["spec", "gatewayClassName"],
    );
  }
  for (const field of ["addresses", "infrastructure", "allowedListeners", "tls"]) {
    if (hasKey(gateway.spec, field))
      notes.warning("CONV601", `spec.${field} has no Istio Gateway equivalent: dropped`, source, ["spec", field]);
  }
  const servers = new Map<string, Server>();
  listOf(gateway.spec.listeners).forEach((raw, index) => {
    const listener = recordOf(raw) ?? {};
    const at: FieldPath = ["spec", "listeners", index];
    const name = stringOf(listener.name) ?? `listener-${index}`;
    const protocol = (stringOf(listener.protocol) ?? "").toUpperCase();
    const port = numberOf(listener.port);
    if (!["HTTP", "HTTPS", "TLS", "TCP"].includes(protocol) || port === undefined) {
      notes.error("CONV602", `listener protocol ${protocol || "(none)"} cannot be served by an Istio Gateway: listener skipped`, source, [
        ...at,
        "protocol",
      ]);
      return;
    }
    const tls = listenerTls(recordOf(listener.tls), protocol, gateway, [...at, "tls"], context);
    const redirect = redirectSections.has(name);
    if (redirect) notes.info("CONV615", `HTTPRoute with only an https redirect becomes tls.httpsRedirect on this server`, source, at);
    const key = JSON.stringify([port, protocol, tls ?? null, redirect]);
    let server = servers.get(key);
    if (!server) {
      server = { key, port: { number: port, name, protocol }, hosts: [] };
      if (tls || redirect) server.tls = { ...(redirect ? { httpsRedirect: true } : {}), ...(tls ?? {}) };
      servers.set(key, server);
    }
    const hostname = stringOf(listener.hostname) ?? "*";
    for (const namespace of allowedNamespaces(recordOf(listener.allowedRoutes), gateway, at, context)) {
      const host = `${namespace}/${hostname}`;
      if (!server.hosts.includes(host)) server.hosts.push(host);
    }
  });
  if (servers.size === 0) {
    notes.warning("CONV602", "Gateway without a convertible listener is not emitted", source, ["spec", "listeners"]);
    return undefined;
  }
  const object: KubeObject = {
    apiVersion: istioApiVersion,
    kind: "Gateway",
    metadata: objectMeta(gateway.name, gateway.namespace, gateway),
    spec: {
      selector: { ...context.options.selector },
      servers: [...servers.values()].map((server) => ({
        port: server.port,
        hosts: server.hosts,
        ...(server.tls ? { tls: server.tls } : {}),
      })),
    },
  };
  return { object, from: gateway };
}

function allowedNamespaces(allowedRoutes: PlainRecord | undefined, gateway: InputObject, at: FieldPath, context: ReverseContext): string[] {
  if (allowedRoutes && hasKey(allowedRoutes, "kinds")) {
    context.notes.warning("CONV601", "allowedRoutes.kinds has no Istio equivalent: any route kind may bind", gateway.source, [
      ...at,
      "allowedRoutes",
      "kinds",
    ]);
  }
  const namespaces = recordOf(allowedRoutes?.namespaces);
  const from = stringOf(namespaces?.from) ?? "Same";
  if (from === "All") return ["*"];
  if (from === "Same") return ["."];
  const selector = recordOf(namespaces?.selector) ?? {};
  const labels = recordOf(selector.matchLabels) ?? {};
  const expressions = listOf(selector.matchExpressions).map((item) => recordOf(item) ?? {});
  const labelKeys = Object.keys(labels);
  if (labelKeys.length === 1 && labelKeys[0] === namespaceLabel && expressions.length === 0) return [String(labels[namespaceLabel])];
  if (labelKeys.length === 0 && expressions.length === 1 && expressions[0]!.key === namespaceLabel && expressions[0]!.operator === "In") {
    const values = listOf(expressions[0]!.values).map(String);
    if (values.length > 0) return values;
  }
  context.notes.warning(
    "CONV603",
    "this namespace selector has no Istio form: the server accepts VirtualServices from every namespace (broader)",
    gateway.source,
    [...at, "allowedRoutes", "namespaces", "selector"],
  );
  return ["*"];
}

function listenerTls(
  tls: PlainRecord | undefined,
  protocol: string,
  gateway: InputObject,
  at: FieldPath,
  context: ReverseContext,
): PlainRecord | undefined {
  const { notes } = context;
  if (!tls) {
    if (protocol === "TLS") return { mode: "PASSTHROUGH" };
    if (protocol === "HTTPS")
      notes.warning("CONV609", "HTTPS listener without tls: the Istio server needs tls.credentialName; add it", gateway.source, at);
    return protocol === "HTTPS" ? { mode: "SIMPLE" } : undefined;
  }
  if (protocol === "HTTP" || protocol === "TCP") return undefined;
  const mode = stringOf(tls.mode) ?? "Terminate";
  if (hasKey(tls, "options"))
    notes.warning("CONV601", "tls.options are implementation-specific: dropped", gateway.source, [...at, "options"]);
  if (mode === "Passthrough") return { mode: "PASSTHROUGH" };
  const names: string[] = [];
  listOf(tls.certificateRefs).forEach((raw, index) => {
    const ref = recordOf(raw) ?? {};
    const name = stringOf(ref.name);
    if ((ref.kind ?? "Secret") !== "Secret" || (ref.group ?? "") !== "" || !name) {
      notes.warning("CONV609", `certificateRef of kind ${String(ref.kind)} has no Istio form: dropped`, gateway.source, [
        ...at,
        "certificateRefs",
        index,
      ]);
      return;
    }
    if (ref.namespace !== undefined && ref.namespace !== gateway.namespace) {
      notes.warning(
        "CONV609",
        `secret ${scalarText(ref.namespace)}/${name}: Istio reads credentials from the gateway workload's namespace, so the secret must be there`,
        gateway.source,
        [...at, "certificateRefs", index],
      );
    }
    names.push(name);
  });
  const out: PlainRecord = { mode: "SIMPLE" };
  if (names.length === 1) out.credentialName = names[0];
  else if (names.length > 1) out.credentialNames = names;
  else
    notes.warning(
      "CONV609",
      "tls Terminate without a Secret certificateRef: the Istio server needs tls.credentialName; add it",
      gateway.source,
      at,
    );
  return out;
}
