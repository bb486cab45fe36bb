import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectCluster, type Cluster } from "../../src/kube/index.js";
import { startKubeApiServer, type KubeApiServer } from "../kube-api-server/index.js";

let server: KubeApiServer;
let cluster: Cluster;
beforeAll(async () => {
  server = await startKubeApiServer();
  cluster = await connectCluster({ kubeconfig: server.kubeconfigPath(mkdtempSync(join(tmpdir(), "mesh-discovery-"))) });
});
afterAll(async () => {
  cluster.close();
  await server.stop();
});

const discoveryRequests = (path: string) => server.requests().filter((request) => request.method === "GET" && request.path === path).length;

it("asks once about a group the cluster does not serve, and again once an earlier answer lacks the kind", async () => {
  server.setBehaviour({ hiddenGroups: ["apps"] });
  server.clearRequests();
  expect(await cluster.discovery.find("apps/v1", "Deployment")).toBeUndefined();
  expect(discoveryRequests("/apis/apps/v1")).toBe(1);

  // The group appears (its CRDs were installed meanwhile): the cached answer is not trusted for a missing kind.
  server.setBehaviour({ hiddenGroups: [] });
  expect(await cluster.discovery.find("apps/v1", "Deployment")).toMatchObject({ plural: "deployments", namespaced: true });
  expect(discoveryRequests("/apis/apps/v1")).toBe(2);
  expect(await cluster.discovery.find("apps/v1", "DaemonSet")).toMatchObject({ plural: "daemonsets" });
  expect(discoveryRequests("/apis/apps/v1")).toBe(2);
});
