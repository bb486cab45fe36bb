/**
 * Installing a rendered Istio onto a cluster: namespace, then components in dependency order (Base → Pilot →
 * gateways in parallel; Base → Cni → Ztunnel), objects of a component applied concurrently (CRDs first), each
 * component waited for, then objects of earlier installs that the render no longer contains pruned. Progress is
 * reported as events; the CLI decides how to show them.
 */
import { ClusterError } from "../core/errors.js";
import { describeObject, type KubeObject } from "../core/objects.js";
import { ApplyConflictError, type ApplyOutcome, type FieldConflict } from "./apply.js";
import { asLive, type LiveService } from "./api-objects.js";
import type { Cluster } from "./cluster.js";
import { findOwned, identityOf, OwnerLabel, ownerSelector, pruneCandidates, purgeKinds, withOwnerLabels } from "./ownership.js";
import { describeHolder, withInstallLock, type LockHolder } from "./lock.js";
import { ReadinessTimeoutError, waitForReady, type NotReady } from "./wait.js";

export interface ComponentPlan {
  /** IstioOperator component: Base, Pilot, IngressGateways, EgressGateways, Cni, Ztunnel. */
  component: string;
  /** "Istio core", "Istiod", "Ingress gateways", … */
  displayName: string;
  gatewayName?: string;
  objects: KubeObject[];
}

export interface InstallPlan {
  namespace: string;
  /** Labels for the namespace when mesh creates it. */
  namespaceLabels?: Record<string, string>;
  revision: string;
  version: string;
  installName?: string;
  components: ComponentPlan[];
}

export interface InstallOptions {
  dryRun?: boolean;
  forceConflicts?: boolean;
  readinessTimeoutMs: number;
  /** Delete objects of earlier installs that the plan no longer contains (default true). */
  prune?: boolean;
  /** Take the install lock (a Lease in the install namespace) for the run; dry runs never do. */
  lock?: { operation: string; waitMs: number; pollMs?: number };
}

export type InstallEvent =
  | { type: "namespace-created"; namespace: string }
  | { type: "lock-waiting"; holder: string }
  | { type: "version-change"; from: string; to: string }
  | { type: "component-started"; component: ComponentPlan }
  | { type: "component-waiting"; component: ComponentPlan; pending: string[] }
  | { type: "component-installed"; component: ComponentPlan; outcomes: Record<ApplyOutcome, number> }
  | { type: "component-failed"; component: ComponentPlan; message: string }
  | { type: "pruning"; objects: string[] }
  | { type: "pruned"; object: string };

export interface ObjectReport {
  object: string;
  component: string;
  outcome?: ApplyOutcome;
}

export interface ComponentFailure {
  component: string;
  displayName: string;
  message: string;
  notReady?: NotReady[];
  conflicts?: FieldConflict[];
  error: unknown;
}

export interface InstallResult {
  applied: ObjectReport[];
  /** Objects not applied because their component or a component it depends on failed. */
  pending: ObjectReport[];
  /** Deleted (or, in a dry run, to be deleted) objects of earlier installs. */
  pruned: string[];
  failures: ComponentFailure[];
  /** The ingress gateway's LoadBalancer address, when it has one. */
  ingressAddress?: string;
}

const dependencies: Record<string, string[]> = {
  Base: [],
  Pilot: ["Base"],
  Cni: ["Base"],
  Ztunnel: ["Cni"],
  IngressGateways: ["Pilot"],
  EgressGateways: ["Pilot"],
};

async function ensureNamespace(
  cluster: Cluster,
  namespace: string,
  labels: Record<string, string> | undefined,
  dryRun: boolean,
): Promise<"exists" | "created" | "missing"> {
  const live = await cluster.get({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
  if (live) return "exists";
  if (dryRun) return "missing";
  await cluster.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, ...(labels ? { labels } : {}) } });
  return "created";
}

