import type { FieldPath } from "../findings.js";
import type { KubeObject } from "../objects.js";
import { objectMeta, referenceGrantName, type ConvertContext, type Emitted } from "./context.js";
import { isValidHostname, parseServerHost } from "./hosts.js";
import type { InputObject } from "./input.js";
import { compatListeners, fullListeners, listenerSpec, type Listener, type ListenerProtocol, type ResolvedServer } from "./listeners.js";
import { sanitizeName } from "./names.js";
import { gatewayApiGroup } from "./options.js";
import { hasKey, listOf, numberOf, recordOf, stringOf, stringsOf, type PlainRecord } from "./plain-data.js";

/** What routes need to know about a converted Gateway (docs/design/convert.md §5.5, §6.1). */
export interface GatewayIndexEntry {
  namespace: string;
  name: string;
  /** Host namespace part (`*`, `.`, or a name) → DNS names (`*` included) accepted by the Gateway. */
  hosts: Map<string, Set<string>>;
  listeners: { name: string; port: number; protocol: string; istioProtocol: string }[];
  /** full: listeners whose server had `httpsRedirect`; Istio served only the redirect there. */
  redirectListeners: Set<string>;
}

export type ListenerIndex = Map<string, GatewayIndexEntry>;

const maxListenersPerGateway = 64;

/** Certificates a server reads from files in the gateway pod instead of a Secret. */
const fileCertificateFields = ["serverCertificate", "privateKey", "caCertificates"];

const tlsFieldsNotConverted = [
  "serverCertificate",
  "privateKey",
  "caCertificates",
  "subjectAltNames",
  "verifyCertificateSpki",
  "verifyCertificateHash",
  "minProtocolVersion",
  "maxProtocolVersion",
  "cipherSuites",
  "credentialName",
  "credentialNames",
  "tlsCertificates",
  "caCertCredentialName",
  "caCrl",
];

/** Converts every Istio Gateway; the returned index is what VirtualServices attach to. */
export function convertGateways(gateways: readonly InputObject[], context: ConvertContext): { emitted: Emitted[]; index: ListenerIndex } {
  const emitted: Emitted[] = [];
  const index: ListenerIndex = new Map();
  for (const gateway of gateways) {
    const result = convertGateway(gateway, context);
    emitted.push(...result.emitted);
    if (result.entry) index.set(`${gateway.namespace}/${gateway.name}`, result.entry);
  }
  return { emitted, index };
}

function convertGateway(gateway: InputObject, context: ConvertContext): { emitted: Emitted[]; entry?: GatewayIndexEntry } {
  const { notes } = context;
  if (hasKey(gateway.spec, "selector")) {
    notes.info(
      "CONV102",
      "spec.selector cannot be expressed in Gateway API: Istio deploys a new proxy for the Gateway instead of reusing the selected workload",
      gateway.source,
      ["spec", "selector"],
    );
  }
  const servers: ResolvedServer[] = [];
  listOf(gateway.spec.servers).forEach((server, index) => {
    const resolved = resolveServer(gateway, recordOf(server) ?? {}, index, context);
    if (resolved) servers.push(resolved);
  });
  const listeners = context.full ? fullListeners(gateway, servers, context) : compatListeners(gateway, servers, context);
  const extra: Emitted[] = [];
  const redirectListeners = new Set<string>();
  if (context.full) {
    const redirect = httpsRedirectRoute(gateway, servers, listeners, context);
    if (redirect) {
      extra.push(redirect.route);
      for (const name of redirect.sections) redirectListeners.add(name);
    }
    extra.push(...certificateGrants(gateway, listeners, context));
  }
  if (listeners.length === 0) {
    notes.warning(
      "CONV116",
      "the Gateway has no convertible listener and is not emitted (Gateway API requires at least one)",
      gateway.source,
      ["spec", "servers"],
    );
    return { emitted: [] };
  }
  if (listeners.length > maxListenersPerGateway) {
    notes.error(
      "CONV119",
      `the Gateway needs ${listeners.length} listeners and Gateway API allows ${maxListenersPerGateway} per Gateway: split the Istio Gateway into several (one per group of hosts or ports) and convert again`,
      gateway.source,
      ["spec", "servers"],
    );
  }
  const hosts = new Map<string, Set<string>>();
  for (const server of servers) {
    for (const host of server.hosts) {
      const set = hosts.get(host.namespace) ?? new Set<string>();
      set.add(host.dnsName);
      hosts.set(host.namespace, set);
    }
  }
  const object: KubeObject = {
    apiVersion: context.apiVersions.Gateway,
    kind: "Gateway",
    metadata: objectMeta(gateway.name, gateway.namespace, gateway),
    spec: {
      gatewayClassName: context.options.gatewayClass,
      listeners: listeners.map((listener) => listenerSpec(listener, gateway, context)),
    },
  };
  return {
    emitted: [{ object, from: gateway, inputPath: (path) => serverPath(path, listeners) }, ...extra],
    entry: {
      namespace: gateway.namespace,
      name: gateway.name,
      hosts,
      listeners: listeners.map(({ name, port, protocol, istioProtocol }) => ({ name, port, protocol, istioProtocol })),
      redirectListeners,
    },
  };
}

