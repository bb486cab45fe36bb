import type { FieldError } from "../field-errors.js";
import { forbidden, invalid, required, unsupported } from "./api-errors.js";
import { percentProblems } from "./names.js";
import { quantityValue } from "./quantities.js";
import { labelSelectorErrors } from "./selectors.js";

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const map = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});

export function horizontalPodAutoscalerErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const errors: FieldError[] = [];
  const min = typeof spec.minReplicas === "number" ? spec.minReplicas : 1;
  if (typeof spec.minReplicas === "number" && spec.minReplicas < 1) {
    errors.push(invalid(["spec", "minReplicas"], spec.minReplicas, "K8S_INVALID", "must be greater than or equal to 1"));
  }
  if (typeof spec.maxReplicas === "number") {
    if (spec.maxReplicas < 1) errors.push(invalid(["spec", "maxReplicas"], spec.maxReplicas, "K8S_INVALID", "must be greater than 0"));
    else if (spec.maxReplicas < min)
      errors.push(invalid(["spec", "maxReplicas"], spec.maxReplicas, "K8S_INVALID", "must be greater than or equal to `minReplicas`"));
  }
  const target = map(spec.scaleTargetRef);
  for (const field of ["kind", "name"] as const) {
    if (typeof target[field] !== "string" || target[field] === "") errors.push(required(["spec", "scaleTargetRef", field], "K8S_REQUIRED"));
  }
  const metricTypes = ["ContainerResource", "External", "Object", "Pods", "Resource"];
  for (const [index, metric] of list(spec.metrics).entries()) {
    if (typeof metric.type === "string" && !metricTypes.includes(metric.type))
      errors.push(unsupported(["spec", "metrics", index, "type"], metric.type, metricTypes));
  }
  return errors;
}

export function podDisruptionBudgetErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const errors: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errors.push(invalid(["spec"], "object", "K8S_INVALID", "minAvailable and maxUnavailable cannot be both set"));
  }
  for (const field of ["minAvailable", "maxUnavailable"] as const) {
    const value = spec[field];
    if (typeof value === "number" && value < 0)
      errors.push(invalid(["spec", field], value, "K8S_INVALID", "must be greater than or equal to 0"));
    if (typeof value === "string") {
      for (const problem of percentProblems(value)) errors.push(invalid(["spec", field], value, "K8S_INVALID", problem));
      if (percentProblems(value).length === 0 && Number(value.slice(0, -1)) > 100) {
        errors.push(invalid(["spec", field], value, "K8S_INVALID", "must not be greater than 100%"));
      }
    }
  }
  if (spec.selector !== undefined) errors.push(...labelSelectorErrors(map(spec.selector), ["spec", "selector"]));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== "AlwaysAllow" && policy !== "IfHealthyBudget") {
    errors.push(unsupported(["spec", "unhealthyPodEvictionPolicy"], policy, ["AlwaysAllow", "IfHealthyBudget"]));
  }
  return errors;
}

const HIGHEST_USER_PRIORITY = 1_000_000_000;
const systemPriorityClasses = new Set(["system-cluster-critical", "system-node-critical"]);

export function priorityClassErrors(object: Json): FieldError[] {
  const errors: FieldError[] = [];
  const name = typeof map(object.metadata).name === "string" ? (map(object.metadata).name as string) : "";
  if (name.startsWith("system-") && !systemPriorityClasses.has(name)) {
    errors.push(forbidden(["metadata", "name"], "priority class names with 'system-' prefix are reserved for system use only"));
  } else if (!systemPriorityClasses.has(name) && typeof object.value === "number" && object.value > HIGHEST_USER_PRIORITY) {
    errors.push(forbidden(["value"], `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  }
  const policy = object.preemptionPolicy;
  if (policy !== undefined && policy !== "Never" && policy !== "PreemptLowerPriority") {
    errors.push(unsupported(["preemptionPolicy"], policy, ["Never", "PreemptLowerPriority"]));
  }
  return errors;
}

export function resourceQuotaErrors(object: Json): FieldError[] {
  const errors: FieldError[] = [];
  for (const [resource, quantity] of Object.entries(map(map(object.spec).hard))) {
    const value = quantityValue(quantity as string | number);
    if (value !== undefined && value < 0)
      errors.push(invalid(["spec", "hard", resource], quantity, "K8S_QUANTITY", "must be greater than or equal to 0"));
  }
  return errors;
}

const limitTypes = ["Container", "PersistentVolumeClaim", "Pod"];

export function limitRangeErrors(object: Json): FieldError[] {
  const errors: FieldError[] = [];
  for (const [index, limit] of list(map(object.spec).limits).entries()) {
    if (typeof limit.type === "string" && !limitTypes.includes(limit.type))
      errors.push(unsupported(["spec", "limits", index, "type"], limit.type, limitTypes));
    const min = map(limit.min);
    const max = map(limit.max);
    for (const [resource, quantity] of Object.entries(min)) {
      if (!(resource in max)) continue;
      const low = quantityValue(quantity as string | number);
      const high = quantityValue(max[resource] as string | number);
      if (low !== undefined && high !== undefined && low > high) {
        errors.push(
          invalid(
            ["spec", "limits", index, "min", resource],
            quantity,
            "K8S_QUANTITY",
            `min value ${String(quantity)} is greater than max value ${String(max[resource])}`,
          ),
        );
      }
    }
  }
  return errors;
}

const accessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

export function persistentVolumeClaimErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const errors: FieldError[] = [];
  const modes = Array.isArray(spec.accessModes) ? (spec.accessModes as unknown[]) : [];
  if (modes.length === 0) errors.push(required(["spec", "accessModes"], "K8S_REQUIRED", "at least 1 access mode is required"));
  for (const mode of modes) if (!accessModes.includes(mode as string)) errors.push(unsupported(["spec", "accessModes"], mode, accessModes));
  const storage = map(map(spec.resources).requests).storage;
  if (storage === undefined) errors.push(required(["spec", "resources", "requests", "storage"], "K8S_REQUIRED"));
  else {
    const value = quantityValue(storage as string | number);
    if (value !== undefined && value <= 0)
      errors.push(invalid(["spec", "resources", "requests", "storage"], storage, "K8S_QUANTITY", "must be greater than zero"));
  }
  if (spec.volumeMode !== undefined && spec.volumeMode !== "Block" && spec.volumeMode !== "Filesystem") {
    errors.push(unsupported(["spec", "volumeMode"], spec.volumeMode, ["Block", "Filesystem"]));
  }
  return errors;
}

export function storageClassErrors(object: Json): FieldError[] {
  const errors: FieldError[] = [];
  if (object.reclaimPolicy !== undefined && object.reclaimPolicy !== "Delete" && object.reclaimPolicy !== "Retain") {
    errors.push(unsupported(["reclaimPolicy"], object.reclaimPolicy, ["Delete", "Retain"]));
  }
  const binding = object.volumeBindingMode;
  if (binding !== undefined && binding !== "Immediate" && binding !== "WaitForFirstConsumer") {
    errors.push(unsupported(["volumeBindingMode"], binding, ["Immediate", "WaitForFirstConsumer"]));
  }
  return errors;
}
