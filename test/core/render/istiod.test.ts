import { describe, expect, it } from "vitest";
import { composeOperator } from "../../../src/core/operator/compose.js";
import type { IstiodContext } from "../../../src/core/render/istiod-context.js";
import { injectorConfigMap, meshConfigMap, valuesConfigMap } from "../../../src/core/render/istiod-configmaps.js";
import { istiodImage } from "../../../src/core/render/istiod.js";
import { istiodRbac } from "../../../src/core/render/istiod-rbac.js";
import { configValidationWebhook, sidecarInjectorWebhook } from "../../../src/core/render/istiod-webhooks.js";
import { istiodAutoscaler, istiodDeployment, istiodDisruptionBudget, istiodService } from "../../../src/core/render/istiod-workload.js";
import { parse } from "yaml";
import { istiodChartValues, operatorValues } from "../../../src/core/render/values.js";

function contextFor(sets: string[]): IstiodContext {
  const { operator, user } = composeOperator({ documents: [], sets });
  const passedValues = operatorValues(operator, user);
  const values = istiodChartValues(passedValues);
  return {
    values,
    passedValues,
    namespace: operator.spec?.components?.pilot?.namespace ?? "istio-system",
    istioNamespace: "istio-system",
    revision: typeof passedValues.revision === "string" ? passedValues.revision : "",
  };
}
const deployment = (sets: string[]) => istiodDeployment(contextFor(sets), "docker.io/istio", "1.30.3") as any;
const envOf = (sets: string[]) =>
  Object.fromEntries(deployment(sets).spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe("istiod Deployment", () => {
  it('default: no replicas (the HPA scales it), 500m/2048Mi requests, trace sampling "1"', () => {
    const rendered = deployment([]);
    expect(rendered.spec.replicas).toBeUndefined();
    const container = rendered.spec.template.spec.containers[0];
    expect(container.image).toBe("docker.io/istio/pilot:1.30.3");
    expect(container.resources).toEqual({ requests: { cpu: "500m", memory: "2048Mi" } });
    expect(envOf([]).PILOT_TRACE_SAMPLING).toBe("1");
  });

  it('demo: replicas 1, 10m/100Mi, trace sampling "100", no HPA', () => {
    const rendered = deployment(["profile=demo"]);
    expect(rendered.spec.replicas).toBe(1);
    expect(rendered.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: "10m", memory: "100Mi" } });
    expect(envOf(["profile=demo"]).PILOT_TRACE_SAMPLING).toBe("100");
    expect(istiodAutoscaler(contextFor(["profile=demo"]))).toBeUndefined();
  });

  it("orders env as the chart does, with values.pilot.env sorted by key in the middle", () => {
    const names = deployment(["values.pilot.env.ZZZ=1", "values.pilot.env.AAA=true"]).spec.template.spec.containers[0].env.map(
      (e: any) => e.name,
    );
    expect(names).toEqual([
      "REVISION",
      "PILOT_CERT_PROVIDER",
      "POD_NAME",
      "POD_NAMESPACE",
      "SERVICE_ACCOUNT",
      "KUBECONFIG",
      "CA_TRUSTED_NODE_ACCOUNTS",
      "AAA",
      "ZZZ",
      "PILOT_TRACE_SAMPLING",
      "PILOT_ENABLE_ANALYSIS",
      "CLUSTER_ID",
      "GOMAXPROCS",
      "PLATFORM",
    ]);
    expect(envOf(["values.pilot.env.AAA=true"]).AAA).toBe("true");
    expect(envOf([]).CA_TRUSTED_NODE_ACCOUNTS).toBe("istio-system/ztunnel");
  });

  it("on OpenShift trusts ztunnel in kube-system and tells the injector that CNI goes through Multus", () => {
    for (const sets of [["profile=openshift"], ["values.global.platform=openshift"]]) {
      expect(envOf(sets).CA_TRUSTED_NODE_ACCOUNTS).toBe("kube-system/ztunnel");
      const injectorValues = JSON.parse((injectorConfigMap(contextFor(sets), { templates: {} }) as any).data.values);
      expect(injectorValues.pilot.cni).toMatchObject({ provider: "multus", chained: false, cniConfFileName: "istio-cni.conf" });
    }
    // The IstioOperator's values still win over the platform profile.
    expect(envOf(["profile=openshift", "values.pilot.trustedZtunnelNamespace=ztunnel-ns"]).CA_TRUSTED_NODE_ACCOUNTS).toBe(
      "ztunnel-ns/ztunnel",
    );
  });

  it("follows hub/tag precedence: values.global beats spec, the distroless variant is appended", () => {
    const context = contextFor(["hub=spec.example", "values.global.hub=values.example", "values.global.variant=distroless"]);
    const image = istiodImage(context, undefined);
    expect(image).toEqual({ hub: "values.example", tag: "1.30.3" });
    expect((istiodDeployment(context, image.hub, image.tag) as any).spec.template.spec.containers[0].image).toBe(
      "values.example/pilot:1.30.3-distroless",
    );
    expect(istiodImage(context, { hub: "component.example", tag: "1.30.2" })).toEqual({ hub: "component.example", tag: "1.30.2" });
  });

  it("revision canary: names, selector and pod label follow the revision", () => {
    const rendered = deployment(["revision=canary"]);
    expect(rendered.metadata.name).toBe("istiod-canary");
    expect(rendered.spec.selector.matchLabels).toEqual({ app: "istiod", "istio.io/rev": "canary" });
    expect(rendered.spec.template.metadata.labels.istio).toBe("istiod");
    expect(rendered.spec.template.spec.serviceAccountName).toBe("istiod-canary");
  });
});

