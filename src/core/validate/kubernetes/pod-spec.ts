import type { FieldError } from "../field-errors.js";
import { duplicate, forbidden, invalid, notFound, required, unsupported, type Path } from "./api-errors.js";
import { dns1123LabelProblems, envVarNameProblems } from "./names.js";
import { PORT_RANGE_MESSAGE, isValidPortNumber, portNameProblems } from "./ports.js";
import { quantityValue } from "./quantities.js";

/** A schema-valid object: fields have the types the schema gives them, or are absent. */
type Json = Record<string, unknown>;

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const map = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});

const restartPolicies = ["Always", "OnFailure", "Never"];
const dnsPolicies = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];
const pullPolicies = ["Always", "IfNotPresent", "Never"];
const protocols = ["SCTP", "TCP", "UDP"];
const probeHandlers = ["exec", "httpGet", "tcpSocket", "grpc"];

/** ValidatePodSpec, the cheap and version-independent part: containers, ports, env, volumes, resources, probes, policies. */
export function podSpecErrors(spec: Json, path: Path): FieldError[] {
  const errors: FieldError[] = [];
  const volumeNames = new Set<string>();
  for (const [index, volume] of list(spec.volumes).entries()) {
    const name = typeof volume.name === "string" ? volume.name : "";
    const namePath = [...path, "volumes", index, "name"];
    if (name === "") errors.push(required(namePath, "K8S_REQUIRED"));
    else {
      for (const problem of dns1123LabelProblems(name)) errors.push(invalid(namePath, name, "K8S_NAME", problem));
      if (volumeNames.has(name)) errors.push(duplicate(namePath, name));
    }
    volumeNames.add(name);
  }
  const containers = list(spec.containers);
  if (containers.length === 0) errors.push(required([...path, "containers"], "K8S_REQUIRED"));
  const containerNames = new Set<string>();
  for (const field of ["initContainers", "containers", "ephemeralContainers"] as const) {
    for (const [index, container] of list(spec[field]).entries()) {
      errors.push(...containerErrors(container, [...path, field, index], containerNames, volumeNames, field));
    }
  }
  if (typeof spec.restartPolicy === "string" && !restartPolicies.includes(spec.restartPolicy)) {
    errors.push(unsupported([...path, "restartPolicy"], spec.restartPolicy, restartPolicies));
  }
  if (typeof spec.dnsPolicy === "string" && !dnsPolicies.includes(spec.dnsPolicy)) {
    errors.push(unsupported([...path, "dnsPolicy"], spec.dnsPolicy, dnsPolicies));
  }
  for (const field of ["terminationGracePeriodSeconds", "activeDeadlineSeconds"] as const) {
    const value = spec[field];
    if (typeof value === "number" && (field === "activeDeadlineSeconds" ? value <= 0 : value < 0)) {
      errors.push(
        invalid(
          [...path, field],
          value,
          "K8S_INVALID",
          field === "activeDeadlineSeconds" ? "must be between 1 and 2147483647, inclusive" : "must be greater than or equal to 0",
        ),
      );
    }
  }
  return errors;
}

function containerErrors(container: Json, path: Path, names: Set<string>, volumes: Set<string>, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = typeof container.name === "string" ? container.name : "";
  if (name === "") errors.push(required([...path, "name"], "K8S_REQUIRED"));
  else {
    for (const problem of dns1123LabelProblems(name)) errors.push(invalid([...path, "name"], name, "K8S_NAME", problem));
    if (names.has(name)) errors.push(duplicate([...path, "name"], name));
    names.add(name);
  }
  if (typeof container.image !== "string" || container.image === "") errors.push(required([...path, "image"], "K8S_REQUIRED"));
  if (typeof container.imagePullPolicy === "string" && !pullPolicies.includes(container.imagePullPolicy)) {
    errors.push(unsupported([...path, "imagePullPolicy"], container.imagePullPolicy, pullPolicies));
  }
  if (field !== "ephemeralContainers") errors.push(...containerPortErrors(list(container.ports), [...path, "ports"]));
  for (const [index, variable] of list(container.env).entries()) {
    const variableName = typeof variable.name === "string" ? variable.name : "";
    if (variableName === "") errors.push(required([...path, "env", index, "name"], "K8S_REQUIRED"));
    for (const problem of variableName === "" ? [] : envVarNameProblems(variableName)) {
      errors.push(invalid([...path, "env", index, "name"], variableName, "K8S_NAME", problem));
    }
  }
  for (const [index, mount] of list(container.volumeMounts).entries()) {
    const mountName = typeof mount.name === "string" ? mount.name : "";
    if (mountName === "") errors.push(required([...path, "volumeMounts", index, "name"], "K8S_REQUIRED"));
    else if (!volumes.has(mountName)) errors.push(notFound([...path, "volumeMounts", index, "name"], mountName));
    if (mount.mountPath === "") errors.push(required([...path, "volumeMounts", index, "mountPath"], "K8S_REQUIRED"));
  }
  errors.push(...resourceErrors(map(container.resources), [...path, "resources"]));
  for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
    if (container[probe] !== undefined) errors.push(...probeErrors(map(container[probe]), [...path, probe]));
  }
  return errors;
}

