import { createHash } from "node:crypto";
import type { FieldPath } from "../../findings.js";
import type { KubeObject } from "../../objects.js";
import { objectMeta, type Emitted } from "../context.js";
import type { InputObject } from "../input.js";
import { gatewayApiGroup } from "../options.js";
import { hasKey, listOf, numberOf, recordOf, stringMapOf, stringOf, type PlainRecord } from "../plain-data.js";
import { istioApiVersion, type Listener, type ReverseContext } from "./context.js";
import { namespacesSelectedBy } from "./namespaces.js";

const servedProtocols = new Set(["HTTP", "HTTPS", "TLS", "TCP"]);
const defaultKinds: Record<string, string[]> = {
  HTTP: ["HTTPRoute", "GRPCRoute"],
  HTTPS: ["HTTPRoute", "GRPCRoute"],
  TLS: ["TLSRoute"],
  TCP: ["TCPRoute"],
};
const terminateModeOption = "gateway.istio.io/tls-terminate-mode";
const listenerProtocolOption = "gateway.istio.io/listener-protocol";
const networkLabel = "topology.istio.io/network";
const eastWestPort = 15443;

/**
 * Gateways and ListenerSets → listeners (docs/design/convert.md §12.1). A ListenerSet contributes its listeners to
 * its parent Gateway only when that Gateway's allowedListeners admits the ListenerSet's namespace.
 */
export function readListeners(gateways: readonly InputObject[], listenerSets: readonly InputObject[], context: ReverseContext): Listener[] {
  const listeners: Listener[] = [];
  const gatewaysByKey = new Map(gateways.map((gateway) => [`${gateway.namespace}/${gateway.name}`, gateway]));
  for (const gateway of gateways) {
    noteGatewayFields(gateway, context);
    listeners.push(...ownListeners(gateway, gateway, "Gateway", context));
  }
  for (const set of listenerSets) {
    const parent = recordOf(set.spec.parentRef) ?? {};
    const parentKey = `${stringOf(parent.namespace) ?? set.namespace}/${stringOf(parent.name) ?? ""}`;
    const gateway = gatewaysByKey.get(parentKey);
    if (!gateway) {
      context.notes.error(
        "CONV617",
        `parent Gateway ${parentKey} of this ListenerSet is not in the input: its listeners are not converted; add the Gateway`,
        set.source,
        ["spec", "parentRef"],
      );
      continue;
    }
    if (!listenerSetAllowed(set.namespace, gateway, context)) {
      context.notes.warning(
        "CONV617",
        `Gateway ${parentKey} does not admit ListenerSets from namespace ${set.namespace} (spec.allowedListeners): not converted, as istiod ignores it`,
        set.source,
        ["spec", "parentRef"],
      );
      continue;
    }
    listeners.push(...ownListeners(set, gateway, "ListenerSet", context));
  }
  return listeners;
}

function noteGatewayFields(gateway: InputObject, context: ReverseContext): void {
  const className = stringOf(gateway.spec.gatewayClassName);
  if (className && className !== "istio") {
    context.notes.warning(
      "CONV601",
      `gatewayClassName ${className} is lost: the Istio Gateways bind to the workload selected by spec.selector`,
      gateway.source,
      ["spec", "gatewayClassName"],
    );
  }
  for (const field of ["addresses", "infrastructure"]) {
    if (hasKey(gateway.spec, field))
      context.notes.warning("CONV601", `spec.${field} has no Istio Gateway equivalent: dropped`, gateway.source, ["spec", field]);
  }
}

