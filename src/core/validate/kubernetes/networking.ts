import type { FieldError } from "../field-errors.js";
import { isDns1123Subdomain } from "../../dns-names.js";
import { labelValueProblems, qualifiedNameProblems } from "../metadata.js";
import { duplicate, forbidden, invalid, required, unsupported, type Path } from "./api-errors.js";
import { dns1123LabelProblems } from "./names.js";
import { PORT_RANGE_MESSAGE, isValidPortNumber, portNameProblems } from "./ports.js";
import { labelSelectorErrors } from "./selectors.js";

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const map = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});

const serviceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const protocols = ["SCTP", "TCP", "UDP"];

export function serviceErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const errors: FieldError[] = [];
  const type = typeof spec.type === "string" ? spec.type : "ClusterIP";
  if (!serviceTypes.includes(type)) errors.push(unsupported(["spec", "type"], type, serviceTypes));
  const ports = list(spec.ports);
  const headless = spec.clusterIP === "None";
  if (type === "ExternalName") {
    const externalName = spec.externalName;
    if (typeof externalName !== "string" || externalName === "") errors.push(required(["spec", "externalName"], "K8S_REQUIRED"));
    else if (!isDns1123Subdomain(externalName.replace(/\.$/, ""))) {
      errors.push(
        invalid(
          ["spec", "externalName"],
          externalName,
          "K8S_NAME",
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ),
      );
    }
  } else if (ports.length === 0 && !headless) {
    errors.push(required(["spec", "ports"], "K8S_REQUIRED"));
  }
  const names = new Set<string>();
  for (const [index, port] of ports.entries()) {
    const here = ["spec", "ports", index];
    const name = typeof port.name === "string" ? port.name : "";
    if (name === "") {
      if (ports.length > 1) errors.push(required([...here, "name"], "K8S_REQUIRED"));
    } else {
      for (const problem of dns1123LabelProblems(name)) errors.push(invalid([...here, "name"], name, "K8S_NAME", problem));
      if (names.has(name)) errors.push(duplicate([...here, "name"], name));
      names.add(name);
    }
    if (typeof port.port === "number" && !isValidPortNumber(port.port))
      errors.push(invalid([...here, "port"], port.port, "K8S_PORT", PORT_RANGE_MESSAGE));
    if (typeof port.protocol === "string" && !protocols.includes(port.protocol))
      errors.push(unsupported([...here, "protocol"], port.protocol, protocols));
    const target = port.targetPort;
    if (typeof target === "number" && target !== 0 && !isValidPortNumber(target)) {
      errors.push(invalid([...here, "targetPort"], target, "K8S_PORT", PORT_RANGE_MESSAGE));
    } else if (typeof target === "string") {
      for (const problem of portNameProblems(target)) errors.push(invalid([...here, "targetPort"], target, "K8S_PORT", problem));
    }
    if (port.nodePort !== undefined && port.nodePort !== 0 && (type === "ClusterIP" || type === "ExternalName")) {
      errors.push(forbidden([...here, "nodePort"], `may not be used when \`type\` is '${type}'`));
    }
  }
  for (const [key, value] of Object.entries(map(spec.selector))) {
    for (const problem of qualifiedNameProblems(key)) errors.push(invalid(["spec", "selector"], key, "K8S_NAME", problem));
    if (typeof value === "string")
      for (const problem of labelValueProblems(value)) errors.push(invalid(["spec", "selector"], value, "K8S_NAME", problem));
  }
  const affinity = spec.sessionAffinity;
  if (affinity !== undefined && affinity !== "ClientIP" && affinity !== "None")
    errors.push(unsupported(["spec", "sessionAffinity"], affinity, ["ClientIP", "None"]));
  for (const field of ["externalTrafficPolicy", "internalTrafficPolicy"] as const) {
    const policy = spec[field];
    if (policy !== undefined && policy !== "Cluster" && policy !== "Local")
      errors.push(unsupported(["spec", field], policy, ["Cluster", "Local"]));
  }
  return errors;
}

const pathTypes = ["Exact", "ImplementationSpecific", "Prefix"];

export function ingressErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const errors: FieldError[] = [];
  const rules = list(spec.rules);
  if (rules.length === 0 && spec.defaultBackend === undefined) {
    errors.push(invalid(["spec"], "object", "K8S_REQUIRED", "either `defaultBackend` or `rules` must be specified"));
  }
  if (spec.defaultBackend !== undefined) errors.push(...ingressBackendErrors(map(spec.defaultBackend), ["spec", "defaultBackend"]));
  for (const [index, rule] of rules.entries()) {
    const here = ["spec", "rules", index];
    if (typeof rule.host === "string" && rule.host !== "") {
      const host = rule.host.startsWith("*.") ? rule.host.slice(2) : rule.host;
      if (/^[0-9.]+$/.test(rule.host) || rule.host.includes(":"))
        errors.push(invalid([...here, "host"], rule.host, "K8S_NAME", "must be a DNS name, not an IP address"));
      else if (!isDns1123Subdomain(host)) {
        errors.push(
          invalid(
            [...here, "host"],
            rule.host,
            "K8S_NAME",
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
          ),
        );
      }
    }
    for (const [pathIndex, entry] of list(map(rule.http).paths).entries()) {
      const pathHere = [...here, "http", "paths", pathIndex];
      const pathType = entry.pathType;
      if (typeof pathType === "string" && !pathTypes.includes(pathType))
        errors.push(unsupported([...pathHere, "pathType"], pathType, pathTypes));
      if ((pathType === "Exact" || pathType === "Prefix") && typeof entry.path === "string" && !entry.path.startsWith("/")) {
        errors.push(invalid([...pathHere, "path"], entry.path, "K8S_INVALID", "must be an absolute path"));
      }
      errors.push(...ingressBackendErrors(map(entry.backend), [...pathHere, "backend"]));
    }
  }
  return errors;
}