/** `spec.listeners[i]…` → `spec.servers[k]…` of the first server the listener came from. */
function serverPath(path: FieldPath, listeners: readonly Listener[]): FieldPath {
  const index = path[0] === "spec" && path[1] === "listeners" && typeof path[2] === "number" ? path[2] : undefined;
  const server = index === undefined ? undefined : [...(listeners[index]?.servers ?? [])][0];
  return server === undefined ? ["spec", "servers"] : ["spec", "servers", server];
}

function resolveServer(gateway: InputObject, server: PlainRecord, index: number, context: ConvertContext): ResolvedServer | undefined {
  const { notes, full } = context;
  const at: FieldPath = ["spec", "servers", index];
  const source = gateway.source;
  const port = recordOf(server.port);
  const number = numberOf(port?.number);
  if (!port || number === undefined) {
    notes.error("CONV103", "server without port.number is skipped", source, [...at, "port"]);
    return undefined;
  }
  for (const field of ["name", "targetPort"]) {
    if (hasKey(port, field)) notes.info("CONV105", `port.${field} is not used by Gateway API listeners`, source, [...at, "port", field]);
  }
  const tls = recordOf(server.tls);
  const rawMode = tls ? (stringOf(tls.mode) ?? "PASSTHROUGH").toUpperCase() : undefined;
  if (rawMode === "ISTIO_MUTUAL" || rawMode === "OPTIONAL_MUTUAL") {
    notes.error("CONV106", `TLS mode ${rawMode} (Istio mesh certificates) has no Gateway API equivalent: server skipped`, source, [
      ...at,
      "tls",
      "mode",
    ]);
    return undefined;
  }
  if (rawMode !== undefined && !["PASSTHROUGH", "AUTO_PASSTHROUGH", "SIMPLE", "MUTUAL"].includes(rawMode)) {
    notes.error("CONV107", `unknown TLS mode "${stringOf(tls?.mode)}": server skipped`, source, [...at, "tls", "mode"]);
    return undefined;
  }
  const passthrough = rawMode === "PASSTHROUGH" || rawMode === "AUTO_PASSTHROUGH";
  const istioProtocol = (stringOf(port.protocol) ?? "").toUpperCase();
  const protocol = listenerProtocol(istioProtocol, tls !== undefined, passthrough);
  if (!protocol) {
    notes.error(
      "CONV104",
      `server protocol "${stringOf(port.protocol) ?? ""}" cannot be served by a Gateway API listener: server skipped`,
      source,
      [...at, "port", "protocol"],
    );
    return undefined;
  }
  if (protocol !== istioProtocol) {
    notes.info("CONV118", `protocol ${istioProtocol} becomes listener protocol ${protocol}`, source, [...at, "port", "protocol"]);
  }
  if (rawMode === "AUTO_PASSTHROUGH") {
    notes.warning(
      "CONV117",
      "AUTO_PASSTHROUGH (SNI routing to mesh services without a route) has no equivalent; converted as Passthrough, which needs TLSRoutes",
      source,
      [...at, "tls", "mode"],
    );
  }
  if (rawMode === "MUTUAL") {
    const credential = stringOf(tls?.credentialName);
    const caSource = credential ? ` (Istio read it from ca.crt of secret ${credential}, or secret ${credential}-cacert)` : "";
    notes.error(
      "CONV117",
      `MUTUAL: client-certificate validation is not converted (clients without a certificate would be accepted); configure spec.tls.frontend.default.validation.caCertificateRefs with the CA${caSource}`,
      source,
      [...at, "tls", "mode"],
    );
  }
  const terminate = rawMode === "SIMPLE" || rawMode === "MUTUAL";
  const carriesTls = (protocol === "HTTPS" || protocol === "TLS") && (tls !== undefined || (full && protocol === "TLS"));
  const resolved: ResolvedServer = {
    index,
    port: number,
    protocol,
    istioProtocol,
    httpsRedirect: tls?.httpsRedirect === true,
    hosts: [],
  };
  if (carriesTls) {
    resolved.tls = {
      mode: terminate ? "Terminate" : "Passthrough",
      certificateRefs: full && terminate ? certificateRefs(tls ?? {}, gateway, context) : [],
    };
  }
  if (tls) noteTlsFields(tls, resolved, gateway, at, context);
  if (hasKey(server, "bind")) notes.warning("CONV110", "bind (listen address) is ignored", source, [...at, "bind"]);
  if (hasKey(server, "defaultEndpoint")) notes.info("CONV110", "defaultEndpoint is ignored", source, [...at, "defaultEndpoint"]);
  if (hasKey(server, "name")) notes.info("CONV105", "server name is not used", source, [...at, "name"]);
  stringsOf(server.hosts).forEach((raw, hostIndex) => {
    const host = parseServerHost(raw);
    if (host.implicitNamespace) {
      notes.info("CONV111", `host "${raw}" has no namespace part: Istio let VirtualServices of any namespace bind`, source, [
        ...at,
        "hosts",
        hostIndex,
      ]);
    }
    if (host.dnsName !== "*" && !isValidHostname(host.dnsName)) {
      notes.warning("CONV112", `host "${raw}" is not a valid hostname: skipped`, source, [...at, "hosts", hostIndex]);
      return;
    }
    resolved.hosts.push(host);
  });
  return resolved;
}

