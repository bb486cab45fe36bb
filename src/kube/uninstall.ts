/** Finding and deleting what mesh installed: everything (`--purge`) or one revision's control plane and gateways. */
import { describeObject, type KubeObject } from "../core/objects.js";
import type { Cluster } from "./cluster.js";
import { findOwned, OwnerLabel, pruneKinds, purgeKinds } from "./ownership.js";

export interface UninstallSelection {
  /** Everything with an istio operator component label, CRDs and Istio's GatewayClasses included. */
  purge: boolean;
  /** Only this revision's Pilot, gateway, CNI and ztunnel objects (base and CRDs stay). */
  revision?: string;
}

/** Components that belong to one revision; Base (CRDs, reader RBAC) is shared by all revisions. */
const revisionComponents = ["Pilot", "IngressGateways", "EgressGateways", "Cni", "Ztunnel"];

export async function findUninstallTargets(cluster: Cluster, selection: UninstallSelection): Promise<KubeObject[]> {
  if (selection.purge) {
    const owned = (await findOwned(cluster, purgeKinds, OwnerLabel.component)).filter(notOwnedByAnotherObject);
    // istiod creates the `istio` and `istio-remote` GatewayClasses itself, without install labels.
    const classes = await cluster.listIfServed("gateway.networking.k8s.io/v1", "GatewayClass");
    const istioClasses = classes.filter((gatewayClass: any) => String(gatewayClass.spec?.controllerName ?? "").startsWith("istio.io/"));
    return [...owned, ...istioClasses];
  }
  const revision = selection.revision ?? "default";
  const selector = `${OwnerLabel.revision}=${revision},${OwnerLabel.component} in (${revisionComponents.join(",")})`;
  return (await findOwned(cluster, pruneKinds, selector)).filter(notOwnedByAnotherObject);
}

/** Pods carry the component label from their template; they go with their Deployments and DaemonSets. */
function notOwnedByAnotherObject(object: KubeObject): boolean {
  return !(object.metadata as { ownerReferences?: unknown[] }).ownerReferences?.length;
}

export interface DeletionReport {
  object: KubeObject;
  /** `removed`, `already gone` (deleted meanwhile) or `dry run`. */
  result: "removed" | "already gone" | "dry run";
}

/** Deletes workloads and configuration first and CRDs last, so that nothing is left half-defined. */
export async function deleteObjects(
  cluster: Cluster,
  objects: readonly KubeObject[],
  options: { dryRun?: boolean } = {},
  onDeleted: (report: DeletionReport) => void = () => {},
): Promise<DeletionReport[]> {
  const reports: DeletionReport[] = [];
  const remove = async (object: KubeObject) => {
    let result: DeletionReport["result"] = "dry run";
    if (!options.dryRun) result = (await cluster.delete(object, { propagationPolicy: "Foreground" })) ? "removed" : "already gone";
    const report = { object, result };
    reports.push(report);
    onDeleted(report);
  };
  const last = new Set(["CustomResourceDefinition", "GatewayClass"]);
  await Promise.all(objects.filter((object) => !last.has(object.kind)).map(remove));
  await Promise.all(objects.filter((object) => object.kind === "GatewayClass").map(remove));
  await Promise.all(objects.filter((object) => object.kind === "CustomResourceDefinition").map(remove));
  return reports;
}

export function describeDeletion(object: KubeObject): string {
  return describeObject(object);
}
