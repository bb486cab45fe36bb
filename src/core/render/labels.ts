import type { KubeObject } from "../objects.js";
import { ISTIO_VERSION } from "../versions.js";

export type ChartName = "base" | "istiod" | "istio-ingress" | "istio-egress" | "cni" | "ztunnel";

/** The five labels every chart object carries (docs/design/install.md §8). */
export function helmLabels(chart: ChartName): Record<string, string> {
  return {
    "app.kubernetes.io/instance": "istio",
    "app.kubernetes.io/managed-by": "Helm",
    "app.kubernetes.io/part-of": "istio",
    "app.kubernetes.io/version": ISTIO_VERSION,
    "helm.sh/chart": `${chart}-${ISTIO_VERSION}`,
  };
}

/** Labels istioctl adds to objects of components it owns (manifest generate writes "unknown" as owner). */
export function operatorLabels(component: "Pilot" | "IngressGateways" | "EgressGateways" | "Cni" | "Ztunnel", revision: string) {
  return {
    "istio.io/rev": revision || "default",
    "install.operator.istio.io/owning-resource": "unknown",
    "operator.istio.io/component": component,
  };
}

/** A CRD as the base chart ships it: only the five Helm labels, and kept when Istio is uninstalled. */
export function labelledCrd(crd: KubeObject): KubeObject {
  return {
    ...crd,
    metadata: {
      ...crd.metadata,
      labels: helmLabels("base"),
      annotations: { ...(crd.metadata.annotations ?? {}), "helm.sh/resource-policy": "keep" },
    },
  };
}