function ownListeners(owner: InputObject, gateway: InputObject, kind: "Gateway" | "ListenerSet", context: ReverseContext): Listener[] {
  const out: Listener[] = [];
  listOf(owner.spec.listeners).forEach((raw, index) => {
    const listener = recordOf(raw) ?? {};
    const at: FieldPath = ["spec", "listeners", index];
    const name = stringOf(listener.name) ?? `listener-${index}`;
    const protocol = stringOf(listener.protocol) ?? "";
    const port = numberOf(listener.port);
    if (!servedProtocols.has(protocol) || port === undefined) {
      context.notes.error(
        "CONV602",
        `listener protocol ${protocol || "(none)"} cannot be served by an Istio Gateway (istiod rejects it): listener skipped`,
        owner.source,
        [...at, "protocol"],
      );
      return;
    }
    const hostname = stringOf(listener.hostname);
    const tls = listenerTls(listener, protocol, port, owner, gateway, at, context);
    const namespaces = allowedNamespaces(recordOf(listener.allowedRoutes), owner, at, context);
    const usable = tls.usable && namespaces.length > 0;
    out.push({
      owner,
      at,
      parentKey: `${kind}/${owner.namespace}/${owner.name}`,
      gatewayKey: `${gateway.namespace}/${gateway.name}`,
      name,
      port,
      protocol,
      ...(hostname ? { hostname } : {}),
      allowedKinds: allowedKinds(listener, protocol, owner, at, context),
      namespaces,
      istioGateway: { namespace: owner.namespace, name: istioGatewayName(owner.name, name) },
      ...(tls.settings ? { tls: tls.settings } : {}),
      usable,
    });
  });
  return out;
}

