import path from "node:path";
import { describe, expect, it } from "vitest";
import { startTestCluster } from "./kube-helpers.js";
import { createOnceServed, destinationRuleCrd, objectsOf, storefront } from "./storefront-cluster.js";
import { repoRoot, runMesh } from "./run-mesh.js";
import { stoppedAfterEach } from "./per-test.js";

describe("mesh convert --cluster", () => {
  const startCluster = stoppedAfterEach(startTestCluster);

  it("takes ports and subsets from the live Services and DestinationRules", async () => {
    const cluster = await startCluster({ namespaces: ["default", "shop"] });
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

  it("httproute-to-virtualservice --cluster reads Namespace labels and which Secrets exist", async () => {
    const input = path.join("test", "fixtures", "convert", "cluster-reverse", "gateway.yaml");
    const offline = await runMesh(["convert", "httproute-to-virtualservice", "-f", input]);
    expect(offline.exitCode).toBe(1);
    expect(offline.stderr).toContain("CONV603");

    const cluster = await startCluster({ namespaces: ["default", "infra"] });
    cluster.server.createObject({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "shop", labels: { "shared-gateway-access": "true" } },
    });
    const missingSecret = await cluster.mesh(["convert", "httproute-to-virtualservice", "-f", input, "--cluster"]);
    expect(missingSecret.stderr).not.toContain("CONV603");
    expect(missingSecret.stderr).toContain("Secret infra/shop-cert does not exist in the cluster");
    expect(missingSecret.exitCode).toBe(1);

    cluster.server.createObject({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "shop-cert", namespace: "infra" },
      type: "kubernetes.io/tls",
      data: { "tls.crt": "Y2VydA==", "tls.key": "a2V5" },
    });
    const live = await cluster.mesh(["convert", "httproute-to-virtualservice", "-f", input, "--cluster"]);
    expect(live.stderr).toMatch(/0 errors/);
    expect(live.exitCode).toBe(0);
    expect(live.stdout).toContain("shop/shop.example.com");
    expect(live.stdout).toContain("credentialName: shop-cert");
    // Secret contents never reach the output.
    expect(live.stdout).not.toContain("a2V5");
  });
});
