import { describe, expect, it } from "vitest";
import { generateManifest, manifestYaml, sortObjects } from "../../../src/core/render/index.js";
import { validateObjects } from "../../../src/core/validate/index.js";

const components = undefined;
const inputs: string[][] = [
  [],
  ["profile=demo"],
  ["profile=minimal"],
  ["revision=canary"],
  ["values.global.hub=registry.example/istio", "tag=1.30.2"],
  [
    "components.ingressGateways[0].name=edge",
    "components.ingressGateways[0].k8s.replicaCount=2",
    "values.gateways.istio-ingressgateway.autoscaleEnabled=false",
  ],
  ["values.gateways.istio-egressgateway.enabled=true", "meshConfig.defaultConfig.proxyMetadata.DNS=true"],
];
const render = (sets: string[]) => {
  const manifest = generateManifest({ files: [], sets, components });
  return manifestYaml(sortObjects(manifest.components.flatMap((component) => component.objects)));
};

describe("rendering properties", () => {
  it.each(inputs.map((sets) => [sets.join(" ") || "(default)", sets] as const))(
    "renders %s to the same bytes every time",
    (_name, sets) => {
      expect(render(sets)).toBe(render(sets));
    },
  );

  it("does not depend on the order of --set flags that touch different fields", () => {
    const sets = [
      "values.global.hub=registry.example/istio",
      "values.gateways.istio-ingressgateway.autoscaleMax=7",
      "meshConfig.trustDomain=example.org",
    ];
    expect(render([...sets].reverse())).toBe(render(sets));
  });

  it.each(inputs.map((sets) => [sets.join(" ") || "(default)", sets] as const))(
    "every object rendered for %s passes mesh validate where a schema exists",
    (_name, sets) => {
      const objects = generateManifest({ files: [], sets, components }).components.flatMap((component) => component.objects);
      const errors = validateObjects(objects, { ignoreMissingSchemas: true }).filter((finding) => finding.severity === "error");
      expect(errors).toEqual([]);
    },
  );
});

describe("precomputed CRD texts", () => {
  it("are ignored once a caller changes the object's labels", async () => {
    const { attachText } = await import("../../../src/core/render/precomputed.js");
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "x.example.io", labels: { a: "b" } },
      spec: {},
    };
    attachText(crd, "stale: true\n");
    expect(manifestYaml([crd])).toBe("stale: true\n\n---\n");
    crd.metadata.labels.a = "changed";
    expect(manifestYaml([crd])).toContain("a: changed");
  });
});