function containerPortErrors(ports: Json[], path: Path): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  for (const [index, port] of ports.entries()) {
    const here = [...path, index];
    if (typeof port.name === "string" && port.name !== "") {
      const problems = portNameProblems(port.name);
      for (const problem of problems) errors.push(invalid([...here, "name"], port.name, "K8S_PORT", problem));
      if (problems.length === 0 && names.has(port.name)) errors.push(duplicate([...here, "name"], port.name));
      names.add(port.name);
    }
    if (port.containerPort === 0) errors.push(required([...here, "containerPort"], "K8S_REQUIRED"));
    else if (typeof port.containerPort === "number" && !isValidPortNumber(port.containerPort)) {
      errors.push(invalid([...here, "containerPort"], port.containerPort, "K8S_PORT", PORT_RANGE_MESSAGE));
    }
    if (typeof port.hostPort === "number" && port.hostPort !== 0 && !isValidPortNumber(port.hostPort)) {
      errors.push(invalid([...here, "hostPort"], port.hostPort, "K8S_PORT", PORT_RANGE_MESSAGE));
    }
    if (typeof port.protocol === "string" && !protocols.includes(port.protocol))
      errors.push(unsupported([...here, "protocol"], port.protocol, protocols));
  }
  return errors;
}

/** Requests and limits: non-negative, and a request never above its limit. */
export function resourceErrors(resources: Json, path: Path): FieldError[] {
  const errors: FieldError[] = [];
  const limits = map(resources.limits);
  const requests = map(resources.requests);
  for (const [field, quantities] of [
    ["limits", limits],
    ["requests", requests],
  ] as const) {
    for (const [resource, quantity] of Object.entries(quantities)) {
      const value = quantityValue(quantity as string | number);
      if (value !== undefined && value < 0)
        errors.push(invalid([...path, field, resource], quantity, "K8S_QUANTITY", "must be greater than or equal to 0"));
    }
  }
  for (const [resource, quantity] of Object.entries(requests)) {
    if (!(resource in limits)) continue;
    const request = quantityValue(quantity as string | number);
    const limit = quantityValue(limits[resource] as string | number);
    if (request !== undefined && limit !== undefined && request > limit) {
      errors.push(
        invalid(
          [...path, "requests", resource],
          String(quantity),
          "K8S_QUANTITY",
          `must be less than or equal to ${resource} limit of ${String(limits[resource])}`,
        ),
      );
    }
  }
  return errors;
}

function probeErrors(probe: Json, path: Path): FieldError[] {
  const handlers = probeHandlers.filter((handler) => probe[handler] !== undefined);
  if (handlers.length === 0) return [required(path, "K8S_REQUIRED", "must specify a handler type")];
  const errors = handlers.slice(1).map((handler) => forbidden([...path, handler], "may not specify more than 1 handler type"));
  for (const handler of ["httpGet", "tcpSocket"] as const) {
    const port = map(probe[handler]).port;
    if (typeof port === "number" && !isValidPortNumber(port))
      errors.push(invalid([...path, handler, "port"], port, "K8S_PORT", PORT_RANGE_MESSAGE));
    if (typeof port === "string") {
      for (const problem of portNameProblems(port)) errors.push(invalid([...path, handler, "port"], port, "K8S_PORT", problem));
    }
  }
  return errors;
}

/** ValidatePodTemplateSpec: the template's labels and annotations are checked by the metadata rules; the spec here. */
export function podTemplateErrors(template: Json, path: Path): FieldError[] {
  return podSpecErrors(map(template.spec), [...path, "spec"]);
}