describe("istiod Service, HPA, PDB", () => {
  it("Service: ClusterIP (no type) with 15010, 15012, 443->15017, 15014", () => {
    const service = istiodService(contextFor([])) as any;
    expect(service.spec.type).toBeUndefined();
    expect(service.spec.ports.map((p: any) => `${p.name}:${p.port}${p.targetPort ? `->${p.targetPort}` : ""}`)).toEqual([
      "grpc-xds:15010",
      "https-dns:15012",
      "https-webhook:443->15017",
      "http-monitoring:15014",
    ]);
    expect(service.spec.selector).toEqual({ app: "istiod", istio: "pilot" });
  });

  it("HPA 1–5 on cpu 80%, a memory metric only when asked", () => {
    expect((istiodAutoscaler(contextFor([])) as any).spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "istiod" },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }],
    });
    expect((istiodAutoscaler(contextFor(["values.pilot.memory.targetAverageUtilization=70"])) as any).spec.metrics).toHaveLength(2);
  });

  it.each([
    [[], false],
    [["profile=demo"], false],
    [["values.pilot.autoscaleMin=2"], true],
    [["values.pilot.autoscaleEnabled=false", "values.pilot.replicaCount=2"], true],
    [["values.pilot.autoscaleMin=2", "values.global.defaultPodDisruptionBudget.enabled=false"], false],
  ])("PDB with %j: %s", (sets, expected) => {
    expect(istiodDisruptionBudget(contextFor(sets)) !== undefined).toBe(expected);
  });
});