export async function installPlan(
  cluster: Cluster,
  plan: InstallPlan,
  options: InstallOptions,
  onEvent: (event: InstallEvent) => void = () => {},
): Promise<InstallResult> {
  const dryRun = options.dryRun ?? false;
  const namespaceState = await ensureNamespace(cluster, plan.namespace, plan.namespaceLabels, dryRun);
  if (namespaceState === "created") onEvent({ type: "namespace-created", namespace: plan.namespace });
  const lock =
    options.lock && !dryRun
      ? {
          namespace: plan.namespace,
          ...options.lock,
          onWaiting: (holder: LockHolder) => onEvent({ type: "lock-waiting", holder: describeHolder(holder) }),
        }
      : undefined;
  return withInstallLock(cluster, lock, () => applyPlan(cluster, plan, options, onEvent, namespaceState));
}

async function applyPlan(
  cluster: Cluster,
  plan: InstallPlan,
  options: InstallOptions,
  onEvent: (event: InstallEvent) => void,
  namespaceState: "exists" | "created" | "missing",
): Promise<InstallResult> {
  const dryRun = options.dryRun ?? false;
  const selector = ownerSelector({ namespace: plan.namespace, revision: plan.revision });
  // Outside dry runs the live objects serve for labels, ownership and resourceVersion only (apply.ts compares a
  // dry run's answer with the whole live object).
  const owned = await findOwned(cluster, purgeKinds, selector, () => !dryRun);
  const live = new Map(owned.map((object) => [identityOf(object), object]));
  const previousVersion = owned
    .map((object) => object.metadata.labels?.[OwnerLabel.version])
    .find((version) => version !== undefined && version !== plan.version);
  if (previousVersion) onEvent({ type: "version-change", from: previousVersion, to: plan.version });
  const labelled = plan.components.map((component) => ({
    ...component,
    objects: component.objects.map((object) =>
      withOwnerLabels(object, {
        component: component.component,
        revision: plan.revision,
        namespace: plan.namespace,
        version: plan.version,
        ...(plan.installName ? { installName: plan.installName } : {}),
      }),
    ),
  }));

  const result: InstallResult = { applied: [], pending: [], pruned: [], failures: [] };
  const present = new Set(labelled.map((component) => component.component));
  // Several gateways may share a component (two ingress gateways): they run side by side.
  const running = new Map<ComponentPlan, Promise<boolean>>();
  const run = (component: ComponentPlan): Promise<boolean> => {
    let promise = running.get(component);
    if (promise) return promise;
    promise = (async () => {
      const needs = (dependencies[component.component] ?? ["Base"]).filter((name) => present.has(name) && name !== component.component);
      const prerequisites = labelled.filter((candidate) => needs.includes(candidate.component));
      const outcomes = await Promise.all(prerequisites.map(run));
      if (outcomes.some((ok) => !ok)) {
        return false;
      }
      onEvent({ type: "component-started", component });
      try {
        await installComponent(
          cluster,
          component,
          { ...options, dryRun, namespaceMissing: namespaceState === "missing" ? plan.namespace : undefined },
          live,
          result,
          onEvent,
        );
        return true;
      } catch (error) {
        const failure: ComponentFailure = {
          component: component.component,
          displayName: component.displayName,
          message: error instanceof Error ? error.message : String(error),
          error,
        };
        if (error instanceof ReadinessTimeoutError) failure.notReady = error.notReady;
        if (error instanceof ApplyConflictError) failure.conflicts = error.conflicts;
        result.failures.push(failure);
        onEvent({ type: "component-failed", component, message: failure.message });
        return false;
      }
    })();
    running.set(component, promise);
    return promise;
  };
  await Promise.all(labelled.map(run));
  // Pending is everything the API server did not confirm: objects whose apply failed, objects after a failed CRD
  // wait, and whole components behind a failed dependency. Applied + pending is always the plan.
  const confirmed = new Set(result.applied.map((report) => `${report.component}\u0000${report.object}`));
  for (const component of labelled) {
    for (const object of component.objects) {
      const report = { object: describeObject(object), component: component.component };
      if (!confirmed.has(`${report.component}\u0000${report.object}`)) result.pending.push(report);
    }
  }

  if (result.failures.length === 0 && options.prune !== false) {
    const candidates = pruneCandidates(
      owned,
      labelled.flatMap((component) => component.objects),
    );
    if (candidates.length > 0) {
      onEvent({ type: "pruning", objects: candidates.map(describeObject) });
      for (const object of candidates) {
        if (!dryRun) await cluster.delete(object, { propagationPolicy: "Foreground" });
        result.pruned.push(describeObject(object));
        onEvent({ type: "pruned", object: describeObject(object) });
      }
    }
  }
  if (!dryRun) result.ingressAddress = await ingressAddress(cluster, labelled);
  return result;
}

