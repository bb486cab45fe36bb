/**
 * Readiness of applied objects, the way `istioctl install` waits: CRDs Established, Deployments rolled out
 * (observedGeneration current, updated/ready/available replicas), DaemonSets and StatefulSets likewise, Namespaces
 * Active, and the Services that webhooks call having ready endpoints. When time runs out, each object that is not
 * ready is explained: pod phase, container waiting reason and the last Warning event.
 */
import { ClusterError } from "../core/errors.js";
import type { KubeObject } from "../core/objects.js";
import {
  asLive,
  type LiveEndpoints,
  type LiveEndpointSlice,
  type LiveEvent,
  type LivePod,
  type LiveWorkload,
  type WebhookConfiguration,
} from "./api-objects.js";
import { KubeApiError } from "./client.js";
import type { Cluster } from "./cluster.js";
import { identityOf } from "./ownership.js";

export interface Readiness {
  ready: boolean;
  /** What is still missing, e.g. `0/1 replicas ready`. */
  reason?: string;
}

export interface NotReady {
  object: string;
  reason: string;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Called whenever the set of objects being waited for changes, for spinners. */
  onWaiting?: (pending: string[]) => void;
  /** First poll interval; it doubles up to maxIntervalMs (istioctl polls every 2 s). */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  signal?: AbortSignal;
  /**
   * Objects as the API server last returned them (apply answers, earlier waits), by identityOf. An object that is
   * already ready there is not fetched again; the wait records every object it reads here.
   */
  seen?: Map<string, KubeObject>;
}