/** Istio Gateway names are DNS labels: `<gateway>-<listener>`, dots replaced, at most 63 characters. */
function istioGatewayName(owner: string, listener: string): string {
  const name = `${owner}-${listener}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (name.length <= 63) return name;
  const digest = createHash("sha256").update(`${owner}/${listener}`).digest("hex").slice(0, 8);
  return `${name.slice(0, 54).replace(/-+$/, "")}-${digest}`;
}

function listenerSetAllowed(namespace: string, gateway: InputObject, context: ReverseContext): boolean {
  const namespaces = recordOf(recordOf(gateway.spec.allowedListeners)?.namespaces);
  const from = stringOf(namespaces?.from);
  if (!namespaces || from === "None" || (from === undefined && !namespaces.selector)) return false;
  if (from === "All") return true;
  if (from === "Same") return namespace === gateway.namespace;
  const selected = namespacesSelectedBy(recordOf(namespaces.selector) ?? {}, context);
  if (selected === undefined) {
    context.notes.error(
      "CONV603",
      "allowedListeners selects namespaces by labels mesh cannot see offline: ListenerSets are not attached; add the Namespace objects to the input",
      gateway.source,
      ["spec", "allowedListeners", "namespaces", "selector"],
    );
    return false;
  }
  return selected.includes(namespace);
}

function allowedKinds(listener: PlainRecord, protocol: string, owner: InputObject, at: FieldPath, context: ReverseContext): Set<string> {
  const terminatedTls = protocol === "TLS" && (stringOf(recordOf(listener.tls)?.mode) ?? "Terminate") === "Terminate";
  // A TLS listener that terminates carries plain TCP to the backends: TCPRoutes may bind as well.
  const supported = terminatedTls ? ["TLSRoute", "TCPRoute"] : (defaultKinds[protocol] ?? []);
  const kinds = listOf(recordOf(listener.allowedRoutes)?.kinds).map((item) => recordOf(item) ?? {});
  if (kinds.length === 0) return new Set(supported);
  const out = new Set<string>();
  kinds.forEach((kind, index) => {
    const name = stringOf(kind.kind) ?? "";
    if ((stringOf(kind.group) ?? gatewayApiGroup) === gatewayApiGroup && supported.includes(name)) out.add(name);
    else
      context.notes.warning("CONV601", `route kind ${name} cannot bind to a ${protocol} listener in Istio: ignored`, owner.source, [
        ...at,
        "allowedRoutes",
        "kinds",
        index,
      ]);
  });
  return out;
}

/**
 * The namespace parts of the server hosts, as istiod writes them: Same → the owner's namespace, All → `*`,
 * Selector → the namespaces it selects. Label selectors need the Namespace objects (cluster state).
 */
function allowedNamespaces(allowedRoutes: PlainRecord | undefined, owner: InputObject, at: FieldPath, context: ReverseContext): string[] {
  const namespaces = recordOf(allowedRoutes?.namespaces);
  const from = stringOf(namespaces?.from) ?? "Same";
  if (from === "All") return ["*"];
  if (from === "Same") return [owner.namespace];
  const selected = namespacesSelectedBy(recordOf(namespaces?.selector) ?? {}, context);
  const where: FieldPath = [...at, "allowedRoutes", "namespaces", "selector"];
  if (selected === undefined) {
    context.notes.error(
      "CONV603",
      "this namespace selector uses labels mesh cannot see offline (istiod reads them from the cluster): no route attaches to this listener; add the Namespace objects to the input",
      owner.source,
      where,
    );
    return [];
  }
  if (selected.length === 0) {
    context.notes.warning(
      "CONV603",
      "this namespace selector matches no namespace of the input: no route attaches to this listener",
      owner.source,
      where,
    );
  }
  return selected;
}

function listenerTls(
  listener: PlainRecord,
  protocol: string,
  port: number,
  owner: InputObject,
  gateway: InputObject,
  at: FieldPath,
  context: ReverseContext,
): { settings?: PlainRecord; usable: boolean } {
  const { notes } = context;
  const tls = recordOf(listener.tls);
  if (protocol === "HTTP" || protocol === "TCP") return { usable: true };
  if (!tls) {
    notes.error(
      "CONV609",
      `a ${protocol} listener needs tls (the Gateway API server rejects it without): listener skipped`,
      owner.source,
      at,
    );
    return { usable: false };
  }
  const options = stringMapOf(tls.options);
  const mode = stringOf(tls.mode) ?? "Terminate";
  if (mode === "Passthrough") {
    const autoPassthrough =
      options[listenerProtocolOption] === "auto-passthrough" || (port === eastWestPort && gateway.labels[networkLabel] !== undefined);
    return { settings: { mode: autoPassthrough ? "AUTO_PASSTHROUGH" : "PASSTHROUGH" }, usable: true };
  }
  const settings: PlainRecord = { mode: "SIMPLE" };
  const terminateMode = options[terminateModeOption];
  if (terminateMode === "ISTIO_MUTUAL") return { settings: { mode: "ISTIO_MUTUAL" }, usable: true };
  if (terminateMode === "ISTIO_SIMPLE") return { settings: { mode: "SIMPLE", credentialName: "builtin://" }, usable: true };
  if (terminateMode === "MUTUAL" || terminateMode === "OPTIONAL_MUTUAL") settings.mode = terminateMode;
  for (const key of Object.keys(options)) {
    if (key !== terminateModeOption && key !== listenerProtocolOption)
      notes.warning("CONV601", `tls option ${key} has no meaning for Istio: dropped`, owner.source, [...at, "tls", "options", key]);
  }
  frontendValidation(settings, port, gateway, context);
  const refs = listOf(tls.certificateRefs).map((ref) => recordOf(ref) ?? {});
  if (refs.length > 2) {
    notes.error("CONV609", "istiod accepts at most 2 certificateRefs (one RSA, one ECDSA): listener skipped", owner.source, [
      ...at,
      "tls",
      "certificateRefs",
    ]);
    return { usable: false };
  }
  const names: string[] = [];
  refs.forEach((ref, index) => {
    const where: FieldPath = [...at, "tls", "certificateRefs", index];
    const name = stringOf(ref.name) ?? "";
    if ((stringOf(ref.kind) ?? "Secret") !== "Secret" || (stringOf(ref.group) ?? "") !== "") {
      notes.error("CONV609", `certificateRef of kind ${String(ref.kind)} is not a Secret: istiod ignores it`, owner.source, where);
      return;
    }
    const namespace = stringOf(ref.namespace) ?? owner.namespace;
    if (context.secrets && !context.secrets.has(`${namespace}/${name}`)) {
      notes.error(
        "CONV609",
        `Secret ${namespace}/${name} does not exist in the cluster: istiod cannot load this certificate; create the Secret (kubectl create secret tls ${name} -n ${namespace} --cert=… --key=…)`,
        owner.source,
        where,
      );
      return;
    }
    if (namespace === owner.namespace) {
      names.push(name);
      return;
    }
    const ownerKind = owner === gateway ? "Gateway" : "ListenerSet";
    if (!context.grants.allows(ownerKind, owner.namespace, "Secret", namespace, name)) {
      notes.error(
        "CONV609",
        `Secret ${namespace}/${name} is in another namespace and no ReferenceGrant in ${namespace} allows it: istiod does not use it`,
        owner.source,
        where,
      );
      return;
    }
    names.push(`kubernetes-gateway://${namespace}/${name}`);
  });
  if (names.length === 0) {
    notes.error(
      "CONV609",
      "tls Terminate without a usable Secret certificateRef: istiod does not serve this listener; listener skipped",
      owner.source,
      [...at, "tls"],
    );
    return { usable: false };
  }
  if (!context.secrets)
    notes.once(`secrets ${owner.namespace}/${owner.name}`, () =>
      notes.info(
        "CONV609",
        "istiod serves a Terminate listener only when its Secrets exist and hold a valid certificate and key: mesh cannot check that offline",
        owner.source,
        [...at, "tls", "certificateRefs"],
      ),
    );
  if (names.length === 1) settings.credentialName = names[0];
  else settings.credentialNames = names;
  return { settings, usable: true };
}

