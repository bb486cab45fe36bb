import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { startTestCluster } from "./kube-helpers.js";
import { stoppedAfterEach } from "./per-test.js";

const startCluster = stoppedAfterEach(startTestCluster);

/** A Helm 3 release Secret as `helm install istiod istio/istiod` leaves it. */
function helmRelease(name: string, chart: string, namespace: string) {
  const release = gzipSync(JSON.stringify({ name, chart: { metadata: { name: chart, version: "1.29.0" } }, info: { status: "deployed" } }));
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "helm.sh/release.v1",
    metadata: { name: `sh.helm.release.v1.${name}.v1`, namespace, labels: { owner: "helm", name, status: "deployed", version: "1" } },
    data: { release: Buffer.from(release.toString("base64")).toString("base64") },
  };
}

function gatewayCrd(bundleVersion: string, versions: string[]) {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: "gateways.gateway.networking.k8s.io",
      annotations: { "gateway.networking.k8s.io/bundle-version": bundleVersion, "gateway.networking.k8s.io/channel": "standard" },
    },
    spec: {
      group: "gateway.networking.k8s.io",
      scope: "Namespaced",
      names: { kind: "Gateway", plural: "gateways", singular: "gateway", listKind: "GatewayList" },
      versions: versions.map((name, index) => ({
        name,
        served: true,
        storage: index === 0,
        schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
      })),
    },
  };
}

describe("mesh precheck", () => {
  it("passes on a clean, supported cluster", async () => {
    const cluster = await startCluster();
    const result = await cluster.mesh(["precheck"]);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("✔ No issues found when checking the cluster. Istio is safe to install or upgrade!");
    expect(result.exitCode).toBe(0);
  });

  it("reports each planted problem on one line with its fix and exits 1", async () => {
    const cluster = await startCluster({
      kubernetesVersion: { major: "1", minor: "30", gitVersion: "v1.30.4" },
      forbidden: [{ verb: "create", resource: "clusterroles" }],
      namespaces: ["default", "kube-system", "istio-system"],
    });
    cluster.server.createObject(helmRelease("istiod", "istiod", "istio-system"));
    cluster.server.createObject(helmRelease("unrelated", "nginx", "default"));
    cluster.server.createObject(gatewayCrd("v1.0.0", ["v1beta1"]));
    const result = await cluster.mesh(["precheck"]);
    expect(result.exitCode).toBe(1);
    const lines = result.stdout.split("\n");
    const line = (check: string) => lines.filter((candidate) => candidate.startsWith(`✘ ${check}: `));
    expect(line("KubernetesVersion")).toEqual([
      "✘ KubernetesVersion: the Kubernetes version v1.30.4 is not supported by Istio 1.30.3; the minimum is 1.32. Fix: upgrade the cluster to Kubernetes 1.32 or later",
    ]);
    expect(line("Permission")).toHaveLength(1);
    expect(line("Permission")[0]).toContain("missing permission to create clusterroles.rbac.authorization.k8s.io");
    expect(line("Permission")[0]).toContain("Fix: grant it (kubectl auth can-i create clusterroles)");
    expect(line("HelmRelease")).toHaveLength(1);
    expect(line("HelmRelease")[0]).toContain('Helm release "istiod" in namespace istio-system installed Istio (chart istiod)');
    expect(line("HelmRelease")[0]).toContain("helm uninstall istiod -n istio-system");
    expect(line("GatewayApiVersion")).toEqual([
      "✘ GatewayApiVersion: Gateway API CRDs bundle v1.0.0 is older than v1.4.0, the oldest Istio 1.30.3 supports (it is built against v1.5.1). Fix: upgrade the CRDs: mesh gateway-api install --version v1.5.1",
      "✘ GatewayApiVersion: CRD gateways.gateway.networking.k8s.io serves v1beta1, Istio 1.30.3 needs v1. Fix: upgrade the CRDs: mesh gateway-api install --version v1.5.1",
    ]);
    expect(lines.filter((candidate) => candidate !== "")).toHaveLength(5);

    const json = JSON.parse((await cluster.mesh(["precheck", "-o", "json"])).stdout);
    expect(json.safe).toBe(false);
    expect(json.problems.map((problem: any) => problem.check).sort()).toEqual([
      "GatewayApiVersion",
      "GatewayApiVersion",
      "HelmRelease",
      "KubernetesVersion",
      "Permission",
    ]);
    expect(json.problems.every((problem: any) => problem.fix.length > 0)).toBe(true);
  });

  it("reports the old in-cluster operator, other revisions (without failing) and colliding injectors", async () => {
    const cluster = await startCluster();
    expect((await cluster.mesh(["install", "--set", "profile=minimal", "-y"])).exitCode).toBe(0);
    const canary = await cluster.mesh(["precheck", "--revision", "canary"]);
    expect(canary.stdout).toContain(
      'i OtherRevision: Istio revision "default" is installed; this install (revision "canary") runs next to it',
    );
    expect(canary.exitCode).toBe(0);
    // A second default injector under another name (e.g. installed by hand) would inject pods twice.
    const injector = cluster.server.objects({ kind: "MutatingWebhookConfiguration" })[0];
    cluster.server.createObject({ ...injector, metadata: { name: "copied-injector", labels: {} } });
    cluster.server.createObject({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "istio-operator", namespace: "default" },
      spec: {
        selector: { matchLabels: { app: "op" } },
        template: { metadata: { labels: { app: "op" } }, spec: { containers: [{ name: "op", image: "op" }] } },
      },
    });
    const result = await cluster.mesh(["precheck"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      "✘ ConflictingWebhook: MutatingWebhookConfiguration copied-injector (webhook rev.namespace.sidecar-injector.istio.io)",
    );
    expect(result.stdout).toContain(
      "✘ IstioOperatorController: the in-cluster Istio operator (Deployment default/istio-operator) is running",
    );
  });
});
