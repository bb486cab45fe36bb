import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateManifest, manifestYaml, sortObjects } from "../../../src/core/render/index.js";

// Reviewed object by object against docs/design/install.md (§2.4, §7, §8, §9, §12); refreshed only with REFRESH_GOLDEN=1.
// CRD specs are elided: they come from schemas/ and are checked by the schema conformance tests.
const goldenDirectory = new URL("../../golden/manifest/", import.meta.url);
const render = (profile: string) => {
  const manifest = generateManifest({ files: [], sets: [`profile=${profile}`] });
  const objects = sortObjects(manifest.components.flatMap((component) => component.objects));
  const reviewable = objects.map((object) =>
    object.kind === "CustomResourceDefinition"
      ? { apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata, spec: "(elided: generated from schemas/)" }
      : object,
  );
  return { manifest, text: manifestYaml(reviewable) };
};
const identities = (profile: string) =>
  render(profile).manifest.components.flatMap((component) => component.objects.map((object) => `${object.kind}/${object.metadata.name}`));

describe("manifests of the built-in profiles", () => {
  it.each([
    ["default", 39],
    ["demo", 42],
    ["minimal", 33],
    ["empty", 0],
  ])("%s renders %i objects", (profile, count) => {
    expect(identities(profile)).toHaveLength(count);
  });

  it("orders components for install and names them as istioctl prints them", () => {
    expect(
      render("demo").manifest.components.map((component) => [component.component, component.displayName, component.objects.length]),
    ).toEqual([
      ["base", "Istio core", 16],
      ["istiod", "Istiod", 16],
      ["ingress", "Ingress gateways", 5],
      ["egress", "Egress gateways", 5],
    ]);
  });

  it("default = demo - egress + the two HPAs; minimal = default - ingress", () => {
    const demo = new Set(identities("demo"));
    const defaults = new Set(identities("default"));
    const minimal = new Set(identities("minimal"));
    expect([...demo].filter((id) => !defaults.has(id)).sort()).toEqual([
      "Deployment/istio-egressgateway",
      "Role/istio-egressgateway-sds",
      "RoleBinding/istio-egressgateway-sds",
      "Service/istio-egressgateway",
      "ServiceAccount/istio-egressgateway-service-account",
    ]);
    expect([...defaults].filter((id) => !demo.has(id)).sort()).toEqual([
      "HorizontalPodAutoscaler/istio-ingressgateway",
      "HorizontalPodAutoscaler/istiod",
    ]);
    expect([...defaults].filter((id) => !minimal.has(id)).sort()).toEqual([
      "Deployment/istio-ingressgateway",
      "HorizontalPodAutoscaler/istio-ingressgateway",
      "Role/istio-ingressgateway-sds",
      "RoleBinding/istio-ingressgateway-sds",
      "Service/istio-ingressgateway",
      "ServiceAccount/istio-ingressgateway-service-account",
    ]);
    expect([...identities("default")].some((id) => id.startsWith("PodDisruptionBudget/"))).toBe(false);
  });

  it.each(["default", "demo", "minimal"])("%s matches its reviewed golden file", (profile) => {
    const file = new URL(`${profile}.yaml`, goldenDirectory);
    const { text } = render(profile);
    if (process.env.REFRESH_GOLDEN === "1" || !existsSync(file)) {
      if (process.env.REFRESH_GOLDEN !== "1") throw new Error(`missing golden ${file.pathname}; run with REFRESH_GOLDEN=1 and review it`);
      mkdirSync(goldenDirectory, { recursive: true });
      writeFileSync(file, text);
    }
    expect(text).toBe(readFileSync(file, "utf8"));
  });
});

describe("the remote profile", () => {
  it("renders base plus the reader RBAC, the values ConfigMap and the injection webhook (20 objects)", () => {
    const manifest = generateManifest({ files: [], sets: ["profile=remote"] });
    expect(manifest.components.map((component) => component.objects.length)).toEqual([16, 4]);
    expect(manifest.components[1]!.objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
      "ClusterRole/istio-reader-clusterrole-istio-system",
      "ClusterRoleBinding/istio-reader-clusterrole-istio-system",
      "ConfigMap/values",
      "MutatingWebhookConfiguration/istio-sidecar-injector",
    ]);
  });

  it("points the webhook at values.istiodRemote.injectionURL and adds istiod's RBAC for a config cluster", () => {
    const manifest = generateManifest({
      files: [],
      sets: ["profile=remote", "values.istiodRemote.injectionURL=https://istiod.example:15017/inject", "values.global.configCluster=true"],
    });
    const objects = manifest.components[1]!.objects;
    const webhook = objects.find((object) => object.kind === "MutatingWebhookConfiguration") as any;
    expect(webhook.webhooks[0].clientConfig).toEqual({ url: "https://istiod.example:15017/inject" });
    expect(objects.some((object) => object.kind === "ValidatingWebhookConfiguration")).toBe(true);
    expect(objects.some((object) => object.kind === "Deployment")).toBe(false);
  });
});

describe("settings mesh does not render silently", () => {
  it.each([
    "values.global.networkPolicy.enabled=true",
    "values.revisionTags[0]=prod",
    "values.defaultRevision=default",
    "values.experimental.stableValidationPolicy=true",
  ])("refuses %s with a clear error", (set) => {
    expect(() => generateManifest({ files: [], sets: [set] })).toThrow("mesh cannot render the objects this setting adds yet");
  });

  it("refuses the stable profile (its ValidatingAdmissionPolicy is not rendered)", () => {
    expect(() => generateManifest({ files: [], sets: ["profile=stable"] })).toThrow("values.experimental.stableValidationPolicy");
  });

  it("filters by values.global.resourceScope", () => {
    const kinds = (scope: string) =>
      new Set(
        generateManifest({ files: [], sets: [`values.global.resourceScope=${scope}`] }).components.flatMap((c) =>
          c.objects.map((o) => o.kind),
        ),
      );
    expect([...kinds("cluster")].sort()).toEqual([
      "ClusterRole",
      "ClusterRoleBinding",
      "CustomResourceDefinition",
      "MutatingWebhookConfiguration",
      "ValidatingWebhookConfiguration",
    ]);
    expect(kinds("namespace").has("ClusterRole")).toBe(false);
    expect(kinds("namespace").has("Deployment")).toBe(true);
  });

  it("warns that spec.namespace is not used", () => {
    const manifest = generateManifest({ files: [], sets: ["namespace=elsewhere"], components: ["base"] });
    expect(manifest.findings.map((finding) => finding.path)).toEqual(["spec.namespace"]);
    expect(manifest.namespace).toBe("istio-system");
  });

  it("warns that installPackagePath is ignored", () => {
    const manifest = generateManifest({ files: [], sets: ["installPackagePath=/tmp/charts"], components: ["base"] });
    expect(manifest.findings.map((finding) => finding.message)).toEqual([
      "installPackagePath is ignored: mesh renders from its own profiles and renderers",
    ]);
  });
});
