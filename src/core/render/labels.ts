import type { KubeObject } from "../objects.js";
import { ISTIO_VERSION } from "../versions.js";

export type ChartName = "base" | "istiod" | "istio-ingress" | "istio-egress" | "cni" | "ztunnel" | "istio-default";

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

/**
 * Labels istioctl adds to objects of components it owns. The owner is values.ownerName, which manifest generate
 * leaves empty, so it writes "unknown".
 */
export function operatorLabels(
  component: "Pilot" | "IngressGateways" | "EgressGateways" | "Cni" | "Ztunnel",
  revision: string,
  ownerName: string,
) {
  return {
    "istio.io/rev": revision || "default",
    "install.operator.istio.io/owning-resource": ownerLabel(ownerName),
    "operator.istio.io/component": component,
  };
}

/** The owning-resource label's value: values.ownerName, else "unknown". */
export function ownerLabel(ownerName: string): string {
  return ownerName || "unknown";
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

/** A CRD as Istio's CRD file ships it (the base chart with values.base.enableCRDTemplates=false): the old static labels. */
export function legacyLabelledCrd(crd: KubeObject): KubeObject {
  const group = (crd.spec as { group?: string } | undefined)?.group;
  const area = group === "security.istio.io" ? "security" : group === "telemetry.istio.io" ? "telemetry" : undefined;
  return {
    ...crd,
    metadata: {
      ...crd.metadata,
      labels: { app: "istio-pilot", chart: "istio", heritage: "Tiller", ...(area ? { istio: area } : {}), release: "istio" },
      annotations: { ...(crd.metadata.annotations ?? {}), "helm.sh/resource-policy": "keep" },
    },
  };
}
