import type { FieldError } from "../field-errors.js";
import { labelValueProblems, qualifiedNameProblems } from "../metadata.js";
import { forbidden, invalid, required, unsupported, type Path } from "./api-errors.js";
import { percentProblems } from "./names.js";
import { podSpecErrors } from "./pod-spec.js";
import { labelSelectorMatches, type LabelSelector } from "../../label-selectors.js";
import { isEmptySelector, labelSelectorErrors } from "./selectors.js";

type Json = Record<string, unknown>;
const map = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});

const NONNEGATIVE = "must be greater than or equal to 0";

function nonNegative(spec: Json, fields: readonly string[], path: Path): FieldError[] {
  return fields
    .filter((field) => typeof spec[field] === "number" && spec[field] < 0)
    .map((field) => invalid([...path, field], spec[field], "K8S_INVALID", NONNEGATIVE));
}

/** Labels of a pod template (unversioned ValidateLabels): the template's metadata is not checked elsewhere. */
function templateLabelErrors(template: Json, path: Path): FieldError[] {
  const errors: FieldError[] = [];
  const labelsPath = [...path, "metadata", "labels"];
  for (const [key, value] of Object.entries(map(map(template.metadata).labels))) {
    for (const problem of qualifiedNameProblems(key)) errors.push(invalid(labelsPath, key, "K8S_NAME", problem));
    if (typeof value === "string")
      for (const problem of labelValueProblems(value)) errors.push(invalid(labelsPath, value, "K8S_NAME", problem));
  }
  return errors;
}

/**
 * The selector rules shared by Deployment, ReplicaSet, StatefulSet and DaemonSet: required, valid, not empty,
 * and matching the pod template's labels (otherwise the controller would never see its own pods).
 */
function selectorErrors(spec: Json, path: Path, what: string): FieldError[] {
  if (spec.selector === undefined) return [required([...path, "selector"], "K8S_REQUIRED")];
  const selector = map(spec.selector) as LabelSelector;
  const errors = labelSelectorErrors(selector, [...path, "selector"]);
  if (isEmptySelector(selector)) {
    errors.push(invalid([...path, "selector"], "object", "K8S_SELECTOR", `empty selector is invalid for ${what}`));
    return errors;
  }
  if (errors.length > 0) return errors;
  const labels = map(map(map(spec.template).metadata).labels) as Record<string, string>;
  if (!labelSelectorMatches(selector, labels)) {
    errors.push(
      invalid([...path, "template", "metadata", "labels"], labels, "K8S_SELECTOR", "`selector` does not match template `labels`"),
    );
  }
  return errors;
}

function restartPolicyMustBe(spec: Json, path: Path, allowed: string[]): FieldError[] {
  // The pod defaults fill an absent restartPolicy with Always before validation.
  const policy = map(map(spec.template).spec).restartPolicy ?? "Always";
  return allowed.includes(policy as string) ? [] : [unsupported([...path, "template", "spec", "restartPolicy"], policy, allowed)];
}

function rollingPercentErrors(value: unknown, path: Path): FieldError[] {
  if (typeof value === "number") return value < 0 ? [invalid(path, value, "K8S_INVALID", NONNEGATIVE)] : [];
  if (typeof value !== "string") return [];
  const problems = percentProblems(value);
  if (problems.length > 0) return problems.map((problem) => invalid(path, value, "K8S_INVALID", problem));
  return Number(value.slice(0, -1)) > 100 ? [invalid(path, value, "K8S_INVALID", "must not be greater than 100%")] : [];
}

const intOrPercent = (value: unknown): number =>
  typeof value === "number" ? value : typeof value === "string" ? Number.parseInt(value, 10) || 0 : 0;

