/**
 * What an install would change, as `kubectl diff` shows it: each rendered object is applied with a server-side
 * dry run and compared with the live object (both without managedFields and other server bookkeeping, so
 * server defaults present on both sides cancel out); objects not in the cluster are creates (shown as
 * rendered); objects of an earlier install that the render no longer has are prunes. Nothing is changed.
 */
import { diffFileName, unifiedObjectDiff } from "../core/diff/unified.js";
import { describeObject, type KubeObject } from "../core/objects.js";
import { ApplyConflictError, type AppliedObject, type FieldConflict } from "./apply.js";
import type { Cluster } from "./cluster.js";
import type { InstallPlan } from "./install.js";
import { findOwned, ownerSelector, pruneCandidates, purgeKinds, withOwnerLabels } from "./ownership.js";

export type ChangeAction = "create" | "update" | "unchanged" | "prune";

export interface ObjectChange {
  object: string;
  component: string;
  action: ChangeAction;
  /** kubectl-diff-style unified diff; empty for unchanged objects. */
  diff: string;
  /** Fields other managers own that the install would take over (it needs --force-conflicts then). */
  conflicts?: FieldConflict[];
}

/** Fields the API server keeps for itself: never part of what an install changes. */
export function withoutServerBookkeeping(object: KubeObject): KubeObject {
  const { status: _status, ...rest } = object as KubeObject & { status?: unknown };
  const {
    managedFields: _managedFields,
    resourceVersion: _resourceVersion,
    generation: _generation,
    uid: _uid,
    creationTimestamp: _creationTimestamp,
    selfLink: _selfLink,
    ...metadata
  } = object.metadata as Record<string, unknown>;
  return { ...rest, metadata };
}

export async function planChanges(
  cluster: Cluster,
  plan: InstallPlan,
  options: { forceConflicts?: boolean } = {},
): Promise<ObjectChange[]> {
  const namespaceExists = (await cluster.get({ apiVersion: "v1", kind: "Namespace", metadata: { name: plan.namespace } })) !== undefined;
  const labelled = plan.components.flatMap((component) =>
    component.objects.map((object) => ({
      component: component.component,
      object: withOwnerLabels(object, {
        component: component.component,
        revision: plan.revision,
        namespace: plan.namespace,
        version: plan.version,
        ...(plan.installName ? { installName: plan.installName } : {}),
      }),
    })),
  );
  const changes = await Promise.all(
    labelled.map(async ({ component, object }): Promise<ObjectChange> => {
      const name = diffFileName(object);
      const base = { object: describeObject(object), component };
      // The server cannot dry-run into a namespace that does not exist yet: everything there is new.
      const live = !namespaceExists && object.metadata.namespace === plan.namespace ? undefined : await cluster.get(object);
      if (!live) return { ...base, action: "create", diff: unifiedObjectDiff(undefined, secretSafe(object), name) };
      let merged: AppliedObject;
      let conflicts: FieldConflict[] | undefined;
      try {
        merged = await cluster.apply(object, { dryRun: true, force: options.forceConflicts ?? false, live });
      } catch (error) {
        if (!(error instanceof ApplyConflictError)) throw error;
        // Show what taking the fields over would change; the install itself stops there without --force-conflicts.
        conflicts = error.conflicts;
        merged = await cluster.apply(object, { dryRun: true, force: true, live });
      }
      const diff = unifiedObjectDiff(secretSafe(withoutServerBookkeeping(live)), secretSafe(withoutServerBookkeeping(merged.object)), name);
      return { ...base, action: diff === "" ? "unchanged" : "update", diff, ...(conflicts ? { conflicts } : {}) };
    }),
  );
  const owned = await findOwned(cluster, purgeKinds, ownerSelector({ namespace: plan.namespace, revision: plan.revision }));
  const prunes = pruneCandidates(
    owned,
    labelled.map((entry) => entry.object),
  ).map((object): ObjectChange => ({
    object: describeObject(object),
    component: object.metadata.labels?.["operator.istio.io/component"] ?? "",
    action: "prune",
    diff: unifiedObjectDiff(secretSafe(withoutServerBookkeeping(object)), undefined, diffFileName(object)),
  }));
  return [...changes, ...prunes];
}

/** Secret values never reach the output (as in kubectl diff): each shows as `***`. */
function secretSafe(object: KubeObject): KubeObject {
  if (object.kind !== "Secret") return object;
  const masked = { ...(object as KubeObject & { data?: Record<string, string> }) };
  if (masked.data) masked.data = Object.fromEntries(Object.keys(masked.data).map((key) => [key, "***"]));
  return masked;
}