export class ReadinessTimeoutError extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly notReady: NotReady[],
  ) {
    super(
      `resources not ready after ${formatDuration(timeoutMs)}: ${notReady.map((entry) => `${entry.object} (${entry.reason})`).join("; ")}`,
    );
  }
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${seconds % 60}s` : `${seconds}s`;
}

/** Readiness of one live object; kinds without a notion of readiness are ready once they exist. */
export function readinessOf(live: KubeObject): Readiness {
  const object = asLive<LiveWorkload>(live);
  const status = object.status ?? {};
  const generation = object.metadata?.generation;
  switch (object.kind) {
    case "CustomResourceDefinition": {
      const established = status.conditions?.find((entry) => entry.type === "Established");
      return established?.status === "True"
        ? { ready: true }
        : { ready: false, reason: `not Established${established?.message ? `: ${established.message}` : ""}` };
    }
    case "Deployment":
    case "StatefulSet": {
      const desired = object.spec?.replicas ?? 1;
      if (generation !== undefined && (status.observedGeneration ?? 0) < generation)
        return { ready: false, reason: "rollout not yet observed by the controller" };
      const updated = status.updatedReplicas ?? 0;
      const ready = status.readyReplicas ?? 0;
      const available = object.kind === "Deployment" ? (status.availableReplicas ?? 0) : ready;
      if (updated < desired) return { ready: false, reason: `${updated}/${desired} replicas updated` };
      if (ready < desired) return { ready: false, reason: `${ready}/${desired} replicas ready` };
      if (available < desired) return { ready: false, reason: `${available}/${desired} replicas available` };
      if ((status.replicas ?? 0) > updated)
        return { ready: false, reason: `${(status.replicas ?? 0) - updated} old replicas pending termination` };
      return { ready: true };
    }
    case "DaemonSet": {
      if (generation !== undefined && (status.observedGeneration ?? 0) < generation)
        return { ready: false, reason: "rollout not yet observed by the controller" };
      const desired = status.desiredNumberScheduled ?? 0;
      if (desired === 0) return { ready: false, reason: "no nodes scheduled" };
      if ((status.updatedNumberScheduled ?? 0) < desired)
        return { ready: false, reason: `${status.updatedNumberScheduled ?? 0}/${desired} pods updated` };
      if ((status.numberReady ?? 0) < desired) return { ready: false, reason: `${status.numberReady ?? 0}/${desired} pods ready` };
      return { ready: true };
    }
    case "Namespace":
      return status.phase === undefined || status.phase === "Active" ? { ready: true } : { ready: false, reason: `phase ${status.phase}` };
    default:
      return { ready: true };
  }
}

/** Services that webhook configurations call: they must have a ready endpoint before the webhooks can answer. */
export function webhookServices(objects: readonly KubeObject[]): { namespace: string; name: string }[] {
  const services = new Map<string, { namespace: string; name: string }>();
  for (const object of objects) {
    if (object.kind !== "MutatingWebhookConfiguration" && object.kind !== "ValidatingWebhookConfiguration") continue;
    for (const webhook of asLive<WebhookConfiguration>(object).webhooks ?? []) {
      const service = webhook.clientConfig?.service;
      if (service?.name && service?.namespace)
        services.set(`${service.namespace}/${service.name}`, { namespace: service.namespace, name: service.name });
    }
  }
  return [...services.values()];
}

/** Why a workload is not ready: the first unready pod's phase, waiting reason and last Warning event. */
export async function diagnose(cluster: Cluster, live: KubeObject): Promise<string | undefined> {
  const object = asLive<LiveWorkload>(live);
  const selector = object.spec?.selector?.matchLabels;
  if (!selector || !object.metadata.namespace) return undefined;
  const labelSelector = Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  const pods = (await cluster.list("v1", "Pod", { namespace: object.metadata.namespace, labelSelector })).map(asLive<LivePod>);
  if (pods.length === 0) return "no pods created";
  const pod = pods.find(
    (candidate) => candidate.status?.phase !== "Running" || (candidate.status?.containerStatuses ?? []).some((c) => !c.ready),
  );
  if (!pod) return undefined;
  const parts = [`pod ${pod.metadata.name ?? ""} ${pod.status?.phase ?? "Unknown"}`];
  for (const container of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = container.state?.waiting;
    const terminated = container.state?.terminated;
    if (waiting?.reason) parts.push(`container ${container.name ?? ""} ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""}`);
    else if (terminated?.reason)
      parts.push(
        `container ${container.name ?? ""} terminated: ${terminated.reason}${terminated.exitCode !== undefined ? ` (exit ${terminated.exitCode})` : ""}`,
      );
  }
  const events = await cluster
    .list("v1", "Event", { namespace: pod.metadata.namespace, fieldSelector: `involvedObject.name=${pod.metadata.name ?? ""}` })
    .catch((): KubeObject[] => []);
  const last = events
    .map(asLive<LiveEvent>)
    .filter((event) => event.type === "Warning")
    .sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? "").localeCompare(String(b.lastTimestamp ?? b.eventTime ?? "")))
    .at(-1);
  if (last?.message) parts.push(`last event: ${last.message}`);
  return parts.join("; ");
}

/** EndpointSlices (v1 Endpoints is deprecated since Kubernetes 1.33), or Endpoints where slices are not served. */
async function hasReadyEndpoints(cluster: Cluster, service: { namespace: string; name: string }): Promise<boolean> {
  if (await cluster.serves("discovery.k8s.io/v1", "EndpointSlice")) {
    const slices = await cluster.list("discovery.k8s.io/v1", "EndpointSlice", {
      namespace: service.namespace,
      labelSelector: `kubernetes.io/service-name=${service.name}`,
    });
    return slices
      .map(asLive<LiveEndpointSlice>)
      .some((slice) => (slice.endpoints ?? []).some((endpoint) => endpoint.conditions?.ready !== false));
  }
  const endpoints = await cluster.get({ apiVersion: "v1", kind: "Endpoints", metadata: service });
  return (endpoints ? (asLive<LiveEndpoints>(endpoints).subsets ?? []) : []).some((subset) => (subset.addresses ?? []).length > 0);
}

interface Check {
  label: string;
  probe: () => Promise<Readiness & { live?: KubeObject }>;
}

function checksFor(cluster: Cluster, objects: readonly KubeObject[], seen: Map<string, KubeObject> | undefined): Check[] {
  const checks: Check[] = objects
    .filter((object) => ["CustomResourceDefinition", "Deployment", "StatefulSet", "DaemonSet", "Namespace"].includes(object.kind))
    .map((object) => {
      const identity = identityOf(object);
      return {
        label: `${object.kind}/${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name}`,
        probe: async () => {
          // What the server answered moments ago, when it was ready already: a fresh read would say the same.
          const known = seen?.get(identity);
          if (known && readinessOf(known).ready) return { ready: true, live: known };
          const live = await cluster.get(object);
          if (!live) return { ready: false, reason: "not found" };
          seen?.set(identity, live);
          return { ...readinessOf(live), live };
        },
      };
    });
  for (const service of webhookServices(objects)) {
    checks.push({
      label: `Service/${service.namespace}/${service.name} (webhook endpoints)`,
      probe: async () =>
        (await hasReadyEndpoints(cluster, service))
          ? { ready: true }
          : { ready: false, reason: "no ready endpoints for the webhook service" },
    });
  }
  return checks;
}

/**
 * A probe that could not reach the API server (a restart, a dropped connection, throttling past the retries)
 * leaves its object not ready, so the wait rides the outage out within its own budget. Denied or invalid
 * requests (4xx) are not transient and end the wait.
 */
async function probeOrUnreachable(check: Check): Promise<Readiness & { live?: KubeObject }> {
  try {
    return await check.probe();
  } catch (error) {
    const status = error instanceof KubeApiError ? error.code : undefined;
    if (!(error instanceof ClusterError) || (status !== undefined && status < 500 && status !== 429)) throw error;
    return { ready: false, reason: `API server not answering: ${error.message.split("\n")[0]}` };
  }
}

/** Polls until every object is ready; throws ReadinessTimeoutError naming what is not, and why, after timeoutMs. */
export async function waitForReady(cluster: Cluster, objects: readonly KubeObject[], options: WaitOptions): Promise<void> {
  const checks = checksFor(cluster, objects, options.seen);
  const deadline = Date.now() + options.timeoutMs;
  let interval = options.initialIntervalMs ?? 100;
  const maxInterval = options.maxIntervalMs ?? 2000;
  let pending = checks;
  let lastLabels = "";
  for (;;) {
    const results = await Promise.all(pending.map(async (check) => ({ check, result: await probeOrUnreachable(check) })));
    const notReady = results.filter((entry) => !entry.result.ready);
    pending = notReady.map((entry) => entry.check);
    if (pending.length === 0) return;
    const labels = pending.map((check) => check.label);
    if (labels.join("\n") !== lastLabels) {
      lastLabels = labels.join("\n");
      options.onWaiting?.(labels);
    }
    if (Date.now() + interval > deadline || options.signal?.aborted) {
      const explained = await Promise.all(
        notReady.map(async ({ check, result }) => {
          const why = result.live ? await diagnose(cluster, result.live).catch(() => undefined) : undefined;
          return { object: check.label, reason: [result.reason, why].filter(Boolean).join("; ") };
        }),
      );
      throw new ReadinessTimeoutError(options.timeoutMs, explained);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
    interval = Math.min(interval * 2, maxInterval);
  }
}

/** Waits for CRDs to report Established (used before creating their custom resources). */
export function waitForEstablished(cluster: Cluster, crds: readonly KubeObject[], options: WaitOptions): Promise<void> {
  return waitForReady(
    cluster,
    crds.filter((crd) => crd.kind === "CustomResourceDefinition"),
    options,
  );
}
