/** Server-side apply with field manager `mesh`: conflicts become errors that name the fields and their manager. */
import { isDeepStrictEqual } from "node:util";
import { ClusterError } from "../core/errors.js";
import { describeObject, type KubeObject } from "../core/objects.js";
import { KubeApiError, type KubeClient } from "./client.js";
import { describeAction, type Discovery } from "./discovery.js";

export const FIELD_MANAGER = "mesh";

/**
 * Field managers that are Istio itself: istiod patches its webhooks at runtime (failurePolicy, caBundle) and
 * istioctl installs as `istio-operator`. Conflicts with them are taken over without --force-conflicts, as
 * istioctl always forces; conflicts with anyone else are reported.
 */
export const ISTIO_FIELD_MANAGERS: ReadonlySet<string> = new Set(["pilot-discovery", "istiod", "istio-operator", "istioctl"]);

export type ApplyOutcome = "created" | "configured" | "unchanged";

export interface ApplyOptions {
  /** Take ownership of fields other managers own (`--force-conflicts`). */
  force?: boolean;
  /** Server-side dry run (`dryRun=All`): the server validates and answers, nothing is stored. */
  dryRun?: boolean;
  /** The object as it is live now (from a prior list), to tell `configured` from `unchanged`. */
  live?: KubeObject;
}

export interface AppliedObject {
  object: KubeObject;
  outcome: ApplyOutcome;
}

export interface FieldConflict {
  object: string;
  field: string;
  manager: string;
}

/** Apply refused because other managers own some fields with different values (409 Conflict). */
export class ApplyConflictError extends ClusterError {
  constructor(readonly conflicts: FieldConflict[]) {
    const lines = conflicts.map((conflict) => `  ${conflict.object}: ${conflict.field} is owned by "${conflict.manager}"`);
    super(`server-side apply conflicts with other field managers:\n${lines.join("\n")}`, {
      hint: "re-run with --force-conflicts to take ownership of these fields, or remove them from the other manager's configuration",
    });
  }
}

/**
 * The API server's field-manager conflict causes: `conflict with "kubectl-edit" using v1` + field `.data.mesh`.
 * Empty for other 409s, such as "the object has been modified; please apply your changes to the latest version",
 * which say nothing about field owners and are retried instead.
 */
function conflictsOf(error: KubeApiError, object: KubeObject): FieldConflict[] {
  const causes = error.status.details?.causes ?? [];
  const described = describeObject(object);
  return causes
    .filter((cause) => cause.type === "FieldManagerConflict")
    .map((cause) => ({
      object: described,
      field: cause.field ?? "?",
      manager: /conflict with "([^"]*)"/.exec(cause.message ?? "")?.[1] ?? "unknown",
    }));
}

/** How often a 409 that names no field owners (an optimistic-concurrency race inside the server) is retried. */
const MAX_RACE_RETRIES = 5;

/** Fields the server sets on every write; a change in them alone is not a change of the object. */
function comparable(object: KubeObject | undefined): unknown {
  if (!object) return undefined;
  const { metadata, status: _status, ...rest } = object;
  const { resourceVersion: _rv, managedFields, ...meta } = metadata as Record<string, unknown>;
  const owners = Array.isArray(managedFields)
    ? managedFields.map((entry: any) => ({ manager: entry.manager, operation: entry.operation, fieldsV1: entry.fieldsV1 }))
    : [];
  return { ...rest, metadata: meta, owners };
}

export async function applyObject(
  client: KubeClient,
  discovery: Discovery,
  object: KubeObject,
  options: ApplyOptions = {},
  raceRetries = 0,
): Promise<AppliedObject> {
  const { path, resource } = await discovery.pathOf(object);
  const body = { ...object, metadata: { ...object.metadata } };
  delete (body.metadata as Record<string, unknown>).managedFields;
  delete (body.metadata as Record<string, unknown>).resourceVersion;
  try {
    const { code, body: result } = await client.exchange<KubeObject>({
      method: "PATCH",
      path,
      query: { fieldManager: FIELD_MANAGER, force: options.force ? "true" : undefined, dryRun: options.dryRun ? "All" : undefined },
      body,
      contentType: "application/apply-patch+yaml",
      action: describeAction("patch", resource, object),
    });
    const applied = { ...result, apiVersion: result.apiVersion ?? object.apiVersion, kind: result.kind ?? object.kind };
    let outcome: ApplyOutcome;
    if (code === 201) outcome = "created";
    else if (!options.live) outcome = "configured";
    // A no-op apply keeps the resourceVersion; a dry run always does, so there the objects are compared.
    else if (!options.dryRun)
      outcome = applied.metadata.resourceVersion === options.live.metadata.resourceVersion ? "unchanged" : "configured";
    else outcome = isDeepStrictEqual(comparable(options.live), comparable(applied)) ? "unchanged" : "configured";
    return { object: applied, outcome };
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 409 && error.status.reason === "Conflict") {
      const conflicts = conflictsOf(error, object);
      if (conflicts.length === 0) {
        if (raceRetries < MAX_RACE_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** raceRetries * (0.5 + Math.random() / 2)));
          return applyObject(client, discovery, object, options, raceRetries + 1);
        }
        throw new KubeApiError(`${describeObject(object)} was refused: ${error.message}`, error.code, error.status, {
          hint: "another client kept changing the object; run the command again",
        });
      }
      if (!options.force && conflicts.every((conflict) => ISTIO_FIELD_MANAGERS.has(conflict.manager))) {
        return applyObject(client, discovery, object, { ...options, force: true }, raceRetries);
      }
      throw new ApplyConflictError(conflicts);
    }
    if (error instanceof KubeApiError && error.code !== 401 && error.code !== 403) {
      throw new KubeApiError(
        `${describeObject(object)} was refused: ${error.message}`,
        error.code,
        error.status,
        error.hint ? { hint: error.hint } : {},
      );
    }
    throw error;
  }
}