/** `spec.tls.frontend` client-certificate validation → MUTUAL (OPTIONAL_MUTUAL with AllowInsecureFallback). */
function frontendValidation(settings: PlainRecord, port: number, gateway: InputObject, context: ReverseContext): void {
  const frontend = recordOf(recordOf(gateway.spec.tls)?.frontend);
  if (!frontend) return;
  const perPort = listOf(frontend.perPort)
    .map((item) => recordOf(item) ?? {})
    .find((item) => numberOf(item.port) === port);
  const validation = recordOf(recordOf(perPort?.tls)?.validation) ?? recordOf(recordOf(frontend.default)?.validation);
  if (!validation) return;
  settings.mode = stringOf(validation.mode) === "AllowInsecureFallback" ? "OPTIONAL_MUTUAL" : "MUTUAL";
  const refs = listOf(validation.caCertificateRefs).map((ref) => recordOf(ref) ?? {});
  const first = refs[0];
  if (first && stringOf(first.name)) {
    const namespace = stringOf(first.namespace) ?? gateway.namespace;
    settings.caCertCredentialName =
      namespace === gateway.namespace ? String(first.name) : `kubernetes-gateway://${namespace}/${String(first.name)}`;
  }
  if (refs.length > 1)
    context.notes.warning("CONV609", "only the first caCertificateRef becomes the server's caCertCredentialName", gateway.source, [
      "spec",
      "tls",
      "frontend",
    ]);
}

/** One Istio Gateway per usable listener, with one server whose hosts carry the allowed namespaces. */
export function istioGateways(listeners: readonly Listener[], context: ReverseContext): Emitted[] {
  return listeners
    .filter((listener) => listener.usable)
    .map((listener) => {
      const server: PlainRecord = {
        port: { number: listener.port, name: listener.name, protocol: listener.protocol },
        hosts: listener.namespaces.map((namespace) => `${namespace}/${listener.hostname ?? "*"}`),
      };
      if (listener.tls) server.tls = listener.tls;
      const metadata = objectMeta(listener.istioGateway.name, listener.istioGateway.namespace, listener.owner);
      const object: KubeObject = {
        apiVersion: istioApiVersion,
        kind: "Gateway",
        metadata,
        spec: { selector: { ...context.options.selector }, servers: [server] },
      };
      return { object, from: listener.owner };
    });
}
