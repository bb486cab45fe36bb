import type { FieldError } from "../field-errors.js";
import type { ValidateOptions } from "../options.js";
import { isIP } from "../formats.js";
import { collector, hasPartialWildcard, wildcardDomainProblem } from "./webhook-rules.js";
import { isIstioDnsLabel } from "../../dns-names.js";
import { type JsonObject } from "../../json.js";

const protocols = ["HTTP", "HTTPS", "HTTP2", "GRPC", "GRPC-WEB", "HTTP_PROXY", "TCP", "TLS", "UDP", "MONGO", "REDIS", "MYSQL"];
const certificateFields = [
  "serverCertificate",
  "privateKey",
  "caCertificates",
  "credentialName",
  "credentialNames",
  "tlsCertificates",
  "caCrl",
];

/** networking.istio.io Gateway (docs/design/validation.md §3.2). */
export function validateIstioGateway(object: JsonObject, _options: ValidateOptions): FieldError[] {
  const { errors, report } = collector("ISTIO_GATEWAY");
  const name = (object.metadata as JsonObject | undefined)?.name;
  if (typeof name === "string" && !isIstioDnsLabel(name)) {
    report(["metadata", "name"], "Gateway names must be DNS labels (no dots)", { value: name, hint: `try "${name.replace(/\./g, "-")}"` });
  }
  const spec = (object.spec ?? {}) as JsonObject;
  const servers = Array.isArray(spec.servers) ? (spec.servers as JsonObject[]) : [];
  if (servers.length === 0) report(["spec", "servers"], "gateway must have at least one server");
  const portNames = new Map<string, number>();
  servers.forEach((server, index) => {
    const at = ["spec", "servers", index];
    const hosts = Array.isArray(server.hosts) ? (server.hosts as string[]) : [];
    if (hosts.length === 0) report([...at, "hosts"], "server config must contain at least one host");
    hosts.forEach((host, hostIndex) => {
      const problem = gatewayHostProblem(host);
      if (problem) report([...at, "hosts", hostIndex], problem, { value: host });
    });
    const port = server.port as JsonObject | undefined;
    if (!port) {
      report([...at, "port"], "port is required");
    } else {
      const portName = port.name;
      if (typeof portName !== "string" || portName === "")
        report([...at, "port", "name"], "port name must be set", { hint: "name each server port, e.g. http or https-443" });
      else if (portNames.has(portName))
        report(
          [...at, "port", "name"],
          `port names in servers must be unique: duplicate name ${portName} (also used by servers[${portNames.get(portName)}])`,
          { value: portName },
        );
      else portNames.set(portName, index);
      const protocol = typeof port.protocol === "string" ? port.protocol.toUpperCase() : "";
      if (!protocols.includes(protocol)) {
        report([...at, "port", "protocol"], `unrecognized protocol ${JSON.stringify(port.protocol ?? "")}`, {
          hint: `use one of ${protocols.join(", ")}`,
        });
      }
      const bind = typeof server.bind === "string" ? server.bind : "";
      const number = port.number;
      if (bind.startsWith("unix://")) {
        if (number !== 0 && number !== undefined)
          report([...at, "port", "number"], "port number must be 0 for a unix domain socket bind", { value: number });
      } else if (typeof number !== "number" || number < 1 || number > 65535) {
        report([...at, "port", "number"], "port number must be in the range 1..65535", { value: number ?? null });
      }
      if (port.targetPort !== undefined)
        report([...at, "port", "targetPort"], "targetPort has no effect on Gateways; remove it", { value: port.targetPort });
      if (bind !== "" && !isIP(bind) && !/^unix:\/\/(\/.*[^/]|@.+)$/.test(bind)) {
        report([...at, "bind"], "bind must be an IP address or unix:// followed by an absolute path or @abstract name", { value: bind });
      }
      checkServerTls(server, protocol, at, report);
    }
  });
  return errors;
}

function gatewayHostProblem(host: string): string | undefined {
  const slash = host.indexOf("/");
  let dnsName = host;
  if (slash !== -1) {
    const namespace = host.slice(0, slash);
    dnsName = host.slice(slash + 1);
    if (namespace !== "*" && namespace !== "." && !isIstioDnsLabel(namespace))
      return `invalid namespace ${JSON.stringify(namespace)} in host; use *, . or a namespace name`;
    if (dnsName.includes("/")) return "host must be namespace/dnsName or dnsName";
  }
  if (dnsName !== "*" && !dnsName.includes("."))
    return `short names (non FQDN) are not allowed in Gateway server hosts: ${JSON.stringify(dnsName)}`;
  if (isIP(dnsName)) return undefined;
  const problem = wildcardDomainProblem(dnsName);
  if (problem) return problem;
  if (hasPartialWildcard(dnsName)) return `partial wildcard ${JSON.stringify(dnsName)} not allowed; use * or a leading *.`;
  return undefined;
}

