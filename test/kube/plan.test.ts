import { describe, expect, it } from "vitest";
import { componentLabels, planFromManifest } from "../../src/kube/plan.js";

const generated = (spec: Record<string, unknown>, name?: string) => ({
  operator: {
    apiVersion: "install.istio.io/v1alpha1",
    kind: "IstioOperator",
    metadata: { namespace: "istio-system", ...(name ? { name } : {}) },
    spec,
  },
  namespace: "istio-system",
  revision: "",
  components: [
    { component: "base" as const, displayName: "Istio core", objects: [] },
    { component: "istiod" as const, displayName: "Istiod", objects: [] },
    { component: "ingress" as const, displayName: "Ingress gateways", gatewayName: "istio-ingressgateway", objects: [] },
  ],
});

describe("planFromManifest", () => {
  it.each([
    ["base", "Base"],
    ["istiod", "Pilot"],
    ["ingress", "IngressGateways"],
    ["egress", "EgressGateways"],
    ["cni", "Cni"],
    ["ztunnel", "Ztunnel"],
  ])("labels render component %s with istioctl's component name %s", (render, label) => {
    expect(componentLabels[render]).toBe(label);
  });

  it("maps components to istioctl's names, keeps order and gateway names, and uses revision default", () => {
    const plan = planFromManifest(generated({}), "1.30.3");
    expect(plan.revision).toBe("default");
    expect(plan.components.map((component) => [component.component, component.displayName, component.gatewayName])).toEqual([
      ["Base", "Istio core", undefined],
      ["Pilot", "Istiod", undefined],
      ["IngressGateways", "Ingress gateways", "istio-ingressgateway"],
    ]);
    expect(plan.installName).toBeUndefined();
    expect(plan.namespaceLabels).toBeUndefined();
  });

  it("takes the install name from the IstioOperator and the namespace network label from values.global.network", () => {
    const plan = planFromManifest(generated({ values: { global: { network: "network1" } } }, "control-plane"), "1.30.3");
    expect(plan.installName).toBe("control-plane");
    expect(plan.namespaceLabels).toEqual({ "topology.istio.io/network": "network1" });
  });
});
