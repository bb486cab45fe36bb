/** Finding and deleting what mesh installed: everything (`--purge`) or one revision's control plane and gateways. */
import { describeObject, type KubeObject } from "../core/objects.js";
import type { Cluster } from "./cluster.js";
import { findOwned, isOwnedByMesh, OwnerLabel, pruneKinds, purgeKinds } from "./ownership.js";

export interface UninstallSelection {
  /** Everything carrying mesh's ownership marks, CRDs included. */
  purge: boolean;
  /** Only this revision's Pilot, gateway, CNI and ztunnel objects (base and CRDs stay). */
  revision?: string;
}

/** Components that belong to one revision; Base (CRDs, reader RBAC) is shared by all revisions. */
const revisionComponents = ["Pilot", "IngressGateways", "EgressGateways", "Cni", "Ztunnel"];

/** Objects to delete: those the selector finds that carry mesh's full ownership marks (never Pods, see ownership.ts). */
export async function findUninstallTargets(cluster: Cluster, selection: UninstallSelection): Promise<KubeObject[]> {
  if (selection.purge)
    return (await findOwned(cluster, purgeKinds, `${OwnerLabel.managed}=Reconcile,${OwnerLabel.component}`)).filter(isOwnedByMesh);
  const revision = selection.revision ?? "default";
  const selector = `${OwnerLabel.managed}=Reconcile,${OwnerLabel.revision}=${revision},${OwnerLabel.component} in (${revisionComponents.join(",")})`;
  return (await findOwned(cluster, pruneKinds, selector)).filter(isOwnedByMesh);
}

/** Custom resources that deleting a CRD would delete with it, counted per kind. */
export interface CustomResourceCount {
  crd: string;
  kind: string;
  /** undefined when they could not be listed (the CRD is not served): treat as "maybe some". */
  count: number | undefined;
}

/** For `--purge`: what users stored in the CRDs about to be deleted. */
export async function countCustomResources(cluster: Cluster, targets: readonly KubeObject[]): Promise<CustomResourceCount[]> {
  const crds = targets.filter((object) => object.kind === "CustomResourceDefinition");
  const counts = await Promise.all(
    crds.map(async (crd) => {
      const spec = (
        crd as { spec?: { group?: string; names?: { kind?: string }; versions?: { name: string; served?: boolean; storage?: boolean }[] } }
      ).spec;
      const kind = spec?.names?.kind ?? crd.metadata.name ?? "?";
      const version = spec?.versions?.find((entry) => entry.storage) ?? spec?.versions?.find((entry) => entry.served !== false);
      if (!spec?.group || !version) return { crd: crd.metadata.name ?? "?", kind, count: undefined };
      const count = await cluster.listIfServed(`${spec.group}/${version.name}`, kind).then(
        (objects) => objects.length,
        () => undefined,
      );
      return { crd: crd.metadata.name ?? "?", kind, count };
    }),
  );
  return counts.sort((a, b) => a.kind.localeCompare(b.kind));
}

export interface DeletionReport {
  object: KubeObject;
  /** `removed`, `already gone` (deleted meanwhile), `dry run`, or `failed` (the API server refused or did not answer). */
  result: "removed" | "already gone" | "dry run" | "failed";
  /** Why a deletion failed. */
  error?: string;
}

/**
 * Deletes workloads and configuration first and CRDs last, so that nothing is left half-defined. Every target
 * gets a report: a failed deletion is reported (and the rest still attempted) rather than aborting the run, so
 * that "removed" and "left" add up to the targets. CRDs are not deleted once anything before them failed.
 */
export async function deleteObjects(
  cluster: Cluster,
  objects: readonly KubeObject[],
  options: { dryRun?: boolean } = {},
  onDeleted: (report: DeletionReport) => void = () => {},
): Promise<DeletionReport[]> {
  const reports: DeletionReport[] = [];
  const remove = async (object: KubeObject) => {
    let report: DeletionReport;
    if (options.dryRun) report = { object, result: "dry run" };
    else {
      try {
        report = { object, result: (await cluster.delete(object, { propagationPolicy: "Foreground" })) ? "removed" : "already gone" };
      } catch (error) {
        report = { object, result: "failed", error: error instanceof Error ? error.message : String(error) };
      }
    }
    reports.push(report);
    onDeleted(report);
  };
  const last = new Set(["CustomResourceDefinition", "GatewayClass"]);
  await Promise.all(objects.filter((object) => !last.has(object.kind)).map(remove));
  await Promise.all(objects.filter((object) => object.kind === "GatewayClass").map(remove));
  const crds = objects.filter((object) => object.kind === "CustomResourceDefinition");
  if (reports.some((report) => report.result === "failed")) {
    for (const crd of crds) {
      const report: DeletionReport = { object: crd, result: "failed", error: "not attempted: earlier deletions failed" };
      reports.push(report);
      onDeleted(report);
    }
  } else await Promise.all(crds.map(remove));
  return reports;
}

export function describeDeletion(object: KubeObject): string {
  return describeObject(object);
}
