import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import { ExternalNameServiceTypeInvalidPortName, PortNameIsNotUnderNamingConvention } from "../messages.js";
import { integer, labelsOf, record, records, specOf, text } from "../values.js";

/** Namespaces the sidecar injector (and so this analyser) ignores. */
const ignoredNamespaces = new Set(["kube-system", "kube-public", "kube-node-lease", "local-path-storage"]);
/** Protocols Istio reads from a port name's prefix (`http-web`, `grpc`, …), case-insensitive. */
const namedProtocols = new Set([
  "tcp",
  "udp",
  "sctp",
  "grpc",
  "grpc-web",
  "http",
  "http_proxy",
  "http2",
  "https",
  "tls",
  "mongo",
  "redis",
  "mysql",
]);
/** Ports Istio treats as TCP whatever their name (protocol sniffing would break them). */
const wellKnownPorts = new Set([25, 53, 3306, 27017]);

/** Istio's ConvertProtocol: whether the port's protocol is known from its protocol, appProtocol, name or number. */
function protocolKnown(port: Record<string, unknown>): boolean {
  const protocol = text(port.protocol);
  if (protocol === "UDP" || protocol === "SCTP") return true;
  let name = text(port.appProtocol) ?? text(port.name) ?? "";
  if (["kubernetes.io/h2c", "kubernetes.io/ws", "kubernetes.io/wss"].includes(name)) return true;
  name = name.toLowerCase();
  if (name.startsWith("grpc-web")) return true;
  const dash = name.indexOf("-");
  if (dash >= 0) name = name.slice(0, dash);
  return namedProtocols.has(name) || wellKnownPorts.has(integer(port.port) ?? -1);
}

/** Go's IntOrString.String() of targetPort (unset is 0: files are analysed as written, before defaulting). */
function targetPortText(value: unknown): string {
  if (typeof value === "number" || typeof value === "string") return String(value);
  return "0";
}

/** Service ports whose protocol Istio cannot tell from the name (IST0118), ExternalName services with such ports (IST0150). */
export const servicePortNames: Analyzer = {
  name: "service.PortNameAnalyzer",
  description: "Checks the port names associated with each service",
  codes: [PortNameIsNotUnderNamingConvention.code, ExternalNameServiceTypeInvalidPortName.code],
  inputs: ["Service"],
  analyze(context) {
    for (const service of context.of("Service")) {
      if (ignoredNamespaces.has(namespaceOf(service))) continue;
      const labels = labelsOf(record(service.object.metadata).labels);
      // Istio's own control plane and gateways (label `istio`, or release=istio) are not checked.
      if (labels.istio !== undefined || labels.release === "istio") continue;
      const spec = specOf(service.object);
      const externalName = spec.type === "ExternalName";
      records(spec.ports).forEach((port, index) => {
        const name = text(port.name) ?? "";
        if (protocolKnown(port) && !(externalName && name === "tcp")) return;
        const path = ["spec", "ports", index];
        if (externalName) context.report(service, ExternalNameServiceTypeInvalidPortName, path);
        else
          context.report(service, PortNameIsNotUnderNamingConvention, path, name, integer(port.port) ?? 0, targetPortText(port.targetPort));
      });
    }
  },
};
