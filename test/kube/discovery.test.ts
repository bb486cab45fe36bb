import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectCluster, type Cluster } from "../../src/kube/index.js";
import { startKubeApiServer, type KubeApiServer } from "../kube-api-server/index.js";

let server: KubeApiServer;
let dir: string;
const clusters: Cluster[] = [];
beforeAll(async () => {
  server = await startKubeApiServer();
  dir = mkdtempSync(join(tmpdir(), "mesh-discovery-"));
});
afterAll(async () => {
  for (const cluster of clusters) cluster.close();
  await server.stop();
});
beforeEach(() => {
  server.setBehaviour({ hiddenGroups: [], aggregatedDiscovery: true });
  server.clearRequests();
});

async function connect(): Promise<Cluster> {
  const cluster = await connectCluster({ kubeconfig: server.kubeconfigPath(dir) });
  clusters.push(cluster);
  return cluster;
}

const gets = () =>
  server
    .requests()
    .filter((request) => request.method === "GET")
    .map((request) => request.path);

const kinds: [string, string][] = [
  ["v1", "ConfigMap"],
  ["v1", "Namespace"],
  ["apps/v1", "Deployment"],
  ["apps/v1", "DaemonSet"],
  ["rbac.authorization.k8s.io/v1", "ClusterRole"],
  ["admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"],
  ["apiextensions.k8s.io/v1", "CustomResourceDefinition"],
  ["coordination.k8s.io/v1", "Lease"],
  ["apps/v1", "NoSuchKind"],
  ["k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition"],
];

describe("discovery", () => {
  it("learns every group/version from aggregated discovery in two requests", async () => {
    const cluster = await connect();
    await Promise.all(kinds.map(([apiVersion, kind]) => cluster.discovery.find(apiVersion, kind)));
    // The kind apps/v1 lacks is asked about once more, directly (its CRD may have been installed since).
    expect(gets().sort()).toEqual(["/api", "/apis", "/apis/apps/v1"]);
  });

  it("answers as the per-group/version endpoints of a server without aggregated discovery do", async () => {
    const aggregated = await connect();
    const fromAggregated = await Promise.all(kinds.map(([apiVersion, kind]) => aggregated.discovery.find(apiVersion, kind)));
    server.setBehaviour({ aggregatedDiscovery: false });
    server.clearRequests();
    const legacy = await connect();
    const fromLegacy = await Promise.all(kinds.map(([apiVersion, kind]) => legacy.discovery.find(apiVersion, kind)));
    expect(fromAggregated).toEqual(fromLegacy);
    expect(fromLegacy.filter((resource) => resource === undefined)).toHaveLength(2);
    // Without aggregated discovery: the plain /api and /apis answers, then one request per group/version.
    expect(gets()).toContain("/apis/rbac.authorization.k8s.io/v1");
  });

  it("asks once about a group the cluster does not serve, and again once an earlier answer lacks the kind", async () => {
    for (const aggregatedDiscovery of [true, false]) {
      server.setBehaviour({ hiddenGroups: ["apps"], aggregatedDiscovery });
      server.clearRequests();
      const cluster = await connect();
      const direct = () => gets().filter((path) => path === "/apis/apps/v1").length;
      expect(await cluster.discovery.find("apps/v1", "Deployment")).toBeUndefined();
      expect(direct()).toBe(aggregatedDiscovery ? 0 : 1);

      // The group appears (its CRDs were installed meanwhile): the cached answer is not trusted for a missing kind.
      server.setBehaviour({ hiddenGroups: [] });
      expect(await cluster.discovery.find("apps/v1", "Deployment")).toMatchObject({ plural: "deployments", namespaced: true });
      expect(direct()).toBe(aggregatedDiscovery ? 1 : 2);
      expect(await cluster.discovery.find("apps/v1", "DaemonSet")).toMatchObject({ plural: "daemonsets" });
      expect(direct()).toBe(aggregatedDiscovery ? 1 : 2);
    }
  });

  it("asks again after forget()", async () => {
    const cluster = await connect();
    await cluster.discovery.find("apps/v1", "Deployment");
    cluster.discovery.forget();
    await cluster.discovery.find("apps/v1", "Deployment");
    expect(gets().sort()).toEqual(["/api", "/api", "/apis", "/apis"]);
  });
});
