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

export function planFromManifest(generated: Pick<GeneratedManifest, "components" | "namespace" | "revision" | "operator">, version: string): InstallPlan {
  const installName = generated.operator.metadata?.name;
  return {
    namespace: generated.namespace,
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
