import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../src/core/objects.js";
import { generateManifest } from "../../../src/core/render/index.js";

const deployment = (sets: string[], name = "istio-ingressgateway") => {
  const objects = generateManifest({ files: [], sets, components: ["ingress", "egress"] }).components.flatMap((c) => c.objects);
  const found = objects.find((object) => object.kind === "Deployment" && object.metadata.name === name);
  if (!found) throw new Error(`Deployment ${name} not rendered`);
  return found as KubeObject & { spec: any };
};
const ingressTemplate = "values.gateways.istio-ingressgateway.injectionTemplate=gateway";

describe("gateways with injectionTemplate: the pod the injection webhook completes", () => {
  it("asks for the named template and leaves image, args, probes and mesh env to injection", () => {
    const pod = deployment([ingressTemplate]).spec.template;
    expect(pod.metadata.labels["sidecar.istio.io/inject"]).toBe("true");
    expect(pod.metadata.annotations).toMatchObject({ "sidecar.istio.io/inject": "true", "inject.istio.io/templates": "gateway" });
    const [proxy] = pod.spec.containers;
    expect(proxy.name).toBe("istio-proxy");
    expect(proxy.image).toBe("auto");
    expect(proxy.args).toBeUndefined();
    expect(proxy.readinessProbe).toBeUndefined();
    expect(proxy.env).toEqual([{ name: "ISTIO_META_UNPRIVILEGED_POD", value: "true" }]);
    expect(proxy.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      privileged: false,
      readOnlyRootFilesystem: true,
    });
  });

  it("keeps the gateway's own settings: ports, resources, scheduling, account, its secret volumes and env", () => {
    const full = deployment(["values.gateways.istio-ingressgateway.env.EXTRA=1"]);
    const injected = deployment([ingressTemplate, "values.gateways.istio-ingressgateway.env.EXTRA=1"]);
    for (const field of ["serviceAccountName", "affinity", "securityContext"])
      expect(injected.spec.template.spec[field]).toEqual(full.spec.template.spec[field]);
    expect(injected.spec.strategy).toEqual(full.spec.strategy);
    expect(injected.spec.selector).toEqual(full.spec.selector);
    const [proxy] = injected.spec.template.spec.containers;
    const [fullProxy] = full.spec.template.spec.containers;
    expect(proxy.ports).toEqual(fullProxy.ports);
    expect(proxy.resources).toEqual(fullProxy.resources);
    expect(proxy.env).toEqual([
      { name: "ISTIO_META_UNPRIVILEGED_POD", value: "true" },
      { name: "EXTRA", value: "1" },
    ]);
    const secretVolumes = injected.spec.template.spec.volumes.map((volume: any) => volume.name);
    expect(secretVolumes).toEqual(["ingressgateway-certs", "ingressgateway-ca-certs"]);
    expect(proxy.volumeMounts.map((mount: any) => mount.name)).toEqual(secretVolumes);
  });

  it("is not opted out of ambient nor pinned to the default revision; a revision selects its injector", () => {
    const plain = deployment([ingressTemplate]);
    expect(plain.metadata.labels?.["istio.io/dataplane-mode"]).toBeUndefined();
    expect(plain.spec.template.metadata.labels["istio.io/dataplane-mode"]).toBeUndefined();
    expect(plain.spec.template.metadata.labels["istio.io/rev"]).toBeUndefined();
    expect(plain.spec.template.metadata.annotations["istio.io/rev"]).toBeUndefined();
    const revisioned = deployment([ingressTemplate, "revision=canary"]);
    expect(revisioned.spec.template.metadata.labels["istio.io/rev"]).toBe("canary");
  });

  it("pod annotations from the values still win, as in the chart", () => {
    const pod = deployment([ingressTemplate, "values.gateways.istio-ingressgateway.podAnnotations.inject\\.istio\\.io/templates=custom"])
      .spec.template;
    expect(pod.metadata.annotations["inject.istio.io/templates"]).toBe("custom");
  });

  it("egress too; without injectionTemplate the full Deployment is unchanged", () => {
    const egress = deployment(
      ["components.egressGateways[0].enabled=true", "values.gateways.istio-egressgateway.injectionTemplate=gateway"],
      "istio-egressgateway",
    );
    expect(egress.spec.template.spec.containers[0].image).toBe("auto");
    expect(deployment([]).spec.template.spec.containers[0].image).toMatch(/proxyv2/);
  });
});