async function installComponent(
  cluster: Cluster,
  component: ComponentPlan,
  options: InstallOptions & { dryRun: boolean; namespaceMissing: string | undefined },
  live: Map<string, KubeObject>,
  result: InstallResult,
  onEvent: (event: InstallEvent) => void,
): Promise<void> {
  const outcomes: Record<ApplyOutcome, number> = { created: 0, configured: 0, unchanged: 0 };
  // The server's answers to the applies (and to the waits' reads): what is ready there is not read again.
  const seen = new Map<string, KubeObject>();
  const conflicts: FieldConflict[] = [];
  const errors: unknown[] = [];
  const applyAll = async (objects: KubeObject[]) => {
    await Promise.all(
      objects.map(async (object) => {
        const report: ObjectReport = { object: describeObject(object), component: component.component };
        if (options.dryRun && options.namespaceMissing && object.metadata.namespace === options.namespaceMissing) {
          // The server cannot dry-run objects into a namespace that does not exist yet.
          report.outcome = "created";
          outcomes.created++;
          result.applied.push(report);
          return;
        }
        try {
          const previous = live.get(identityOf(object));
          const applied = await cluster.apply(object, {
            force: options.forceConflicts ?? false,
            dryRun: options.dryRun,
            ...(previous ? { live: previous } : {}),
          });
          if (!options.dryRun) seen.set(identityOf(object), applied.object);
          report.outcome = applied.outcome;
          outcomes[applied.outcome]++;
          result.applied.push(report);
        } catch (error) {
          if (error instanceof ApplyConflictError) conflicts.push(...error.conflicts);
          else errors.push(error);
        }
      }),
    );
  };
  const crds = component.objects.filter((object) => object.kind === "CustomResourceDefinition");
  const rest = component.objects.filter((object) => object.kind !== "CustomResourceDefinition");
  await applyAll(crds);
  if (crds.length > 0 && !options.dryRun && conflicts.length === 0 && errors.length === 0) {
    onEvent({ type: "component-waiting", component, pending: crds.map((crd) => `CustomResourceDefinition/${crd.metadata.name}`) });
    await waitForReady(cluster, crds, {
      timeoutMs: options.readinessTimeoutMs,
      seen,
      onWaiting: (pending) => onEvent({ type: "component-waiting", component, pending }),
    });
    cluster.discovery.forget();
  }
  await applyAll(rest);
  if (conflicts.length > 0) throw new ApplyConflictError(conflicts);
  if (errors.length > 0) {
    const first = errors[0];
    if (errors.length === 1 && first instanceof Error) throw first;
    throw new ClusterError(errors.map((error) => (error instanceof Error ? error.message : String(error))).join("\n"));
  }
  if (!options.dryRun) {
    await waitForReady(cluster, component.objects, {
      timeoutMs: options.readinessTimeoutMs,
      seen,
      onWaiting: (pending) => onEvent({ type: "component-waiting", component, pending }),
    });
  }
  onEvent({ type: "component-installed", component, outcomes });
}

async function ingressAddress(cluster: Cluster, components: readonly ComponentPlan[]): Promise<string | undefined> {
  const ingress = components.find((component) => component.component === "IngressGateways");
  const service = ingress?.objects.find((object) => object.kind === "Service" && asLive<LiveService>(object).spec?.type === "LoadBalancer");
  if (!service) return undefined;
  const live = await cluster.get(service).catch(() => undefined);
  const entry = live && asLive<LiveService>(live).status?.loadBalancer?.ingress?.[0];
  return entry?.ip ?? entry?.hostname;
}