function checkServerTls(
  server: JsonObject,
  protocol: string,
  at: (string | number)[],
  report: ReturnType<typeof collector>["report"],
): void {
  const tls = server.tls as JsonObject | undefined;
  const isTls = protocol === "HTTPS" || protocol === "TLS";
  if (isTls && !tls) {
    report([...at, "tls"], `server must have TLS settings for HTTPS/TLS protocols`, {
      hint: "add tls.mode (e.g. SIMPLE) and tls.credentialName",
    });
    return;
  }
  if (!tls) return;
  const mode = typeof tls.mode === "string" ? tls.mode : "PASSTHROUGH";
  const has = (field: string) =>
    tls[field] !== undefined && tls[field] !== "" && !(Array.isArray(tls[field]) && (tls[field] as unknown[]).length === 0);
  if (!isTls) {
    if (protocol === "HTTP") {
      if (mode !== "PASSTHROUGH" || has("serverCertificate") || has("privateKey") || has("caCertificates") || has("credentialName")) {
        report([...at, "tls"], "server cannot have TLS settings for plain text HTTP ports (only httpsRedirect)");
      }
    } else {
      report([...at, "tls"], `server cannot have TLS settings for non HTTPS/TLS ports (protocol ${protocol})`);
    }
    if (tls.httpsRedirect && protocol !== "HTTP")
      report([...at, "tls", "httpsRedirect"], "tls.httpsRedirect should only be used with http servers", { warning: true });
    return;
  }
  if (tls.httpsRedirect)
    report([...at, "tls", "httpsRedirect"], "tls.httpsRedirect should only be used with http servers", { warning: true });
  if (mode === "ISTIO_MUTUAL") {
    for (const field of certificateFields)
      if (has(field)) report([...at, "tls", field], `ISTIO_MUTUAL TLS cannot have associated ${field}`);
    return;
  }
  if (mode === "PASSTHROUGH" || mode === "AUTO_PASSTHROUGH") {
    if (certificateFields.some(has))
      report([...at, "tls"], `${mode} mode does not use certificates; they will be ignored`, { warning: true });
    return;
  }
  const sources = [
    has("serverCertificate") || has("privateKey"),
    has("credentialName"),
    has("credentialNames"),
    has("tlsCertificates"),
  ].filter(Boolean).length;
  if (sources > 1)
    report([...at, "tls"], "only one of serverCertificate/privateKey, credentialName, credentialNames or tlsCertificates may be set");
  if (!has("credentialName") && !has("credentialNames")) {
    if (has("tlsCertificates")) {
      (tls.tlsCertificates as JsonObject[]).forEach((certificate, index) => {
        if (!certificate.serverCertificate || !certificate.privateKey)
          report([...at, "tls", "tlsCertificates", index], `${mode} TLS requires serverCertificate and privateKey`);
      });
    } else {
      if (!has("serverCertificate"))
        report([...at, "tls", "serverCertificate"], `${mode} TLS requires a server certificate`, {
          hint: "or set tls.credentialName to a Secret with the certificate",
        });
      if (!has("privateKey"))
        report([...at, "tls", "privateKey"], `${mode} TLS requires a private key`, {
          hint: "or set tls.credentialName to a Secret with the key",
        });
    }
    if ((mode === "MUTUAL" || mode === "OPTIONAL_MUTUAL") && !has("caCertificates"))
      report([...at, "tls", "caCertificates"], `${mode} TLS requires a client CA bundle (caCertificates)`);
  }
  if (has("caCrl") && (has("credentialName") || mode === "SIMPLE"))
    report([...at, "tls", "caCrl"], "caCrl cannot be used with credentialName or SIMPLE mode");
  const certificates =
    (Array.isArray(tls.credentialNames) ? tls.credentialNames.length : 0) +
    (Array.isArray(tls.tlsCertificates) ? tls.tlsCertificates.length : 0);
  if (certificates > 2)
    report([...at, "tls"], "more than two certificates; only one RSA and one ECDSA certificate are used", { warning: true });
}