describe("istiod webhooks and RBAC", () => {
  it("injector webhook: four webhooks keyed on the default revision, failurePolicy Fail", () => {
    const webhook = sidecarInjectorWebhook(contextFor([])) as any;
    expect(webhook.metadata.name).toBe("istio-sidecar-injector");
    expect(webhook.webhooks.map((w: any) => w.name)).toEqual([
      "rev.namespace.sidecar-injector.istio.io",
      "rev.object.sidecar-injector.istio.io",
      "namespace.sidecar-injector.istio.io",
      "object.sidecar-injector.istio.io",
    ]);
    for (const hook of webhook.webhooks) {
      expect(hook.failurePolicy).toBe("Fail");
      expect(hook.clientConfig).toEqual({ service: { name: "istiod", namespace: "istio-system", path: "/inject", port: 443 } });
    }
    expect(webhook.webhooks[0].namespaceSelector.matchExpressions[0]).toEqual({ key: "istio.io/rev", operator: "In", values: ["default"] });
  });

  it("injector webhook with a revision keeps only the rev.* pair; auto.* appears with enableNamespacesByDefault", () => {
    expect((sidecarInjectorWebhook(contextFor(["revision=canary"])) as any).webhooks.map((w: any) => w.name)).toEqual([
      "rev.namespace.sidecar-injector.istio.io",
      "rev.object.sidecar-injector.istio.io",
    ]);
    expect(
      (sidecarInjectorWebhook(contextFor(["values.sidecarInjectorWebhook.enableNamespacesByDefault=true"])) as any).webhooks,
    ).toHaveLength(5);
  });

  it("auto.* injects pods that carry neither the inject nor the revision label, as the chart's objectSelector says", () => {
    const webhooks = (sidecarInjectorWebhook(contextFor(["values.sidecarInjectorWebhook.enableNamespacesByDefault=true"])) as any).webhooks;
    // A pod labelled sidecar.istio.io/inject=true is the object.* hook's; auto.* must not match it a second time.
    expect(webhooks.find((w: any) => w.name === "auto.sidecar-injector.istio.io").objectSelector).toEqual({
      matchExpressions: [
        { key: "sidecar.istio.io/inject", operator: "DoesNotExist" },
        { key: "istio.io/rev", operator: "DoesNotExist" },
      ],
    });
  });

  it("validation webhook istio-validator-istio-system with failurePolicy Ignore", () => {
    const webhook = configValidationWebhook(contextFor([])) as any;
    expect(webhook.metadata.name).toBe("istio-validator-istio-system");
    expect(webhook.webhooks[0]).toMatchObject({
      name: "rev.validation.istio.io",
      failurePolicy: "Ignore",
      clientConfig: { service: { path: "/validate" } },
    });
    expect(configValidationWebhook(contextFor(["values.global.configValidation=false"]))).toBeUndefined();
  });

  it("RBAC: account and namespaced RBAC in istioNamespace, cluster-scoped names end in the namespace", () => {
    const objects = istiodRbac(contextFor([]));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "ServiceAccount/istiod",
      "ClusterRole/istiod-clusterrole-istio-system",
      "ClusterRoleBinding/istiod-clusterrole-istio-system",
      "ClusterRole/istiod-gateway-controller-istio-system",
      "ClusterRoleBinding/istiod-gateway-controller-istio-system",
      "ClusterRole/istio-reader-clusterrole-istio-system",
      "ClusterRoleBinding/istio-reader-clusterrole-istio-system",
      "Role/istiod",
      "RoleBinding/istiod",
    ]);
    const withoutController = istiodRbac(contextFor(["values.pilot.env.PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER=false"]));
    expect(withoutController.some((o) => o.metadata.name?.includes("gateway-controller"))).toBe(false);
    expect(istiodRbac(contextFor(["revision=canary"]))[1]!.metadata.name).toBe("istiod-clusterrole-canary-istio-system");
  });
});

describe("istiod ConfigMaps", () => {
  it("mesh config: chart defaults with sorted keys", () => {
    const configMap = meshConfigMap(contextFor([])) as any;
    expect(configMap.data.mesh).toBe(
      [
        "defaultConfig:",
        "  discoveryAddress: istiod.istio-system.svc:15012",
        "defaultProviders:",
        "  metrics:",
        "  - prometheus",
        "enablePrometheusMerge: true",
        "rootNamespace: istio-system",
        "trustDomain: cluster.local",
      ].join("\n"),
    );
    expect(configMap.data.meshNetworks).toBe("networks: {}");
  });

  it("mesh config for demo: access log and the four extension providers", () => {
    const mesh = parse((meshConfigMap(contextFor(["profile=demo"])) as any).data.mesh);
    expect(mesh.accessLogFile).toBe("/dev/stdout");
    expect(mesh.extensionProviders.map((p: any) => p.name)).toEqual(["otel", "skywalking", "otel-tracing", "jaeger"]);
  });

  it("user meshConfig merges over the chart's (lists replace) and defaultProviders is left to the user", () => {
    const mesh = parse(
      (meshConfigMap(contextFor(["meshConfig.defaultProviders.tracing[0]=zipkin", "meshConfig.trustDomain=example.org"])) as any).data.mesh,
    );
    expect(mesh.defaultProviders).toEqual({ tracing: ["zipkin"] });
    expect(mesh.trustDomain).toBe("example.org");
  });

  it("injector ConfigMap: policy, selectors, default templates and the values slice templates read", () => {
    const configMap = injectorConfigMap(contextFor(["values.sidecarInjectorWebhook.templates.custom=metadata: {}"]), {
      templates: { sidecar: "spec: {}\n", gateway: "spec: {}\n" },
    }) as any;
    const config = parse(configMap.data.config);
    expect(config).toMatchObject({
      policy: "enabled",
      defaultTemplates: ["sidecar"],
      alwaysInjectSelector: [],
      neverInjectSelector: [],
      injectedAnnotations: {},
    });
    expect(Object.keys(config.templates)).toEqual(["custom", "gateway", "sidecar"]);
    const values = JSON.parse(configMap.data.values);
    expect(Object.keys(values)).toEqual(["gateways", "global", "pilot", "revision", "sidecarInjectorWebhook"]);
    expect(values.global.hub).toBe("docker.io/istio");
    expect(values.global.tag).toBe("1.30.3");
    expect(values.pilot).toEqual({ cni: { enabled: false, provider: "default" }, env: {} });
    expect(configMap.data.values).toContain('\n  "gateways": {');
  });
});