function ingressBackendErrors(backend: Json, path: Path): FieldError[] {
  const hasService = backend.service !== undefined;
  const hasResource = backend.resource !== undefined;
  if (hasService && hasResource) return [invalid(path, "", "K8S_INVALID", "cannot set both resource and service backends")];
  if (!hasService && !hasResource) return [invalid(path, "", "K8S_REQUIRED", "resource or service backend is required")];
  if (!hasService) return [];
  const port = map(map(backend.service).port);
  const servicePath = [...path, "service", "port"];
  const hasName = typeof port.name === "string" && port.name !== "";
  const hasNumber = typeof port.number === "number" && port.number !== 0;
  if (hasName && hasNumber) return [invalid(servicePath, "object", "K8S_INVALID", "cannot set both port name & port number")];
  if (!hasName && !hasNumber) return [required(servicePath, "K8S_REQUIRED", "port name or number is required")];
  if (hasNumber && !isValidPortNumber(port.number as number))
    return [invalid([...servicePath, "number"], port.number, "K8S_PORT", PORT_RANGE_MESSAGE)];
  if (hasName)
    return portNameProblems(port.name as string).map((problem) => invalid([...servicePath, "name"], port.name, "K8S_PORT", problem));
  return [];
}

export function ingressClassErrors(object: Json): FieldError[] {
  const controller = map(object.spec).controller;
  if (typeof controller !== "string" || controller === "") return [required(["spec", "controller"], "K8S_REQUIRED")];
  const slash = controller.indexOf("/");
  if (slash <= 0 || !isDns1123Subdomain(controller.slice(0, slash))) {
    return [invalid(["spec", "controller"], controller, "K8S_INVALID", 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  return [];
}

export function networkPolicyErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const errors = labelSelectorErrors(map(spec.podSelector), ["spec", "podSelector"]);
  for (const [index, type] of ((spec.policyTypes as unknown[]) ?? []).entries()) {
    if (type !== "Ingress" && type !== "Egress") errors.push(unsupported(["spec", "policyTypes", index], type, ["Egress", "Ingress"]));
  }
  for (const direction of ["ingress", "egress"] as const) {
    for (const [index, rule] of list(spec[direction]).entries()) {
      for (const [portIndex, port] of list(rule.ports).entries()) {
        const here = ["spec", direction, index, "ports", portIndex];
        if (typeof port.protocol === "string" && !protocols.includes(port.protocol))
          errors.push(unsupported([...here, "protocol"], port.protocol, protocols));
        if (typeof port.port === "number" && !isValidPortNumber(port.port))
          errors.push(invalid([...here, "port"], port.port, "K8S_PORT", PORT_RANGE_MESSAGE));
        if (typeof port.port === "string")
          for (const problem of portNameProblems(port.port)) errors.push(invalid([...here, "port"], port.port, "K8S_PORT", problem));
        if (typeof port.endPort === "number") {
          if (typeof port.port !== "number")
            errors.push(required([...here, "port"], "K8S_REQUIRED", "must be specified when endPort is specified"));
          else if (port.endPort < port.port)
            errors.push(invalid([...here, "endPort"], port.endPort, "K8S_PORT", "must be greater than or equal to `port`"));
        }
      }
    }
  }
  return errors;
}

export function endpointSliceErrors(object: Json): FieldError[] {
  const errors: FieldError[] = [];
  for (const [index, port] of list(object.ports).entries()) {
    if (typeof port.protocol === "string" && !protocols.includes(port.protocol))
      errors.push(unsupported(["ports", index, "protocol"], port.protocol, protocols));
    if (typeof port.port === "number" && !isValidPortNumber(port.port))
      errors.push(invalid(["ports", index, "port"], port.port, "K8S_PORT", PORT_RANGE_MESSAGE));
  }
  const addressType = object.addressType;
  if (typeof addressType === "string" && !["FQDN", "IPv4", "IPv6"].includes(addressType)) {
    errors.push(unsupported(["addressType"], addressType, ["FQDN", "IPv4", "IPv6"]));
  }
  return errors;
}

export function endpointsErrors(object: Json): FieldError[] {
  const errors: FieldError[] = [];
  for (const [index, subset] of list(object.subsets).entries()) {
    for (const [portIndex, port] of list(subset.ports).entries()) {
      const here = ["subsets", index, "ports", portIndex];
      if (typeof port.protocol === "string" && !protocols.includes(port.protocol))
        errors.push(unsupported([...here, "protocol"], port.protocol, protocols));
      if (typeof port.port === "number" && !isValidPortNumber(port.port))
        errors.push(invalid([...here, "port"], port.port, "K8S_PORT", PORT_RANGE_MESSAGE));
    }
  }
  return errors;
}
