import { InputError } from "../errors.js";
import { yamlPackage } from "../yaml-package.js";
import type { Finding } from "../findings.js";
import type { KubeObject } from "../objects.js";
import { clone, mergeOverlay } from "../operator/merge.js";
import { deleteAtPath, parsePath, PathNotFoundError, PathSyntaxError, setAtPath } from "../operator/path-language.js";
import { isMap, type JsonMap, type KubernetesSettings } from "../operator/types.js";
import { detachText } from "./precomputed.js";

export interface MainObjects {
  /** Deployment/DaemonSet, HPA, PDB and Service share this name. */
  workloadName: string;
  containerName: string;
  /** Gateways take `service.ports` through their values instead (docs/design/install.md §3.3). */
  servicePortsViaValues: boolean;
  /** Where the settings came from, for messages: `components.pilot.k8s`. */
  origin: string;
  autoscaled: boolean;
  /** The values switch named in the replicaCount warning, e.g. values.pilot.autoscaleEnabled. */
  autoscaleSetting?: string;
}

/** Applies `components.<c>.k8s` to a component's rendered objects: strategic-merge style patches, then overlays. */
export function applyKubernetesSettings(
  objects: KubeObject[],
  settings: KubernetesSettings | undefined,
  main: MainObjects,
  findings: Finding[],
): KubeObject[] {
  if (!settings) return objects;
  const find = (kind: string) => objects.find((object) => object.kind === kind && object.metadata.name === main.workloadName);
  const workload = find("Deployment") ?? find("DaemonSet");
  const pod = workload ? (((workload.spec as JsonMap).template as JsonMap).spec as JsonMap) : undefined;
  const container = pod ? ((pod.containers as JsonMap[]) ?? []).find((item) => item.name === main.containerName) : undefined;
  const podMeta = workload ? (((workload.spec as JsonMap).template as JsonMap).metadata as JsonMap) : undefined;

  if (pod) {
    if (settings.affinity) pod.affinity = mergeOverlay(pod.affinity, settings.affinity);
    if (settings.nodeSelector) pod.nodeSelector = mergeOverlay(pod.nodeSelector, settings.nodeSelector);
    if (settings.priorityClassName !== undefined) pod.priorityClassName = settings.priorityClassName;
    if (settings.securityContext) pod.securityContext = mergeOverlay(pod.securityContext, settings.securityContext);
    if (settings.tolerations) pod.tolerations = clone(settings.tolerations);
  }
  if (podMeta && settings.podAnnotations) podMeta.annotations = mergeOverlay(podMeta.annotations, settings.podAnnotations);
  if (container) {
    if (settings.env) container.env = mergeByName((container.env as JsonMap[]) ?? [], settings.env);
    if (settings.imagePullPolicy !== undefined) container.imagePullPolicy = settings.imagePullPolicy;
    if (settings.readinessProbe) container.readinessProbe = mergeOverlay(container.readinessProbe, settings.readinessProbe);
    if (settings.resources) container.resources = mergeOverlay(container.resources, settings.resources);
  }
  if (workload) {
    const spec = workload.spec as JsonMap;
    if (settings.replicaCount !== undefined) {
      spec.replicas = settings.replicaCount;
      if (main.autoscaled)
        findings.push({
          severity: "warning",
          code: "IOP_REPLICAS_WITH_HPA",
          origin: "operator",
          message: `${main.origin}.replicaCount should not be set when ${main.autoscaleSetting ?? "autoscaling"} is true`,
          path: `spec.${main.origin}.replicaCount`,
        });
    }
    if (settings.strategy) spec.strategy = mergeOverlay(spec.strategy, settings.strategy);
  }
  const hpa = find("HorizontalPodAutoscaler");
  if (hpa && settings.hpaSpec) hpa.spec = mergeOverlay(hpa.spec, settings.hpaSpec);
  const pdb = find("PodDisruptionBudget");
  if (pdb && settings.podDisruptionBudget) {
    const spec = mergeOverlay(pdb.spec, settings.podDisruptionBudget) as JsonMap;
    if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) delete spec.minAvailable;
    pdb.spec = spec;
  }
  const service = find("Service");
  if (service) {
    if (settings.service) {
      const patch = clone(settings.service) as JsonMap;
      if (main.servicePortsViaValues) delete patch.ports;
      const spec = service.spec as JsonMap;
      const ports = Array.isArray(patch.ports) ? mergeByKey((spec.ports as JsonMap[]) ?? [], patch.ports as JsonMap[], "port") : undefined;
      delete patch.ports;
      service.spec = mergeOverlay(spec, patch);
      if (ports) (service.spec as JsonMap).ports = ports;
    }
    if (settings.serviceAnnotations)
      service.metadata.annotations = mergeOverlay(service.metadata.annotations, settings.serviceAnnotations) as Record<string, string>;
  }
  // Accepted by the API but never applied by istioctl 1.30; said out loud instead of silently dropped.
  for (const field of ["volumes", "volumeMounts"] as const)
    if (settings[field] !== undefined)
      findings.push({
        severity: "warning",
        code: "IOP_IGNORED_FIELD",
        origin: "operator",
        message: `${main.origin}.${field} is not applied (as in istioctl 1.30); use ${main.origin}.overlays instead`,
        path: `spec.${main.origin}.${field}`,
      });
  for (const [index, overlay] of (settings.overlays ?? []).entries()) applyOverlay(objects, overlay, `${main.origin}.overlays[${index}]`);
  return objects;
}

