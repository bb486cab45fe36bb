import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/core/findings.js";
import type { KubeObject } from "../../../src/core/objects.js";
import { composeOperator } from "../../../src/core/operator/compose.js";
import type { KubernetesSettings } from "../../../src/core/operator/types.js";
import type { IstiodContext } from "../../../src/core/render/istiod-context.js";
import { sidecarInjectorWebhook } from "../../../src/core/render/istiod-webhooks.js";
import { istiodAutoscaler, istiodDeployment, istiodService } from "../../../src/core/render/istiod-workload.js";
import { applyKubernetesSettings } from "../../../src/core/render/k8s-settings.js";
import { istiodChartValues, operatorValues } from "../../../src/core/render/values.js";

function istiodObjects(sets: string[] = []): KubeObject[] {
  const { operator, user } = composeOperator({ documents: [], sets });
  const passedValues = operatorValues(operator, user);
  const context: IstiodContext = {
    values: istiodChartValues(passedValues),
    passedValues,
    namespace: "istio-system",
    istioNamespace: "istio-system",
    revision: "",
  };
  return [
    istiodDeployment(context, "docker.io/istio", "1.30.3"),
    istiodService(context),
    istiodAutoscaler(context)!,
    sidecarInjectorWebhook(context)!,
  ];
}
const main = {
  workloadName: "istiod",
  containerName: "discovery",
  origin: "components.pilot.k8s",
  servicePortsViaValues: false,
  autoscaled: true,
  autoscaleSetting: "values.pilot.autoscaleEnabled",
};
const patched = (settings: KubernetesSettings, findings: Finding[] = []) =>
  applyKubernetesSettings(istiodObjects(), settings, main, findings);
const byKind = (objects: KubeObject[], kind: string) => objects.find((o) => o.kind === kind) as any;
const container = (objects: KubeObject[]) => byKind(objects, "Deployment").spec.template.spec.containers[0];

describe("components.<c>.k8s patches", () => {
  it("merges env by name and inserts new variables after the last matched one", () => {
    const env = container(
      patched({
        env: [
          { name: "POD_NAME", value: "patched" },
          { name: "GODEBUG", value: "x" },
          { name: "NEW_VAR", value: "y" },
        ],
      }),
    ).env;
    const names = env.map((e: any) => e.name);
    expect(names.slice(2, 6)).toEqual(["POD_NAME", "GODEBUG", "NEW_VAR", "POD_NAMESPACE"]);
    expect(env[2]).toEqual({ name: "POD_NAME", value: "patched" });
  });

  it("merges resources and readinessProbe, sets pod-level settings, replaces tolerations", () => {
    const objects = patched({
      resources: { limits: { cpu: "1" } },
      readinessProbe: { periodSeconds: 10 },
      nodeSelector: { disk: "ssd" },
      tolerations: [{ key: "a", operator: "Exists" }],
      securityContext: { fsGroup: 1337 },
      podAnnotations: { extra: "yes" },
      priorityClassName: "high",
      imagePullPolicy: "Always",
      strategy: { rollingUpdate: { maxSurge: 1 } },
    });
    const pod = byKind(objects, "Deployment").spec.template;
    expect(container(objects).resources).toEqual({ requests: { cpu: "500m", memory: "2048Mi" }, limits: { cpu: "1" } });
    expect(container(objects).readinessProbe).toEqual({
      httpGet: { path: "/ready", port: 8080 },
      initialDelaySeconds: 1,
      periodSeconds: 10,
      timeoutSeconds: 5,
    });
    expect(container(objects).imagePullPolicy).toBe("Always");
    expect(pod.spec.nodeSelector).toEqual({ disk: "ssd" });
    expect(pod.spec.tolerations).toEqual([{ key: "a", operator: "Exists" }]);
    expect(pod.spec.securityContext).toEqual({ fsGroup: 1337 });
    expect(pod.spec.priorityClassName).toBe("high");
    expect(pod.metadata.annotations.extra).toBe("yes");
    expect(byKind(objects, "Deployment").spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: "25%" });
  });

  it("patches the HPA spec (metrics replace) and warns about replicaCount with autoscaling", () => {
    const findings: Finding[] = [];
    const objects = patched({ hpaSpec: { maxReplicas: 10, metrics: [] }, replicaCount: 2 }, findings);
    expect(byKind(objects, "HorizontalPodAutoscaler").spec).toMatchObject({ minReplicas: 1, maxReplicas: 10, metrics: [] });
    expect(byKind(objects, "Deployment").spec.replicas).toBe(2);
    expect(findings.map((f) => f.message)).toEqual([
      "components.pilot.k8s.replicaCount should not be set when values.pilot.autoscaleEnabled is true",
    ]);
  });

  it("patches the Service spec and annotations", () => {
    const objects = patched({ service: { type: "NodePort" }, serviceAnnotations: { a: "b" } });
    expect(byKind(objects, "Service").spec.type).toBe("NodePort");
    expect(byKind(objects, "Service").metadata.annotations).toEqual({ a: "b" });
  });

  it("ignores volumes and volumeMounts as istioctl 1.30 does, with a warning", () => {
    const before = JSON.stringify(istiodObjects());
    const findings: Finding[] = [];
    expect(JSON.stringify(patched({ volumes: [{ name: "x" }], volumeMounts: [{ name: "x", mountPath: "/x" }] }, findings))).toBe(before);
    expect(findings.map((finding) => finding.message)).toEqual([
      "components.pilot.k8s.volumes is not applied (as in istioctl 1.30); use components.pilot.k8s.overlays instead",
      "components.pilot.k8s.volumeMounts is not applied (as in istioctl 1.30); use components.pilot.k8s.overlays instead",
    ]);
  });
});