describe("compatibility versions", () => {
  it("1.29 restores the older service-namespace choice; unknown versions are refused", () => {
    expect(envOf(["compatibilityVersion=1.29"]).PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE).toBe("false");
    expect(envOf([]).PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE).toBeUndefined();
    expect(() => contextFor(["compatibilityVersion=1.20"])).toThrow('compatibility version "1.20" is not supported by Istio 1.30');
  });

  it("1.25–1.28 restore each later release's defaults, as the chart's compatibility profiles list them", () => {
    const changed = (version: string) =>
      Object.entries(envOf([`compatibilityVersion=${version}`]))
        .filter(([name, value]) => value === "false" && name !== "PILOT_ENABLE_ANALYSIS")
        .map(([name]) => name)
        .filter((name) => envOf([])[name] !== "false")
        .sort();
    expect(changed("1.28")).toEqual(["DISABLE_TRACK_REMAINING_CB_METRICS", "PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE"]);
    expect(changed("1.27")).toEqual([
      "DISABLE_SHADOW_HOST_SUFFIX",
      "DISABLE_TRACK_REMAINING_CB_METRICS",
      "PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE",
      "PILOT_SPAWN_UPSTREAM_SPAN_FOR_GATEWAY",
    ]);
    expect(changed("1.25")).toEqual([...changed("1.27"), "ENABLE_NATIVE_SIDECARS"].sort());
    expect(changed("1.26")).toEqual(changed("1.25"));
  });
});

describe("tracing in the mesh config", () => {
  it("adds defaultConfig.tracing for a tracer other than none, with its address", () => {
    const mesh = parse(
      (meshConfigMap(contextFor(["values.global.proxy.tracer=zipkin", "values.global.tracer.zipkin.address=zipkin.tracing:9411"])) as any)
        .data.mesh,
    );
    expect(mesh.defaultConfig.tracing).toEqual({ zipkin: { address: "zipkin.tracing:9411" } });
    expect(parse((meshConfigMap(contextFor([])) as any).data.mesh).defaultConfig.tracing).toBeUndefined();
  });
});

describe("istiod chart objects as istioctl renders them (test/conformance/charts.test.ts)", () => {
  it("labels the HPA and PDB app.kubernetes.io/name=istiod", () => {
    expect((istiodAutoscaler(contextFor([])) as any).metadata.labels["app.kubernetes.io/name"]).toBe("istiod");
    const pdb = istiodDisruptionBudget(contextFor(["values.pilot.autoscaleMin=2"])) as any;
    expect(pdb.metadata.labels["app.kubernetes.io/name"]).toBe("istiod");
  });

  it("writes merged-values in the chart's layout: istiod settings top-level, the passed pilot settings under pilot", () => {
    const configMap = valuesConfigMap(contextFor(["values.pilot.autoscaleMin=2"])) as any;
    const merged = JSON.parse(configMap.data["merged-values"]);
    expect(merged).toMatchObject({ autoscaleMin: 2, autoscaleMax: 5, image: "pilot", hub: "", pdb: { minAvailable: 1 } });
    expect(merged.pilot).toEqual({ autoscaleMin: 2, enabled: true, cni: { enabled: false } });
    expect(merged.defaultRevision).toBe("");
    expect(merged.global).not.toHaveProperty("platform");
    expect(merged.global.proxy.seccompProfile).toEqual({});
  });

  it("gives the injector the chart's top-level cni settings (values.cni meets pilot.cni) and null injectedAnnotations", () => {
    const injector = injectorConfigMap(contextFor(["values.cni.ambient.enabled=true"]), { templates: {} }) as any;
    expect(JSON.parse(injector.data.values).pilot.cni).toEqual({ enabled: false, provider: "default", ambient: { enabled: true } });
    expect(parse(injector.data.config).injectedAnnotations).toBeNull();
  });
});

