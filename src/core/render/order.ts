import { apiGroupOf, type KubeObject } from "../objects.js";

/** istioctl's `manifest generate` order (docs/design/install.md §9): CRDs first, Services last, then group, kind, name. */
const kindPriority: Record<string, number> = {
  CustomResourceDefinition: 0,
  ServiceAccount: 1,
  ClusterRole: 1,
  ClusterRoleBinding: 2,
  ValidatingWebhookConfiguration: 3,
  ConfigMap: 4,
  HorizontalPodAutoscaler: 6,
  Service: 7,
};
const otherKinds = 5;

export function compareObjects(a: KubeObject, b: KubeObject): number {
  return (
    (kindPriority[a.kind] ?? otherKinds) - (kindPriority[b.kind] ?? otherKinds) ||
    compareText(apiGroupOf(a.apiVersion), apiGroupOf(b.apiVersion)) ||
    compareText(a.kind, b.kind) ||
    compareText(a.metadata.name ?? "", b.metadata.name ?? "") ||
    compareText(a.metadata.namespace ?? "", b.metadata.namespace ?? "")
  );
}

export function sortObjects(objects: readonly KubeObject[]): KubeObject[] {
  return [...objects].sort(compareObjects);
}

/** Byte-wise comparison, so the order does not depend on the machine's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