describe("k8s.overlays", () => {
  const overlay = (kind: string, name: string, patches: { path: string; value?: unknown }[]) =>
    patched({ overlays: [{ kind, name, patches }] });

  it("changes a list item selected by value: the 30m argument becomes 60m", () => {
    const objects = overlay("Deployment", "istiod", [{ path: "spec.template.spec.containers.[name:discovery].args.[30m]", value: "60m" }]);
    expect(container(objects).args).toContain("60m");
    expect(container(objects).args).not.toContain("30m");
  });

  it("changes a port selected by containerPort and deletes selected items and keys", () => {
    const objects = overlay("Deployment", "istiod", [
      { path: "spec.template.spec.containers.[name:discovery].ports.[containerPort:8080].containerPort", value: 1234 },
      { path: "spec.template.spec.containers.[name:discovery].env.[name:REVISION]" },
      { path: "spec.template.spec.containers.[name:discovery].securityContext" },
    ]);
    expect(container(objects).ports[0].containerPort).toBe(1234);
    expect(container(objects).env.some((e: any) => e.name === "REVISION")).toBe(false);
    expect(container(objects).securityContext).toBeUndefined();
  });

  it("addresses webhook names with escaped dots and parses YAML block values", () => {
    const objects = overlay("MutatingWebhookConfiguration", "istio-sidecar-injector", [
      { path: "webhooks.[name:namespace\\.sidecar-injector\\.istio\\.io].clientConfig.service.name", value: "istiod-custom" },
      { path: "metadata.annotations", value: "team: mesh\nowner: ops\n" },
    ]);
    const webhook = byKind(objects, "MutatingWebhookConfiguration");
    expect(webhook.webhooks[2].clientConfig.service.name).toBe("istiod-custom");
    expect(webhook.metadata.annotations).toEqual({ team: "mesh", owner: "ops" });
  });

  it("creates missing maps and reports bad paths with the overlay's location", () => {
    expect(byKind(overlay("Service", "istiod", [{ path: "spec.newMap.key", value: 1 }]), "Service").spec.newMap).toEqual({ key: 1 });
    expect(() => overlay("Service", "istiod", [{ path: "spec..x", value: 1 }])).toThrow(
      "components.pilot.k8s.overlays[0].patches[0] (Service istiod)",
    );
  });
});
