import type { FieldError } from "../field-errors.js";
import type { ValidateOptions } from "../options.js";
import { isCIDR, isIP } from "../formats.js";
import {
  collector,
  exportToProblems,
  fqdnProblem,
  hasPartialWildcard,
  isPort,
  labelMapProblems,
  wildcardDomainProblem,
} from "./webhook-rules.js";
import { isIstioDnsLabel } from "../../dns-names.js";
import { recordsOf, type JsonObject } from "../../json.js";

const knownProtocols = new Set([
  "HTTP",
  "HTTPS",
  "HTTP2",
  "GRPC",
  "GRPC-WEB",
  "HTTP_PROXY",
  "TCP",
  "TLS",
  "UDP",
  "MONGO",
  "REDIS",
  "MYSQL",
]);

/** networking.istio.io ServiceEntry (docs/design/validation.md §3.5). */
export function validateIstioServiceEntry(object: JsonObject, options: ValidateOptions): FieldError[] {
  const { errors, report } = collector("ISTIO_SERVICEENTRY");
  const spec = (object.spec ?? {}) as JsonObject;
  const namespace = ((object.metadata as JsonObject | undefined)?.namespace as string | undefined) ?? options.defaultNamespace;
  const resolution = (spec.resolution as string | undefined) ?? "NONE";
  const hosts = Array.isArray(spec.hosts) ? (spec.hosts as string[]) : [];
  if (hosts.length === 0) report(["spec", "hosts"], "service entry must have at least one host");
  hosts.forEach((host, index) => {
    if (host === "*") report(["spec", "hosts", index], "invalid host *", { value: host });
    else {
      const problem = wildcardDomainProblem(host);
      if (problem) report(["spec", "hosts", index], problem, { value: host });
      else if (hasPartialWildcard(host) && resolution !== "DYNAMIC_DNS")
        report(["spec", "hosts", index], `partial wildcard ${JSON.stringify(host)} is not supported`, { warning: true });
    }
  });
  const addresses = Array.isArray(spec.addresses) ? (spec.addresses as string[]) : [];
  addresses.forEach((address, index) => {
    if (isCIDR(address)) {
      if (resolution !== "NONE" && resolution !== "STATIC")
        report(["spec", "addresses", index], "CIDR addresses are allowed only for NONE/STATIC resolution types", { value: address });
    } else if (!isIP(address)) report(["spec", "addresses", index], "address must be an IP address or CIDR", { value: address });
  });
  const endpoints = recordsOf(spec.endpoints);
  if (spec.workloadSelector && endpoints.length > 0)
    report(["spec"], "only one of workloadSelector or endpoints is allowed in service entry");
  const selectorLabels = (spec.workloadSelector as JsonObject | undefined)?.labels;
  if (spec.workloadSelector && (!selectorLabels || Object.keys(selectorLabels).length === 0))
    report(["spec", "workloadSelector"], "workloadSelector has no labels; it selects every workload", { warning: true });
  for (const problem of labelMapProblems(selectorLabels)) report(["spec", "workloadSelector", "labels"], problem);

  const portNames = new Set<string>();
  const portNumbers = new Set<number>();
  let nonHttpPort = false;
  recordsOf(spec.ports).forEach((port, index) => {
    const at = ["spec", "ports", index];
    if (typeof port.name !== "string" || !isIstioDnsLabel(port.name))
      report([...at, "name"], "port name must be a DNS label", { value: port.name ?? null });
    else if (portNames.has(port.name)) report([...at, "name"], `port name ${JSON.stringify(port.name)} already defined`);
    if (typeof port.name === "string") portNames.add(port.name);
    if (!isPort(port.number)) report([...at, "number"], "port number must be in the range 1..65535", { value: port.number ?? null });
    else if (portNumbers.has(port.number as number)) report([...at, "number"], `port number ${String(port.number)} already defined`);
    if (typeof port.number === "number") portNumbers.add(port.number);
    if (port.targetPort !== undefined && !isPort(port.targetPort))
      report([...at, "targetPort"], "targetPort must be in the range 1..65535", { value: port.targetPort });
    const protocol = typeof port.protocol === "string" ? port.protocol.toUpperCase() : "";
    if (protocol !== "" && !knownProtocols.has(protocol))
      report([...at, "protocol"], `unrecognized protocol ${JSON.stringify(port.protocol)}`);
    if (!["HTTP", "HTTPS", "HTTP2", "GRPC", "GRPC-WEB", "TLS"].includes(protocol)) nonHttpPort = true;
    if ((protocol === "" || protocol === "TCP") && addresses.length === 0 && resolution !== "DYNAMIC_DNS") {
      report(
        [...at, "protocol"],
        "TCP (or unset protocol) port without addresses: traffic is matched by port only and may go to the wrong service",
        { warning: true, hint: "set spec.addresses, or enable address auto-allocation" },
      );
    }
  });
  if (hosts.length > 1 && nonHttpPort && resolution !== "NONE") {
    report(["spec", "hosts"], "multiple hosts are not supported for non-HTTP/TLS ports unless resolution is NONE");
  }
  switch (resolution) {
    case "NONE":
      if (endpoints.length > 0) report(["spec", "endpoints"], "no endpoints should be provided for resolution type NONE");
      if (spec.workloadSelector)
        report(["spec", "workloadSelector"], "workloadSelector is ignored with resolution NONE", { warning: true });
      break;
    case "STATIC":
      endpoints.forEach((endpoint, index) => {
        const address = endpoint.address;
        if (typeof address === "string" && !address.startsWith("unix://") && !isIP(address))
          report(["spec", "endpoints", index, "address"], "endpoint address must be an IP address for STATIC resolution", {
            value: address,
          });
      });
      break;
    case "DNS":
    case "DNS_ROUND_ROBIN":
      if (endpoints.length === 0) {
        hosts.forEach((host, index) => {
          const problem = fqdnProblem(host);
          if (problem)
            report(["spec", "hosts", index], `hosts must be FQDNs when resolution is ${resolution} and there are no endpoints: ${problem}`);
        });
      }
      if (resolution === "DNS_ROUND_ROBIN" && endpoints.length > 1)
        report(["spec", "endpoints"], "DNS_ROUND_ROBIN resolution supports at most one endpoint");
      endpoints.forEach((endpoint, index) => {
        const address = endpoint.address;
        if (typeof address === "string" && !address.startsWith("unix://") && !isIP(address) && fqdnProblem(address)) {
          report(["spec", "endpoints", index, "address"], "endpoint address must be an IP address or FQDN", { value: address });
        }
      });
      break;
    case "DYNAMIC_DNS":
      if (addresses.length > 0) report(["spec", "addresses"], "addresses are not allowed with DYNAMIC_DNS resolution");
      if (endpoints.length > 0) report(["spec", "endpoints"], "endpoints are not allowed with DYNAMIC_DNS resolution");
      hosts.forEach((host, index) => {
        if (!host.startsWith("*")) report(["spec", "hosts", index], "DYNAMIC_DNS resolution requires wildcard hosts", { value: host });
      });
      break;
  }
  endpoints.forEach((endpoint, index) => {
    const ports = endpoint.ports;
    if (typeof ports === "object" && ports !== null) {
      for (const [name, number] of Object.entries(ports as JsonObject)) {
        if (!portNames.has(name))
          report(
            ["spec", "endpoints", index, "ports", name],
            `endpoint port ${JSON.stringify(name)} is not one of the service entry's ports`,
          );
        if (!isPort(number)) report(["spec", "endpoints", index, "ports", name], "port must be in the range 1..65535", { value: number });
      }
    }
    for (const problem of labelMapProblems(endpoint.labels)) report(["spec", "endpoints", index, "labels"], problem);
  });
  for (const problem of exportToProblems(spec.exportTo, namespace, true)) report(["spec", "exportTo"], problem);
  return errors;
}
