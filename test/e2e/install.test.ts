import { describe, expect, it } from "vitest";
import { testToken } from "../kube-api-server/index.js";
import { countByKind, gatewaysOnly, rendersFullProfiles, startTestCluster } from "./kube-helpers.js";
import { freshForEachTest } from "./per-test.js";

const fullRender = await rendersFullProfiles();

const cluster = freshForEachTest(() => startTestCluster());

describe("mesh install", () => {
  it.runIf(fullRender)("installs the demo profile: 42 objects, then 39 after switching to default", async () => {
    const demo = await cluster.mesh(["install", "--set", "profile=demo", "-y"]);
    expect(demo.stderr).toContain("✔ Installation complete");
    expect(demo.exitCode).toBe(0);
    expect(cluster.owned()).toHaveLength(42);
    const defaults = await cluster.mesh(["install", "-y"]);
    expect(defaults.exitCode).toBe(0);
    expect(cluster.owned()).toHaveLength(39);
    expect(cluster.owned().some((object) => object.metadata.name === "istio-egressgateway")).toBe(false);
  });

  it("installs the gateways of the demo profile with ownership labels and istioctl's progress lines", async () => {
    const result = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("✔ Ingress gateways installed 🛬");
    expect(result.stderr).toContain("✔ Egress gateways installed 🛫");
    expect(result.stderr).toMatch(/✔ Installation complete\n {2}Ingress gateway address: 172\.18\.255\.200$/);
    expect(result.stderr).not.toMatch(/\u001b\[/);
    expect(countByKind(cluster.owned())).toEqual({ Deployment: 2, Role: 2, RoleBinding: 2, Service: 2, ServiceAccount: 2 });
    const ingress = cluster.owned().find((object) => object.kind === "Deployment" && object.metadata.name === "istio-ingressgateway");
    expect(ingress.metadata.labels).toMatchObject({
      "operator.istio.io/component": "IngressGateways",
      "operator.istio.io/managed": "Reconcile",
      "operator.istio.io/version": "1.30.3",
      "istio.io/rev": "default",
      "install.operator.istio.io/owning-resource-namespace": "istio-system",
    });
    expect(ingress.metadata.managedFields.map((entry: any) => entry.manager)).toEqual(["mesh"]);
  });

  it("changes nothing when run again", async () => {
    await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"]);
    const versions = cluster.owned().map((object) => object.metadata.resourceVersion);
    const again = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y", "-o", "json"]);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain("✔ Installation complete (no changes)");
    const report = JSON.parse(again.stdout);
    expect(report.applied.map((entry: any) => entry.outcome)).toEqual(Array(10).fill("unchanged"));
    expect(cluster.owned().map((object) => object.metadata.resourceVersion)).toEqual(versions);
  });

  it("prunes the egress gateway when demo changes to default", async () => {
    await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"]);
    const result = await cluster.mesh(["install", ...gatewaysOnly, "-y"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("- Pruning removed resources\n  Removed Deployment istio-system/istio-egressgateway.");
    expect(countByKind(cluster.owned())).toEqual({
      Deployment: 1,
      HorizontalPodAutoscaler: 1,
      Role: 1,
      RoleBinding: 1,
      Service: 1,
      ServiceAccount: 1,
    });
  });

  it("names the workload that is not ready in time, its ImagePullBackOff and what is pending", async () => {
    cluster.server.setBehaviour({ deployments: { "istio-system/istio-ingressgateway": "never" } });
    const result = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y", "--readiness-timeout", "1s"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("✘ Ingress gateways encountered an error: failed to wait for resource: resources not ready after 1s");
    expect(result.stderr).toMatch(
      /Deployment\/istio-system\/istio-ingressgateway: 0\/1 replicas ready; pod istio-ingressgateway-\S+ Pending; container istio-proxy ImagePullBackOff: Back-off pulling image "docker\.io\/istio\/proxyv2:1\.30\.3"; last event: Failed to pull image/,
    );
    expect(result.stderr).toContain("Applied 10 of 10 objects; 0 pending.");
    expect(result.stderr).toContain("run the same command again: mesh install converges");
    expect(result.stderr).toContain("Error: failed to install manifests: Ingress gateways: not ready in time");
  });

  it("reports field manager conflicts (exit 3) and takes ownership with --force-conflicts", async () => {
    cluster.server.createObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "istio-system" } });
    cluster.server.createObject(
      {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: "istio-ingressgateway-service-account", namespace: "istio-system", labels: { app: "someone-else" } },
      },
      { manager: "helm" },
    );
    const result = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(
      'ServiceAccount istio-system/istio-ingressgateway-service-account: .metadata.labels.app is owned by "helm"',
    );
    expect(result.stderr).toContain("re-run with --force-conflicts");
    const forced = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y", "--force-conflicts"]);
    expect(forced.exitCode).toBe(0);
  });

  it("refuses to prompt when standard input is not a terminal", async () => {
    const result = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      "Error: refusing to install without confirmation: standard input is not a terminal\npass -y (--skip-confirmation) to proceed without a prompt",
    );
    expect(cluster.owned()).toEqual([]);
  });

  it("validates on the server without changing anything with --dry-run", async () => {
    const result = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "--dry-run"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("Dry run: 10 objects would be created");
    expect(cluster.owned()).toEqual([]);
    expect(cluster.server.requests().filter((request) => request.method !== "GET" && !request.dryRun)).toEqual([]);
  });
});

describe("mesh install without a usable cluster", () => {
  it("says the server is unreachable (exit 3)", async () => {
    await cluster.stop();
    const result = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(
      /^Error: cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: connection refused\ncheck that the cluster is running/,
    );
  });

  it("prints the objects with --dry-run when the cluster is unreachable, and says so", async () => {
    await cluster.stop();
    const result = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "--dry-run"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("Dry run without a cluster: printing the 10 objects that would be applied");
    expect(result.stdout.match(/^kind: /gm)).toHaveLength(10);
  });

  it("never prints credentials, not even with --verbose", async () => {
    const rejected = await startTestCluster({}, { token: "s3cr3t-token-value" });
    const result = await rejected.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y", "--verbose"]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("rejected mesh's credentials (401 Unauthorized)");
    expect(result.stdout + result.stderr).not.toContain("s3cr3t-token-value");
    const accepted = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y", "--verbose"]);
    expect(accepted.exitCode).toBe(0);
    expect(accepted.stdout + accepted.stderr).not.toContain(testToken);
    await rejected.stop();
  });
});

describe("mesh install reaches the cluster while it renders", () => {
  it("reports an input error (exit 2) first, even when the cluster is unreachable", async () => {
    await cluster.stop();
    const result = await cluster.mesh(["install", "--set", "profile=no-such-profile", "-y"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("no-such-profile");
    expect(result.stderr).not.toContain("API server");
  });
});