function applyOverlay(objects: KubeObject[], overlay: NonNullable<KubernetesSettings["overlays"]>[number], origin: string): void {
  const targets = objects.filter((object) => object.kind === overlay.kind && object.metadata.name === overlay.name);
  for (const target of targets) {
    detachText(target);
    for (const [index, patch] of (overlay.patches ?? []).entries()) {
      const where = `${origin}.patches[${index}]`;
      if (typeof patch.path !== "string") throw new InputError(`${where}: path is missing`);
      try {
        const segments = parsePath(patch.path);
        if (patch.value === undefined || patch.value === null) deleteAtPath(target, segments);
        else setAtPath(target, segments, patchValue(patch.value));
      } catch (error) {
        if (error instanceof PathSyntaxError || error instanceof PathNotFoundError)
          throw new InputError(`${where} (${overlay.kind} ${overlay.name}): ${error.message}`);
        throw error;
      }
    }
  }
}

/** A patch value given as a YAML block (a string with line breaks) is inserted as the structure it describes. */
function patchValue(value: unknown): unknown {
  if (typeof value === "string" && value.includes("\n")) {
    // Loaded only here: the YAML parser costs more start-up time than the rest of manifest generate.
    const { parse } = yamlPackage();
    const parsed = parse(value) as unknown;
    if (isMap(parsed) || Array.isArray(parsed)) return parsed;
  }
  return clone(value);
}

/**
 * Strategic merge of a list keyed by `name`: matching items merge; a new item goes right after the last
 * item the patch matched so far (as the API server orders them), or at the end.
 */
export function mergeByName(existing: JsonMap[], patch: JsonMap[]): JsonMap[] {
  return mergeByKey(existing, patch, "name");
}

function mergeByKey(existing: JsonMap[], patch: JsonMap[], key: string): JsonMap[] {
  const out = existing.map((item) => clone(item));
  let lastMatched = -1;
  for (const item of patch) {
    const index = out.findIndex((candidate) => candidate[key] === item[key]);
    if (index !== -1) {
      const merged = mergeOverlay(out[index], item) as JsonMap;
      if (key === "name" && item.value !== undefined && item.valueFrom === undefined) delete merged.valueFrom;
      if (key === "name" && item.valueFrom !== undefined && item.value === undefined) delete merged.value;
      out[index] = merged;
      lastMatched = index;
    } else if (lastMatched === -1) {
      out.push(clone(item));
    } else {
      out.splice(lastMatched + 1, 0, clone(item));
      lastMatched += 1;
    }
  }
  return out;
}
