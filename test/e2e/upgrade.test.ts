import { describe, expect, it } from "vitest";
import { startTestCluster } from "./kube-helpers.js";
import { freshForEachTest } from "./per-test.js";

const cluster = freshForEachTest(() => startTestCluster());

/** Makes the installed istiod look like another release, as a cluster installed by an older mesh or istioctl would. */
async function pretendInstalledVersion(version: string) {
  await cluster.mergePatch(
    "/apis/apps/v1/namespaces/istio-system/deployments/istiod",
    { metadata: { labels: { "operator.istio.io/version": version } } },
    "istio-operator",
  );
}

function injectedPod(name: string, namespace: string, version: string) {
  cluster.server.createObject({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, annotations: { "sidecar.istio.io/status": '{"containers":["istio-proxy"]}' } },
    spec: {
      containers: [
        { name: "app", image: "shop:1" },
        { name: "istio-proxy", image: `docker.io/istio/proxyv2:${version}` },
      ],
    },
  });
}

describe("mesh upgrade", () => {
  it("refuses when there is nothing to upgrade", async () => {
    const result = await cluster.mesh(["upgrade", "--set", "profile=minimal", "-y"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('Error: no Istio control plane of revision "default" in namespace istio-system to upgrade');
  });

  it("refuses to skip a minor version unless --force", async () => {
    expect((await cluster.mesh(["install", "--set", "profile=minimal", "-y"])).exitCode).toBe(0);
    await pretendInstalledVersion("1.28.2");
    const refused = await cluster.mesh(["upgrade", "--set", "profile=minimal", "-y"]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(
      "Error: refusing to upgrade the control plane from 1.28.2 to 1.30.3: Istio supports upgrading one minor version at a time",
    );
    expect(cluster.server.objects({ kind: "Deployment" })[0].metadata.labels["operator.istio.io/version"]).toBe("1.28.2");
    const forced = await cluster.mesh(["upgrade", "--set", "profile=minimal", "-y", "--force"]);
    expect(forced.exitCode).toBe(0);
    expect(forced.stderr).toContain("Upgrading the control plane from 1.28.2 to 1.30.3.");
    expect(cluster.server.objects({ kind: "Deployment" })[0].metadata.labels["operator.istio.io/version"]).toBe("1.30.3");
  });

  it("upgrades from the previous minor version and warns about proxies on older versions", async () => {
    expect((await cluster.mesh(["install", "--set", "profile=minimal", "-y"])).exitCode).toBe(0);
    await pretendInstalledVersion("1.29.1");
    injectedPod("shop-1", "default", "1.29.1");
    injectedPod("shop-2", "default", "1.30.3");
    const result = await cluster.mesh(["upgrade", "--set", "profile=minimal", "-y"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("Warning: 1 data-plane proxies run older Istio versions (1.29.1): default/shop-1.");
    expect(result.stderr).toContain("✔ Installation complete");
  });
});