describe("istiod settings the charts render (test/conformance/charts.test.ts)", () => {
  const rules = (sets: string[]) =>
    (istiodRbac(contextFor(sets)).find((o) => o.kind === "ClusterRole" && o.metadata.name === "istiod-clusterrole-istio-system") as any)
      .rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];

  it("pilot.taint.enabled lets istiod patch nodes and turns on the untaint controller", () => {
    expect(rules(["values.pilot.taint.enabled=true"])).toContainEqual({ apiGroups: [""], resources: ["nodes"], verbs: ["patch"] });
    expect(rules([])).not.toContainEqual({ apiGroups: [""], resources: ["nodes"], verbs: ["patch"] });
    expect(envOf(["values.pilot.taint.enabled=true"])).toMatchObject({
      PILOT_ENABLE_NODE_UNTAINT_CONTROLLERS: "true",
      PILOT_NODE_UNTAINT_CONTROLLERS_TAINT_NAME: "cni.istio.io/not-ready",
    });
  });

  it("global.istiod.enableAnalysis grants update/patch on the */status of each Istio kind, not on everything", () => {
    const analysis = rules(["values.global.istiod.enableAnalysis=true"]).find((rule) => rule.verbs.join() === "update,patch")!;
    expect(analysis.resources).toContain("virtualservices/status");
    expect(analysis.resources.every((resource) => resource.endsWith("/status"))).toBe(true);
  });

  it("global.operatorManageWebhooks leaves the injector webhook out", () => {
    expect(sidecarInjectorWebhook(contextFor(["values.global.operatorManageWebhooks=true"]))).toBeUndefined();
  });

  it("global.externalIstiod sets EXTERNAL_ISTIOD", () => {
    expect(envOf(["values.global.externalIstiod=true"]).EXTERNAL_ISTIOD).toBe("true");
  });

  const csrRule = { apiGroups: ["certificates.k8s.io"], resources: ["signers"], verbs: ["approve"] };
  const approveRule = (sets: string[]) =>
    rules(sets).find((rule) => rule.resources.join() === "signers" && rule.verbs.join() === "approve") as
      { resourceNames: string[] | null } | undefined;

  it("grants the CSR rules for an external CA or a cert provider istiod does not serve itself, with certSigners as resourceNames", () => {
    expect(approveRule([])).toBeUndefined();
    expect(approveRule(["values.global.certSigners[0]=clusterissuers.cert-manager.io/istio-ca"])).toBeUndefined();
    expect(approveRule(["values.global.pilotCertProvider=custom"])).toBeUndefined();
    expect(approveRule(["values.global.pilotCertProvider=none"])).toBeUndefined();
    expect(approveRule(["values.global.pilotCertProvider=example"])).toEqual({ ...csrRule, resourceNames: null });
    expect(
      approveRule([
        "values.pilot.env.EXTERNAL_CA=ISTIOD_RA_KUBERNETES_API",
        "values.global.certSigners[0]=clusterissuers.cert-manager.io/istio-ca",
      ]),
    ).toEqual({ ...csrRule, resourceNames: ["clusterissuers.cert-manager.io/istio-ca"] });
  });

  it("pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API lets istiod manage ClusterTrustBundles and attest for its CA", () => {
    const attest = { apiGroups: ["certificates.k8s.io"], resources: ["signers"], verbs: ["attest"], resourceNames: ["istio.io/istiod-ca"] };
    expect(rules(["values.pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API=true"])).toContainEqual(attest);
    expect(rules([])).not.toContainEqual(attest);
  });

  const readerRules = (sets: string[]) =>
    (
      istiodRbac(contextFor(sets)).find(
        (o) => o.kind === "ClusterRole" && o.metadata.name === "istio-reader-clusterrole-istio-system",
      ) as any
    ).rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];

  it("a remote istiod's reader role also manages ConfigMaps and webhook configurations; MCS_API_GROUP renames the MCS group", () => {
    const webhooks = {
      apiGroups: ["admissionregistration.k8s.io"],
      resources: ["mutatingwebhookconfigurations"],
      verbs: ["get", "list", "watch", "update", "patch"],
    };
    expect(readerRules(["values.istiodRemote.enabled=true"])).toContainEqual(webhooks);
    expect(readerRules(["profile=remote"])).toContainEqual(webhooks);
    expect(readerRules([])).not.toContainEqual(webhooks);
    const groups = readerRules(["values.pilot.env.MCS_API_GROUP=mcs.example.io"]).flatMap((rule) => rule.apiGroups);
    expect(groups).toContain("mcs.example.io");
    expect(groups).not.toContain("multicluster.x-k8s.io");
  });

  it("the remote profile's configMap=false is istiod's own setting: top-level in merged-values, not under pilot", () => {
    const merged = JSON.parse((valuesConfigMap(contextFor(["profile=remote"])) as any).data["merged-values"]);
    expect(merged.configMap).toBe(false);
    expect(merged.pilot).not.toHaveProperty("configMap");
    expect(meshConfigMap(contextFor(["profile=remote"]))).toBeUndefined();
    expect(meshConfigMap(contextFor(["profile=remote", "values.pilot.configMap=true"]))).toBeDefined();
  });

  it("values.cni.provider reaches merged-values and the injector over the chart's own default", () => {
    const context = contextFor(["values.cni.provider=multus"]);
    expect(JSON.parse((valuesConfigMap(context) as any).data["merged-values"]).cni.provider).toBe("multus");
    expect(JSON.parse((injectorConfigMap(context, { templates: {} }) as any).data.values).pilot.cni.provider).toBe("multus");
  });

  it("CA_TRUSTED_NODE_ACCOUNTS names pilot.trustedZtunnelName (not ztunnel.resourceName) and yields to pilot.env", () => {
    expect(envOf(["values.ztunnel.resourceName=node-proxy"]).CA_TRUSTED_NODE_ACCOUNTS).toBe("istio-system/ztunnel");
    // istioctl's values schema has no pilot.trustedZtunnelName (the istiod chart does): unvalidatedValues reach it.
    expect(envOf(["unvalidatedValues.pilot.trustedZtunnelName=node-proxy"]).CA_TRUSTED_NODE_ACCOUNTS).toBe("istio-system/node-proxy");
    const env = deployment(["values.pilot.env.CA_TRUSTED_NODE_ACCOUNTS=kube-system/zt"]).spec.template.spec.containers[0].env;
    expect(env.filter((entry: any) => entry.name === "CA_TRUSTED_NODE_ACCOUNTS")).toEqual([
      { name: "CA_TRUSTED_NODE_ACCOUNTS", value: "kube-system/zt" },
    ]);
  });

  it("values.ownerName becomes the owning-resource label", () => {
    expect(deployment(["values.ownerName=my-iop"]).metadata.labels["install.operator.istio.io/owning-resource"]).toBe("my-iop");
    expect(deployment([]).metadata.labels["install.operator.istio.io/owning-resource"]).toBe("unknown");
  });
});

