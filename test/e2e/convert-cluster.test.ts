import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./kube-helpers.js";
import { createOnceServed, destinationRuleCrd, objectsOf, storefront } from "./storefront-cluster.js";
import { repoRoot, runMesh } from "./run-mesh.js";

describe("mesh convert --cluster", () => {
  let cluster: TestCluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it("takes ports and subsets from the live Services and DestinationRules", async () => {
    cluster = await startTestCluster({ namespaces: ["default", "shop"] });
    for (const object of objectsOf("platform.yaml"))
      if ((object as { kind: string }).kind === "Service") cluster.server.createObject(object);
    cluster.server.createObject(destinationRuleCrd);
    for (const object of objectsOf("destination-rules.yaml")) await createOnceServed(cluster, object);

    const offline = await cluster.mesh(["convert", "gateway-to-httproute", "-f", storefront("networking.yaml")]);
    expect(offline.exitCode).toBe(1);
    const live = await cluster.mesh(["convert", "gateway-to-httproute", "-f", storefront("networking.yaml"), "--cluster"]);
    expect(live.stderr).toMatch(/Converted 8 objects: 0 errors/);
    expect(live.exitCode).toBe(0);
    expect(live.stdout).toContain("name: catalog-v3");
    expect(live.stdout).toMatch(/name: catalog-v1\n\s+port: 9090\n\s+weight: 80/);
  });

  it("a cluster that cannot be reached is a cluster error (exit 3)", async () => {
    const result = await runMesh(["convert", "gateway-to-httproute", "-f", storefront("networking.yaml"), "--cluster"], {
      env: { KUBECONFIG: path.join(repoRoot, "test", "fixtures", "convert", "no-such-kubeconfig") },
    });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe("");
  });

  it("--cluster with the Gateway API → Istio direction is a usage error", async () => {
    const result = await runMesh(["convert", "httproute-to-virtualservice", "-f", storefront("networking.yaml"), "--cluster"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--cluster is used by gateway-to-httproute only");
  });
});
