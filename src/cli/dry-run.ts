import type { Cluster, InstallPlan } from "../kube/index.js";
import type { CliContext } from "./context.js";

/**
 * `mesh install --dry-run` against a cluster: the kubectl-diff-style diff of every object that would change
 * (creates, updates, prunes) on stdout, a summary on stderr; -o json lists each object with its action and diff.
 */
export async function printPlannedChanges(
  cluster: Cluster,
  plan: InstallPlan,
  options: { output: string; forceConflicts: boolean },
  context: CliContext,
  err: (line: string) => void,
): Promise<void> {
  const { planChanges } = await import("../kube/diff.js");
  const changes = await planChanges(cluster, plan, { forceConflicts: options.forceConflicts });
  const count = (action: string) => changes.filter((change) => change.action === action).length;
  if (options.output === "json") {
    const { toJson } = await import("../core/documents/write.js");
    context.io.stdout.write(
      toJson({
        revision: plan.revision,
        namespace: plan.namespace,
        dryRun: true,
        changes: changes.filter((change) => change.action !== "unchanged"),
      }),
    );
  } else {
    for (const change of changes) if (change.diff) context.io.stdout.write(change.diff);
  }
  for (const change of changes)
    for (const conflict of change.conflicts ?? [])
      err(
        `Conflict: ${conflict.object}: ${conflict.field} is owned by "${conflict.manager}" (the install needs --force-conflicts to take it over)`,
      );
  err(
    `Dry run: ${count("create")} objects would be created, ${count("update")} configured, ${count("unchanged")} unchanged; ${count("prune")} would be pruned. Nothing was changed.`,
  );
}
