import { describe, expect, it } from "vitest";
import { gatewaysOnly, rendersFullProfiles, startTestCluster } from "./kube-helpers.js";
import { freshForEachTest } from "./per-test.js";

const fullRender = await rendersFullProfiles();

const cluster = freshForEachTest(() => startTestCluster());

describe("mesh verify-install", () => {
  it.runIf(fullRender)("verifies a healthy demo install", async () => {
    await cluster.mesh(["install", "--set", "profile=demo", "-y"]);
    const result = await cluster.mesh(["verify-install", "--set", "profile=demo"]);
    expect(result.stdout).toContain("Checked 15 custom resource definitions");
    expect(result.exitCode).toBe(0);
  });

  it("reports a healthy install with a table and exit 0", async () => {
    await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"]);
    const result = await cluster.mesh(["verify-install", "--set", "profile=demo", ...gatewaysOnly]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^COMPONENT +KIND +NAME +NAMESPACE +STATUS +DETAIL$/m);
    expect(result.stdout).toContain("Checked 2 Istio Deployments");
    expect(result.stdout).toMatch(/✔ Istio is installed and verified successfully$/);
  });

  it("reports missing, drifted and not-ready objects and exits 1", async () => {
    cluster.server.setBehaviour({ deployments: { "istio-system/istio-egressgateway": "never" } });
    await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y", "--readiness-timeout", "300ms"]);
    const deleted = cluster.server.objects({ kind: "Role" }).find((role) => role.metadata.name === "istio-ingressgateway-sds");
    expect(deleted).toBeDefined();
    const { connectCluster } = await import("../../src/kube/index.js");
    const live = await connectCluster({ kubeconfig: cluster.kubeconfig });
    await live.delete(deleted);
    await live.client.request({
      method: "PATCH",
      path: "/api/v1/namespaces/istio-system/services/istio-ingressgateway",
      body: { spec: { type: "NodePort" } },
      contentType: "application/merge-patch+json",
    });
    live.close();
    const result = await cluster.mesh(["verify-install", "--set", "profile=demo", ...gatewaysOnly, "-o", "json"]);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.healthy).toBe(false);
    expect(report.objects.filter((entry: any) => entry.state !== "ok")).toEqual([
      { kind: "Role", name: "istio-ingressgateway-sds", namespace: "istio-system", component: "IngressGateways", state: "missing" },
      {
        kind: "Service",
        name: "istio-ingressgateway",
        namespace: "istio-system",
        component: "IngressGateways",
        state: "drifted",
        detail: 'spec.type: want "LoadBalancer", have "NodePort"',
      },
      {
        kind: "Deployment",
        name: "istio-egressgateway",
        namespace: "istio-system",
        component: "EgressGateways",
        state: "not ready",
        detail: "0/1 replicas ready",
      },
    ]);
    expect(result.stderr).toContain("Error: Istio is not healthy: 1 missing, 1 drifted, 1 not ready");
  });
});
