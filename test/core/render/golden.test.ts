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

describe("settings that add objects (none is refused)", () => {
  const objectsOf = (sets: string[]) =>
    generateManifest({ files: [], sets }).components.flatMap((component) => component.objects.map((object) => object as any));
  const named = (sets: string[], kind: string) =>
    objectsOf(sets)
      .filter((object) => object.kind === kind)
      .map((object) => `${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name}`);

  // Only the objects the setting adds: the rest is the profile's own golden.
  it.each([
    ["networkpolicy", ["profile=demo", "values.global.networkPolicy.enabled=true"], ["NetworkPolicy"]],
    ["stable", ["profile=stable"], ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]],
  ])("%s matches its reviewed golden file", (name, sets, kinds) => {
    const file = new URL(`${name}.yaml`, goldenDirectory);
    const objects = sortObjects(generateManifest({ files: [], sets }).components.flatMap((component) => component.objects));
    const text = manifestYaml(objects.filter((object) => kinds.includes(object.kind)));
    if (process.env.REFRESH_GOLDEN === "1") writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, "utf8"));
  });

  it("stable = default + the policy and its binding; networkPolicy adds only NetworkPolicies", () => {
    const ids = (sets: string[]) => new Set(objectsOf(sets).map((object) => `${object.kind}/${object.metadata.name}`));
    const added = (sets: string[], base: string[]) => [...ids(sets)].filter((id) => !ids(base).has(id)).sort();
    expect(added(["profile=stable"], [])).toEqual([
      "ValidatingAdmissionPolicy/stable-channel-policy-istio-system.istio.io",
      "ValidatingAdmissionPolicyBinding/stable-channel-policy-binding-istio-system.istio.io",
    ]);
    expect(ids(["profile=stable"]).size).toBe(ids([]).size + 2);
    expect(added(["profile=demo", "values.global.networkPolicy.enabled=true"], ["profile=demo"])).toEqual([
      "NetworkPolicy/istio-egressgateway",
      "NetworkPolicy/istio-ingressgateway",
      "NetworkPolicy/istiod",
    ]);
  });

  it("networkPolicy adds one NetworkPolicy per component, CNI and ztunnel included", () => {
    expect(named(["profile=ambient", "values.global.networkPolicy.enabled=true"], "NetworkPolicy").sort()).toEqual([
      "istio-system/istio-cni",
      "istio-system/istiod",
      "istio-system/ztunnel",
    ]);
    expect(named(["values.global.networkPolicy.enabled=true", "revision=canary"], "NetworkPolicy").sort()).toEqual([
      "istio-system/istio-ingressgateway-canary",
      "istio-system/istiod-canary",
    ]);
    expect(named([], "NetworkPolicy")).toEqual([]);
  });

  it("the stable profile adds the revision's ValidatingAdmissionPolicy and binding; defaultRevision adds the default ones", () => {
    expect(named(["profile=stable"], "ValidatingAdmissionPolicy")).toEqual(["stable-channel-policy-istio-system.istio.io"]);
    expect(named(["profile=stable", "revision=canary"], "ValidatingAdmissionPolicyBinding")).toEqual([
      "stable-channel-policy-binding-canary-istio-system.istio.io",
    ]);
    expect(named(["profile=stable", "values.defaultRevision=default"], "ValidatingAdmissionPolicy").sort()).toEqual([
      "stable-channel-default-policy.istio.io",
      "stable-channel-policy-istio-system.istio.io",
    ]);
    const binding = objectsOf(["profile=stable"]).find((object) => object.kind === "ValidatingAdmissionPolicyBinding");
    expect(binding.spec).toEqual({ policyName: "stable-channel-policy-istio-system.istio.io", validationActions: ["Deny"] });
  });

  it("values.defaultRevision adds istiod-default-validator pointing at that revision's istiod", () => {
    const validator = objectsOf(["values.defaultRevision=canary"]).find((object) => object.metadata.name === "istiod-default-validator");
    expect(validator.metadata.labels["istio.io/rev"]).toBe("canary");
    expect(validator.webhooks[0].clientConfig).toEqual({
      service: { name: "istiod-canary", namespace: "istio-system", path: "/validate" },
    });
    expect(validator.webhooks[0].failurePolicy).toBe("Ignore");
    expect(named([], "ValidatingWebhookConfiguration")).toEqual(["istio-validator-istio-system"]);
  });

  it("values.revisionTags adds each tag's MutatingWebhookConfiguration and Service; the default tag answers istio-injection", () => {
    const objects = objectsOf(["revision=canary", "values.revisionTags[0]=prod", "values.revisionTags[1]=default"]);
    const prod = objects.find((object) => object.metadata.name === "istio-revision-tag-prod");
    expect(prod.metadata.labels).toMatchObject({ "istio.io/tag": "prod", "istio.io/rev": "canary", app: "sidecar-injector" });
    expect(prod.webhooks.map((hook: any) => hook.name)).toEqual([
      "rev.namespace.sidecar-injector.istio.io",
      "rev.object.sidecar-injector.istio.io",
    ]);
    expect(prod.webhooks[0].namespaceSelector.matchExpressions[0]).toEqual({ key: "istio.io/rev", operator: "In", values: ["prod"] });
    expect(prod.webhooks[0].clientConfig.service.name).toBe("istiod-canary");
    const defaultTag = objects.find((object) => object.metadata.name === "istio-revision-tag-default");
    expect(defaultTag.webhooks.map((hook: any) => hook.name)).toContain("namespace.sidecar-injector.istio.io");
    const service = objects.find((object) => object.metadata.name === "istiod-revision-tag-prod");
    expect(service.spec.selector).toEqual({ app: "istiod", "istio.io/rev": "canary" });
    // With operatorManageWebhooks the chart leaves out the tag webhooks and the revision's own injector webhook.
    expect(named(["values.revisionTags[0]=prod", "values.global.operatorManageWebhooks=true"], "MutatingWebhookConfiguration")).toEqual([]);
  });

  it("values.pilot.jwksResolverExtraRootCA adds the ConfigMap and mounts it into istiod", () => {
    const objects = objectsOf(["values.pilot.jwksResolverExtraRootCA=PEM"]);
    expect(objects.find((object) => object.metadata.name === "pilot-jwks-extra-cacerts").data).toEqual({ "extra.pem": "PEM" });
    const pod = objects.find((object) => object.kind === "Deployment" && object.metadata.name === "istiod").spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: "extracacerts", configMap: { name: "pilot-jwks-extra-cacerts" } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "extracacerts", mountPath: "/cacerts" });
  });

  it("values.gatewayClasses adds one defaults ConfigMap per class, each kind as YAML text", () => {
    const objects = objectsOf(["values.gatewayClasses.istio.deployment.spec.replicas=2"]);
    const configMap = objects.find((object) => object.metadata.name === "istio-default-gatewayclass-istio");
    expect(configMap.data).toEqual({ deployment: "spec:\n  replicas: 2\n" });
    expect(configMap.metadata.labels["gateway.istio.io/defaults-for-class"]).toBe("istio");
  });

  it("values.global.remotePilotAddress on a remote cluster adds the local istiod Service (and an EndpointSlice for an IP)", () => {
    expect(named(["profile=remote", "values.global.remotePilotAddress=10.0.0.1"], "EndpointSlice")).toEqual(["istio-system/istiod"]);
    const byName = objectsOf(["profile=remote", "values.global.remotePilotAddress=istiod.example.com"]);
    const service = byName.find((object) => object.kind === "Service");
    expect(service.spec).toMatchObject({ type: "ExternalName", externalName: "istiod.example.com" });
    expect(byName.some((object) => object.kind === "EndpointSlice")).toBe(false);
  });

  it("values.base.enableCRDTemplates=false ships the CRDs with the CRD file's own labels", () => {
    const crds = objectsOf(["values.base.enableCRDTemplates=false"]).filter((object) => object.kind === "CustomResourceDefinition");
    expect(crds).toHaveLength(15);
    const labels = (name: string) => crds.find((crd) => crd.metadata.name === name).metadata.labels;
    expect(labels("virtualservices.networking.istio.io")).toEqual({
      app: "istio-pilot",
      chart: "istio",
      heritage: "Tiller",
      release: "istio",
    });
    expect(labels("telemetries.telemetry.istio.io").istio).toBe("telemetry");
  });

  it("filters base and istiod by values.global.resourceScope; the gateway charts have no scope", () => {
    const generated = (scope: string) => generateManifest({ files: [], sets: [`values.global.resourceScope=${scope}`] });
    const kinds = (scope: string, components: string[]) =>
      new Set(
        generated(scope)
          .components.filter((c) => components.includes(c.component))
          .flatMap((c) => c.objects.map((o) => o.kind)),
      );
    expect([...kinds("cluster", ["base", "istiod"])].sort()).toEqual([
      "ClusterRole",
      "ClusterRoleBinding",
      "CustomResourceDefinition",
      "MutatingWebhookConfiguration",
      "ValidatingWebhookConfiguration",
    ]);
    expect(kinds("namespace", ["base", "istiod"]).has("ClusterRole")).toBe(false);
    expect(kinds("namespace", ["base", "istiod"]).has("Deployment")).toBe(true);
    expect(kinds("cluster", ["ingress"])).toEqual(kinds("all", ["ingress"]));
    expect(kinds("cluster", ["ingress"]).has("Deployment")).toBe(true);
  });

  it("keeps the Istio CRDs with values.base.enableIstioConfigCRDs=false, as istioctl does, and warns", () => {
    const manifest = generateManifest({ files: [], sets: ["values.base.enableIstioConfigCRDs=false"], components: ["base"] });
    const crds = manifest.components[0]!.objects.filter((object) => object.kind === "CustomResourceDefinition");
    expect(crds.length).toBe(
      generateManifest({ files: [], sets: [], components: ["base"] }).components[0]!.objects.filter(
        (o) => o.kind === "CustomResourceDefinition",
      ).length,
    );
    expect(manifest.findings).toContainEqual(
      expect.objectContaining({ severity: "warning", code: "IOP_IGNORED_FIELD", path: "spec.values.base.enableIstioConfigCRDs" }),
    );
  });

  it("warns when istiod may approve CSRs for every signer (an external CA, no certSigners)", () => {
    const codes = (sets: string[]) => generateManifest({ files: [], sets, components: ["istiod"] }).findings.map((finding) => finding.code);
    expect(codes(["values.pilot.env.EXTERNAL_CA=ISTIOD_RA_KUBERNETES_API"])).toContain("IOP_CSR_SIGNERS");
    expect(
      codes(["values.pilot.env.EXTERNAL_CA=ISTIOD_RA_KUBERNETES_API", "values.global.certSigners[0]=example.com/signer"]),
    ).not.toContain("IOP_CSR_SIGNERS");
    expect(codes([])).not.toContain("IOP_CSR_SIGNERS");
  });

  it("renders no scoped base or istiod object for an unknown resourceScope reaching the charts, and warns", () => {
    // values.global.resourceScope=al is refused with a did-you-mean; unvalidatedValues take it to the charts as istioctl would.
    const manifest = generateManifest({ files: [], sets: ["unvalidatedValues.global.resourceScope=al"] });
    const objects = (component: string) => manifest.components.find((c) => c.component === component)?.objects ?? [];
    expect(objects("base")).toEqual([]);
    expect(objects("istiod")).toEqual([]);
    expect(objects("ingress").length).toBeGreaterThan(0);
    expect(manifest.findings).toContainEqual(
      expect.objectContaining({ severity: "warning", code: "IOP_RESOURCE_SCOPE", path: "spec.values.global.resourceScope" }),
    );
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