export function deploymentErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const path = ["spec"];
  const errors = [...nonNegative(spec, ["replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"], path)];
  errors.push(...selectorErrors(spec, path, "deployment"));
  errors.push(...templateLabelErrors(map(spec.template), [...path, "template"]));
  errors.push(...podSpecErrors(map(map(spec.template).spec), [...path, "template", "spec"]));
  errors.push(...restartPolicyMustBe(spec, path, ["Always"]));
  const strategy = map(spec.strategy);
  const type = strategy.type ?? "RollingUpdate";
  if (type === "Recreate") {
    if (strategy.rollingUpdate !== undefined) {
      errors.push(forbidden([...path, "strategy", "rollingUpdate"], "may not be specified when strategy `type` is 'Recreate'"));
    }
  } else if (type === "RollingUpdate") {
    const rolling = map(strategy.rollingUpdate);
    const rollingPath = [...path, "strategy", "rollingUpdate"];
    errors.push(...rollingPercentErrors(rolling.maxUnavailable, [...rollingPath, "maxUnavailable"]));
    errors.push(...rollingPercentErrors(rolling.maxSurge, [...rollingPath, "maxSurge"]));
    // Absent values default to 25% each.
    if (
      rolling.maxUnavailable !== undefined &&
      rolling.maxSurge !== undefined &&
      intOrPercent(rolling.maxUnavailable) === 0 &&
      intOrPercent(rolling.maxSurge) === 0
    ) {
      errors.push(invalid([...rollingPath, "maxUnavailable"], rolling.maxUnavailable, "K8S_INVALID", "may not be 0 when `maxSurge` is 0"));
    }
  } else {
    errors.push(unsupported([...path, "strategy", "type"], type, ["Recreate", "RollingUpdate"]));
  }
  const deadline = spec.progressDeadlineSeconds;
  const minReady = typeof spec.minReadySeconds === "number" ? spec.minReadySeconds : 0;
  if (typeof deadline === "number" && deadline >= 0 && deadline <= minReady) {
    errors.push(invalid([...path, "progressDeadlineSeconds"], deadline, "K8S_INVALID", "must be greater than minReadySeconds"));
  }
  return errors;
}

export function replicaSetErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const path = ["spec"];
  return [
    ...nonNegative(spec, ["replicas", "minReadySeconds"], path),
    ...selectorErrors(spec, path, "deployment"),
    ...templateLabelErrors(map(spec.template), [...path, "template"]),
    ...podSpecErrors(map(map(spec.template).spec), [...path, "template", "spec"]),
    ...restartPolicyMustBe(spec, path, ["Always"]),
  ];
}

export function daemonSetErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const path = ["spec"];
  const errors = [
    ...nonNegative(spec, ["minReadySeconds", "revisionHistoryLimit"], path),
    ...selectorErrors(spec, path, "daemonset"),
    ...templateLabelErrors(map(spec.template), [...path, "template"]),
    ...podSpecErrors(map(map(spec.template).spec), [...path, "template", "spec"]),
    ...restartPolicyMustBe(spec, path, ["Always"]),
  ];
  if (map(map(spec.template).spec).activeDeadlineSeconds !== undefined) {
    errors.push(forbidden([...path, "template", "spec", "activeDeadlineSeconds"], "activeDeadlineSeconds in DaemonSet is not Supported"));
  }
  const strategy = map(spec.updateStrategy);
  if (strategy.type !== undefined && strategy.type !== "RollingUpdate" && strategy.type !== "OnDelete") {
    errors.push(unsupported([...path, "updateStrategy"], strategy.type, ["RollingUpdate", "OnDelete"]));
  }
  return errors;
}

/** StatefulSet validation checks the template's labels but, unlike the other workloads, not its pod spec. */
export function statefulSetErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const path = ["spec"];
  const errors = [
    ...nonNegative(spec, ["replicas", "minReadySeconds"], path),
    ...selectorErrors(spec, path, "statefulset"),
    ...templateLabelErrors(map(spec.template), [...path, "template"]),
    ...restartPolicyMustBe(spec, path, ["Always"]),
  ];
  const policy = spec.podManagementPolicy;
  if (policy !== undefined && policy !== "OrderedReady" && policy !== "Parallel") {
    errors.push(invalid([...path, "podManagementPolicy"], policy, "K8S_UNSUPPORTED_VALUE", "must be 'OrderedReady' or 'Parallel'"));
  }
  const strategy = map(spec.updateStrategy);
  if (strategy.type === "OnDelete" && strategy.rollingUpdate !== undefined) {
    errors.push(
      invalid([...path, "updateStrategy", "rollingUpdate"], "object", "K8S_INVALID", "only allowed for updateStrategy 'RollingUpdate'"),
    );
  } else if (strategy.type !== undefined && strategy.type !== "OnDelete" && strategy.type !== "RollingUpdate") {
    errors.push(invalid([...path, "updateStrategy"], "object", "K8S_UNSUPPORTED_VALUE", "must be 'RollingUpdate' or 'OnDelete'"));
  }
  if (map(map(spec.template).spec).activeDeadlineSeconds !== undefined) {
    errors.push(forbidden([...path, "template", "spec", "activeDeadlineSeconds"], "activeDeadlineSeconds in StatefulSet is not Supported"));
  }
  return errors;
}