describe("telemetry providers and tracers in the mesh config", () => {
  const mesh = (sets: string[]) => parse((meshConfigMap(contextFor(sets)) as any).data.mesh);

  it.each([
    [[], { metrics: ["prometheus"] }],
    [["values.telemetry.v2.enabled=false"], undefined],
    [["values.telemetry.v2.prometheus.enabled=false"], undefined],
    [["values.telemetry.enabled=false"], undefined],
    [["values.telemetry.v2.stackdriver.enabled=true"], { metrics: ["prometheus", "stackdriver"], accessLogging: ["stackdriver"] }],
    [
      ["values.telemetry.v2.prometheus.enabled=false", "values.telemetry.v2.stackdriver.enabled=true"],
      { metrics: ["stackdriver"], accessLogging: ["stackdriver"] },
    ],
  ])("%j gives defaultProviders %j", (sets, providers) => {
    expect(mesh(sets).defaultProviders).toEqual(providers);
  });

  it("an unknown tracer leaves an empty tracing section; stackdriver has the chart's fixed limits", () => {
    expect(mesh(["unvalidatedValues.global.proxy.tracer=other"]).defaultConfig).toHaveProperty("tracing", null);
    expect(mesh(["values.global.proxy.tracer=stackdriver"]).defaultConfig.tracing).toEqual({
      stackdriver: { debug: false, maxNumberOfAttributes: 200, maxNumberOfAnnotations: 200, maxNumberOfMessageEvents: 200 },
    });
  });

  it("pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API serves istio-csr the CA root from istiod's ClusterTrustBundle", () => {
    const volume = (sets: string[]) =>
      deployment(sets).spec.template.spec.volumes.find((entry: any) => entry.name === "istio-csr-ca-configmap");
    expect(volume(["values.pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API=true"]).projected.sources).toEqual([
      { clusterTrustBundle: { name: "istio.io:istiod-ca:root-cert", path: "root-cert.pem", optional: true } },
    ]);
    expect(volume(["values.global.trustBundleName=my-roots"]).configMap).toEqual({ name: "my-roots", defaultMode: 420, optional: true });
  });

  it("global.proxy.variant (reaching the chart through unvalidatedValues) names the proxy image type before global.variant", () => {
    expect(mesh(["unvalidatedValues.global.proxy.variant=debug", "values.global.variant=distroless"]).defaultConfig.image).toEqual({
      imageType: "debug",
    });
  });
});
