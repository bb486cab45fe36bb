import { describe, expect, it } from "vitest";
import { gatewaysOnly, startTestCluster } from "./kube-helpers.js";
import { freshForEachTest } from "./per-test.js";

const cluster = freshForEachTest(() => startTestCluster());

const state = () => JSON.stringify(cluster.server.objects().filter((object) => object.kind !== "Endpoints"));

describe("mesh install --dry-run against a cluster", () => {
  it("prints the drifted fields as a kubectl-diff-style diff and changes nothing", async () => {
    expect((await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"])).exitCode).toBe(0);
    await cluster.mergePatch(
      "/api/v1/namespaces/istio-system/services/istio-ingressgateway",
      { spec: { type: "NodePort" }, metadata: { labels: { team: "edge" } } },
      "kubectl-edit",
    );
    const before = state();
    cluster.server.clearRequests();

    const result = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "--dry-run"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(
      "diff -u -N LIVE/v1.Service.istio-system.istio-ingressgateway MERGED/v1.Service.istio-system.istio-ingressgateway",
    );
    expect(result.stdout).toContain("--- LIVE/v1.Service.istio-system.istio-ingressgateway");
    expect(result.stdout).toMatch(/^- {2}type: NodePort$/m);
    expect(result.stdout).toMatch(/^\+ {2}type: LoadBalancer$/m);
    // Fields no one rendered (the other manager's label) and server bookkeeping are not part of the change.
    expect(result.stdout).not.toContain("managedFields");
    expect(result.stdout).not.toContain("resourceVersion");
    expect(result.stdout).not.toMatch(/^[-+].*team: edge/m);
    expect(result.stdout.match(/^diff -u -N /gm)).toHaveLength(1);
    expect(result.stderr).toContain('Conflict: Service istio-system/istio-ingressgateway: .spec.type is owned by "kubectl-edit"');
    expect(result.stderr).toContain(
      "Dry run: 0 objects would be created, 1 configured, 9 unchanged; 0 would be pruned. Nothing was changed.",
    );
    expect(state()).toBe(before);
    expect(cluster.server.requests().filter((request) => request.method !== "GET" && !request.dryRun)).toEqual([]);
  });

  it("shows creates whole and prunes as removals; -o json lists the changes", async () => {
    expect((await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"])).exitCode).toBe(0);
    const before = state();
    const result = await cluster.mesh([
      "install",
      "--set",
      "profile=demo",
      ...gatewaysOnly,
      "--set",
      "components.egressGateways[0].enabled=false",
      "--set",
      "values.global.networkPolicy.enabled=true",
      "--dry-run",
      "-o",
      "json",
    ]);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    const actions = report.changes.map((change: any) => `${change.action} ${change.object}`).sort();
    expect(actions).toEqual([
      "create NetworkPolicy istio-system/istio-ingressgateway",
      "prune Deployment istio-system/istio-egressgateway",
      "prune Role istio-system/istio-egressgateway-sds",
      "prune RoleBinding istio-system/istio-egressgateway-sds",
      "prune Service istio-system/istio-egressgateway",
      "prune ServiceAccount istio-system/istio-egressgateway-service-account",
    ]);
    const created = report.changes.find((change: any) => change.action === "create");
    expect(created.diff).toMatch(/^\+kind: NetworkPolicy$/m);
    const pruned = report.changes.find((change: any) => change.object === "Service istio-system/istio-egressgateway");
    expect(pruned.diff).toMatch(/^-kind: Service$/m);
    expect(state()).toBe(before);
  });
});
