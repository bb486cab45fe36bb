import { describe, expect, it } from "vitest";
import { gatewaysOnly, rendersFullProfiles, startTestCluster } from "./kube-helpers.js";
import { freshForEachTest } from "./per-test.js";

const fullRender = await rendersFullProfiles();

const cluster = freshForEachTest(() => startTestCluster());

describe("mesh uninstall", () => {
  it("needs --purge, --revision, -f or --set", async () => {
    const result = await cluster.mesh(["uninstall", "-y"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Error: at least one of --purge, --revision (-r), --filename (-f) or --set must be given");
  });

  it.runIf(fullRender)("purges a demo install completely, CRDs included", async () => {
    expect((await cluster.mesh(["install", "--set", "profile=demo", "-y"])).exitCode).toBe(0);
    const result = await cluster.mesh(["uninstall", "--purge", "-y"]);
    expect(result.exitCode).toBe(0);
    expect(cluster.owned()).toEqual([]);
    expect(cluster.server.objects({ kind: "CustomResourceDefinition" })).toEqual([]);
  });

  it.runIf(fullRender)("removes what -f/--set render except the shared base, which keeps the CRDs", async () => {
    expect((await cluster.mesh(["install", "--set", "profile=demo", "-y"])).exitCode).toBe(0);
    const result = await cluster.mesh(["uninstall", "--set", "profile=demo", "-y"]);
    expect(result.exitCode).toBe(0);
    expect(new Set(cluster.owned().map((object) => object.metadata.labels["operator.istio.io/component"]))).toEqual(new Set(["Base"]));
    expect(cluster.server.objects({ kind: "CustomResourceDefinition" })).toHaveLength(15);
  });

  it("purges everything it installed and leaves what it does not own and the namespace", async () => {
    await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"]);
    cluster.server.createObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "mine", namespace: "istio-system" }, data: {} });
    const result = await cluster.mesh(["uninstall", "--purge", "-y"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("  Removed Deployment istio-system/istio-ingressgateway.");
    expect(result.stderr).toMatch(/✔ Uninstall complete$/);
    expect(cluster.owned()).toEqual([]);
    expect(cluster.server.objects({ kind: "ConfigMap" }).map((object) => object.metadata.name)).toEqual(["mine"]);
    expect(cluster.server.objects({ kind: "Namespace" }).map((object) => object.metadata.name)).toContain("istio-system");
  });

  it("prints what it would remove with --dry-run and removes nothing", async () => {
    await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"]);
    const result = await cluster.mesh(["uninstall", "--purge", "--dry-run"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("  Not pruning Deployment istio-system/istio-egressgateway because of dry run.");
    expect(cluster.owned()).toHaveLength(10);
  });

  it("says so when nothing matches", async () => {
    const result = await cluster.mesh(["uninstall", "--revision", "canary", "-y"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("No resources will be pruned from the cluster. Please double check the input configs.");
  });

  it("refuses without -y when standard input is not a terminal", async () => {
    await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"]);
    const result = await cluster.mesh(["uninstall", "--purge"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("refusing to uninstall without confirmation");
    expect(cluster.owned()).toHaveLength(10);
  });
});