function listenerProtocol(istio: string, hasTls: boolean, passthrough: boolean): ListenerProtocol | undefined {
  switch (istio) {
    case "HTTP":
    case "TCP":
    case "TLS":
      return istio;
    case "HTTPS":
      return hasTls && passthrough ? "TLS" : "HTTPS";
    case "HTTP2":
    case "GRPC":
    case "GRPC-WEB":
      return hasTls ? (passthrough ? "TLS" : "HTTPS") : "HTTP";
    case "MONGO":
    case "MYSQL":
    case "REDIS":
      return "TCP";
    default:
      return undefined;
  }
}

function certificateRefs(tls: PlainRecord, gateway: InputObject, context: ConvertContext): PlainRecord[] {
  const names = [...(stringOf(tls.credentialName) ? [stringOf(tls.credentialName)!] : []), ...stringsOf(tls.credentialNames)];
  const namespace = context.options.credentialNamespace;
  return [...new Set(names)].map((name) => ({
    group: "",
    kind: "Secret",
    name,
    ...(namespace && namespace !== gateway.namespace ? { namespace } : {}),
  }));
}

function noteTlsFields(tls: PlainRecord, server: ResolvedServer, gateway: InputObject, at: FieldPath, context: ConvertContext): void {
  const { notes, full } = context;
  const converted = full && server.tls?.mode === "Terminate";
  const fileMounted = fileCertificateFields.filter((field) => hasKey(tls, field));
  const secretNamed = hasKey(tls, "credentialName") || stringsOf(tls.credentialNames).length > 0;
  if (server.tls?.mode === "Terminate" && !secretNamed) {
    const files =
      fileMounted.length > 0
        ? `its certificate comes from files (${fileMounted.map((field) => `tls.${field}`).join(", ")})`
        : "it names no certificate";
    notes.error(
      "CONV108",
      `no valid Terminate listener can be written: ${files}, and a Gateway API listener needs a Secret; create one (kubectl create secret tls NAME --cert=… --key=… -n ${context.options.credentialNamespace ?? gateway.namespace}) and set tls.credentialName: NAME`,
      gateway.source,
      [...at, "tls", fileMounted[0] ?? "mode"],
    );
  }
  for (const field of tlsFieldsNotConverted) {
    if (!hasKey(tls, field)) continue;
    if (!secretNamed && server.tls?.mode === "Terminate" && fileMounted.includes(field)) continue;
    if (converted && (field === "credentialName" || field === "credentialNames")) continue;
    const hint =
      field === "credentialName" || field === "credentialNames" ? "; reference the secret in the listener's tls.certificateRefs" : "";
    notes.warning("CONV108", `tls.${field} is not converted${hint}`, gateway.source, [...at, "tls", field]);
  }
  if (tls.httpsRedirect === true) {
    if (full && server.protocol === "HTTP") {
      notes.info("CONV109", `tls.httpsRedirect becomes HTTPRoute ${gateway.name}-https-redirect`, gateway.source, [
        ...at,
        "tls",
        "httpsRedirect",
      ]);
    } else {
      notes.add(
        server.protocol === "HTTP" ? "error" : "warning",
        "CONV109",
        server.protocol === "HTTP"
          ? "tls.httpsRedirect is not converted; add an HTTPRoute with a RequestRedirect filter (scheme https, statusCode 301)"
          : "tls.httpsRedirect on a TLS server has no effect and is dropped",
        gateway.source,
        [...at, "tls", "httpsRedirect"],
      );
    }
  }
}

