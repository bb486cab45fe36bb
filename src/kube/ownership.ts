/**
 * Ownership marks on everything mesh applies, and finding/pruning/uninstalling what carries them. The labels are
 * istioctl's (operator.istio.io/*, install.operator.istio.io/*, istio.io/rev), so status and verify recognise
 * installs made by either tool. Labels alone are not proof of ownership, though: users copy them onto their own
 * Services and ConfigMaps, and istiod labels objects it creates. So everything mesh applies also carries the
 * annotation `mesh/owner` (`<install namespace>/<revision>`), and only objects with the full set of marks are
 * ever deleted by prune or uninstall — never Pods, which belong to their controllers.
 */
import type { KubeObject } from "../core/objects.js";
import type { Cluster } from "./cluster.js";

export const OwnerLabel = {
  managed: "operator.istio.io/managed",
  version: "operator.istio.io/version",
  component: "operator.istio.io/component",
  owningResource: "install.operator.istio.io/owning-resource",
  owningNamespace: "install.operator.istio.io/owning-resource-namespace",
  notPruned: "install.operator.istio.io/owning-resource-not-pruned",
  revision: "istio.io/rev",
} as const;

/** The annotation only mesh writes: `<install namespace>/<revision>`. */
export const OWNER_ANNOTATION = "mesh/owner";

export interface Ownership {
  /** IstioOperator component name: Base, Pilot, IngressGateways, EgressGateways, Cni, Ztunnel. */
  component: string;
  /** `default` when no revision is set. */
  revision: string;
  /** The install's namespace (istio-system by default). */
  namespace: string;
  version: string;
  /** metadata.name of the IstioOperator, when the user's file names itself. */
  installName?: string;
}

export interface KindRef {
  apiVersion: string;
  kind: string;
}

/** Kinds install prunes (istioctl's list): never CRDs, so that removing a component never deletes user config. */
export const pruneKinds: readonly KindRef[] = [
  { apiVersion: "admissionregistration.k8s.io/v1", kind: "MutatingWebhookConfiguration" },
  { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingWebhookConfiguration" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding" },
  { apiVersion: "apps/v1", kind: "Deployment" },
  { apiVersion: "apps/v1", kind: "DaemonSet" },
  { apiVersion: "v1", kind: "Service" },
  { apiVersion: "v1", kind: "ConfigMap" },
  { apiVersion: "v1", kind: "Secret" },
  { apiVersion: "v1", kind: "ServiceAccount" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role" },
  { apiVersion: "policy/v1", kind: "PodDisruptionBudget" },
  { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler" },
  { apiVersion: "networking.istio.io/v1alpha3", kind: "EnvoyFilter" },
  { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy" },
  { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicyBinding" },
];

/**
 * `uninstall --purge` also removes the CRDs (and with them all Istio configuration). GatewayClasses are listed so
 * that one mesh applied would go too; the `istio` and `istio-remote` classes istiod creates carry no mesh marks
 * and stay (istiod recreates them, and a user's class naming Istio's controller is theirs).
 */
export const purgeKinds: readonly KindRef[] = [
  ...pruneKinds,
  { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" },
  { apiVersion: "k8s.cni.cncf.io/v1", kind: "NetworkAttachmentDefinition" },
  { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass" },
];

export function withOwnerLabels(object: KubeObject, ownership: Ownership): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      labels: {
        ...(object.metadata.labels ?? {}),
        [OwnerLabel.managed]: "Reconcile",
        [OwnerLabel.version]: ownership.version,
        [OwnerLabel.owningNamespace]: ownership.namespace,
        [OwnerLabel.revision]: ownership.revision,
        [OwnerLabel.component]: ownership.component,
        ...(ownership.installName ? { [OwnerLabel.owningResource]: ownership.installName } : {}),
      },
      annotations: { ...(object.metadata.annotations ?? {}), [OWNER_ANNOTATION]: `${ownership.namespace}/${ownership.revision}` },
    },
  };
}

/**
 * Whether mesh may delete this object: it carries every ownership label and mesh's annotation, and the
 * annotation agrees with the labels. Pods never qualify (their controllers own them, even if a template
 * copied the labels); neither does anything another controller owns through ownerReferences.
 */
export function isOwnedByMesh(object: KubeObject): boolean {
  if (object.kind === "Pod") return false;
  const { labels = {}, annotations = {} } = object.metadata;
  if ((object.metadata as { ownerReferences?: unknown[] }).ownerReferences?.length) return false;
  const namespace = labels[OwnerLabel.owningNamespace];
  const revision = labels[OwnerLabel.revision];
  return (
    labels[OwnerLabel.managed] === "Reconcile" &&
    Boolean(labels[OwnerLabel.component]) &&
    Boolean(labels[OwnerLabel.version]) &&
    Boolean(namespace) &&
    Boolean(revision) &&
    annotations[OWNER_ANNOTATION] === `${namespace}/${revision}`
  );
}

/** Label selector for everything one install (namespace + revision) owns; without options, every install's objects. */
export function ownerSelector(options: { namespace?: string; revision?: string } = {}): string {
  const parts = [`${OwnerLabel.managed}=Reconcile`, OwnerLabel.component];
  if (options.namespace) parts.push(`${OwnerLabel.owningNamespace}=${options.namespace}`);
  if (options.revision) parts.push(`${OwnerLabel.revision}=${options.revision}`);
  return parts.join(",");
}

/** `apps/Deployment/istio-system/istiod`: one object's identity across versions of its API group. */
export function identityOf(object: { apiVersion: string; kind: string; metadata: { namespace?: string; name?: string } }): string {
  const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
  return `${group}/${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name ?? ""}`;
}

/** Every live object of `kinds` matching `selector`, across all namespaces; kinds the cluster lacks are skipped. */
export async function findOwned(
  cluster: Cluster,
  kinds: readonly KindRef[],
  selector: string,
  /** Kinds of which only metadata is needed (the server may still send whole objects). */
  metadataOnly: (kind: KindRef) => boolean = () => false,
): Promise<KubeObject[]> {
  const lists = await Promise.all(
    kinds.map((kind) =>
      cluster.listIfServed(kind.apiVersion, kind.kind, { labelSelector: selector, ...(metadataOnly(kind) ? { metadataOnly: true } : {}) }),
    ),
  );
  return lists.flat();
}

/** Owned objects that the new render no longer contains (and that are not marked not-pruned). */
export function pruneCandidates(owned: readonly KubeObject[], keep: readonly KubeObject[]): KubeObject[] {
  const kept = new Set(keep.map(identityOf));
  const prunable = new Set(pruneKinds.map((kind) => kind.kind));
  return owned.filter(
    (object) =>
      prunable.has(object.kind) &&
      isOwnedByMesh(object) &&
      !kept.has(identityOf(object)) &&
      object.metadata.labels?.[OwnerLabel.notPruned] !== "true",
  );
}