function jobSpecErrors(spec: Json, path: Path): FieldError[] {
  const errors = [
    ...nonNegative(spec, ["parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished"], path),
    ...templateLabelErrors(map(spec.template), [...path, "template"]),
    ...podSpecErrors(map(map(spec.template).spec), [...path, "template", "spec"]),
    ...restartPolicyMustBe(spec, path, ["OnFailure", "Never"]),
  ];
  if (typeof spec.activeDeadlineSeconds === "number" && spec.activeDeadlineSeconds <= 0) {
    errors.push(invalid([...path, "activeDeadlineSeconds"], spec.activeDeadlineSeconds, "K8S_INVALID", "must be greater than 0"));
  }
  return errors;
}

export function jobErrors(object: Json): FieldError[] {
  return jobSpecErrors(map(object.spec), ["spec"]);
}

const cronDescriptors = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);

export function cronJobErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const errors: FieldError[] = [];
  const name = map(object.metadata).name;
  if (typeof name === "string" && name.length > 52)
    errors.push(invalid(["metadata", "name"], name, "K8S_NAME", "must be no more than 52 characters"));
  if (typeof spec.schedule === "string") {
    const schedule = spec.schedule;
    if (/^(CRON_)?TZ=/.test(schedule))
      errors.push(
        invalid(["spec", "schedule"], schedule, "K8S_INVALID", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
      );
    else {
      const problem = cronScheduleProblem(schedule);
      if (problem) errors.push(invalid(["spec", "schedule"], schedule, "K8S_INVALID", problem));
    }
  }
  const policy = spec.concurrencyPolicy;
  if (policy !== undefined && !["Allow", "Forbid", "Replace"].includes(policy as string)) {
    errors.push(unsupported(["spec", "concurrencyPolicy"], policy, ["Allow", "Forbid", "Replace"]));
  }
  errors.push(...nonNegative(spec, ["startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"], ["spec"]));
  errors.push(...jobSpecErrors(map(map(spec.jobTemplate).spec), ["spec", "jobTemplate", "spec"]));
  return errors;
}

/** The standard five-field cron syntax (robfig/cron's standard parser), or a descriptor such as @hourly. */
function cronScheduleProblem(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (trimmed.startsWith("@")) {
    if (cronDescriptors.has(trimmed) || /^@every\s+\S+$/.test(trimmed)) return undefined;
    return `unrecognized descriptor: ${trimmed}`;
  }
  const fields = trimmed.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`;
  const ranges: [number, number, Record<string, number>?][] = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12, months],
    [0, 7, days],
  ];
  for (const [index, field] of fields.entries()) {
    const [min, max, names] = ranges[index]!;
    for (const part of field.split(",")) {
      const [range, step] = part.split("/");
      if (step !== undefined && !/^\d+$/.test(step)) return `failed to parse int from ${step}`;
      if (range === "*" || range === "?") continue;
      for (const bound of range!.split("-")) {
        const value = names?.[bound.toLowerCase()] ?? (/^\d+$/.test(bound) ? Number(bound) : undefined);
        if (value === undefined) return `failed to parse int from ${bound}`;
        if (value < min) return `beginning of range (${value}) below minimum (${min}): ${part}`;
        if (value > max) return `end of range (${value}) above maximum (${max}): ${part}`;
      }
    }
  }
  return undefined;
}

const months: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const days: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

export function podErrors(object: Json): FieldError[] {
  return podSpecErrors(map(object.spec), ["spec"]);
}

export function podTemplateObjectErrors(object: Json): FieldError[] {
  const template = map(object.template);
  return [...templateLabelErrors(template, ["template"]), ...podSpecErrors(map(template.spec), ["template", "spec"])];
}
