import type { KubeObject } from "../core/objects.js";
import { ApplyConflictError, type AppliedObject, type FieldConflict } from "./apply.js";
import type { Cluster } from "./cluster.js";

/**
 * Applies objects with server-side apply (field manager `mesh`): CRDs first, then the rest, each group
 * concurrently. Conflicts of all objects are collected into one ApplyConflictError; other errors are rethrown.
 */
export async function applyObjects(
  cluster: Cluster,
  objects: readonly KubeObject[],
  options: { force?: boolean; dryRun?: boolean } = {},
): Promise<AppliedObject[]> {
  const results: AppliedObject[] = [];
  const conflicts: FieldConflict[] = [];
  const errors: unknown[] = [];
  const group = async (batch: readonly KubeObject[]) => {
    await Promise.all(
      batch.map(async (object) => {
        try {
          results.push(await cluster.apply(object, { force: options.force ?? false, dryRun: options.dryRun ?? false }));
        } catch (error) {
          if (error instanceof ApplyConflictError) conflicts.push(...error.conflicts);
          else errors.push(error);
        }
      }),
    );
  };
  await group(objects.filter((object) => object.kind === "CustomResourceDefinition"));
  await group(objects.filter((object) => object.kind !== "CustomResourceDefinition"));
  if (conflicts.length > 0) throw new ApplyConflictError(conflicts);
  if (errors.length > 0) throw errors[0];
  return results;
}