/** Istio reads TLS secrets where its gateway workload runs; Gateway API needs a grant for another namespace. */
function certificateGrants(gateway: InputObject, listeners: readonly Listener[], context: ConvertContext): Emitted[] {
  const namespace = context.options.credentialNamespace;
  if (!namespace || namespace === gateway.namespace) return [];
  const secrets = [...new Set(listeners.flatMap((listener) => listener.tls?.certificateRefs.map((ref) => String(ref.name)) ?? []))].sort();
  if (secrets.length === 0) return [];
  const object: KubeObject = {
    apiVersion: context.apiVersions.ReferenceGrant,
    kind: "ReferenceGrant",
    metadata: { name: referenceGrantName(gateway.namespace, namespace), namespace },
    spec: {
      from: [{ group: gatewayApiGroup, kind: "Gateway", namespace: gateway.namespace }],
      to: secrets.map((name) => ({ group: "", kind: "Secret", name })),
    },
  };
  return [{ object, from: gateway, mergeByName: true }];
}

/** `tls.httpsRedirect` on HTTP servers → one HTTPRoute per Gateway that redirects to https (docs/design/convert.md §5.4). */
function httpsRedirectRoute(
  gateway: InputObject,
  servers: readonly ResolvedServer[],
  listeners: readonly Listener[],
  context: ConvertContext,
): { route: Emitted; sections: string[] } | undefined {
  const redirecting = new Set(servers.filter((server) => server.httpsRedirect && server.protocol === "HTTP").map((server) => server.index));
  const sections = listeners
    .filter((listener) => [...listener.servers].some((index) => redirecting.has(index)))
    .map((listener) => listener.name);
  if (sections.length === 0) return undefined;
  const object: KubeObject = {
    apiVersion: context.apiVersions.HTTPRoute,
    kind: "HTTPRoute",
    metadata: { name: sanitizeName(`${gateway.name}-https-redirect`), namespace: gateway.namespace },
    spec: {
      parentRefs: sections.map((sectionName) => ({ group: gatewayApiGroup, kind: "Gateway", name: gateway.name, sectionName })),
      rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
    },
  };
  return { route: { object, from: gateway }, sections };
}
