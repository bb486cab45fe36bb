/** From a render (`generateManifest`) to an install plan: istioctl's component names label what is applied. */
import type { GeneratedManifest } from "../core/render/index.js";
import type { InstallPlan } from "./install.js";

/** The render's component ids and the `operator.istio.io/component` values istioctl labels them with. */
export const componentLabels: Record<string, string> = {
  base: "Base",
  istiod: "Pilot",
  ingress: "IngressGateways",
  egress: "EgressGateways",
  cni: "Cni",
  ztunnel: "Ztunnel",
};

/** istioctl labels the namespace it creates with the mesh network when `values.global.network` is set. */
function namespaceLabels(operator: GeneratedManifest["operator"]): Record<string, string> | undefined {
  const network = (operator.spec as { values?: { global?: { network?: unknown } } } | undefined)?.values?.global?.network;
  return typeof network === "string" && network !== "" ? { "topology.istio.io/network": network } : undefined;
}

export function planFromManifest(
  generated: Pick<GeneratedManifest, "components" | "namespace" | "revision" | "operator">,
  version: string,
): InstallPlan {
  const installName = generated.operator.metadata?.name;
  const labels = namespaceLabels(generated.operator);
  return {
    namespace: generated.namespace,
    ...(labels ? { namespaceLabels: labels } : {}),
    revision: generated.revision || "default",
    version,
    ...(typeof installName === "string" && installName !== "" ? { installName } : {}),
    components: generated.components.map((component) => ({
      component: componentLabels[component.component] ?? component.component,
      displayName: component.displayName,
      ...(component.gatewayName ? { gatewayName: component.gatewayName } : {}),
      objects: component.objects,
    })),
  };
}
