/** e2e helpers for `mesh gateway-api`: a test cluster, a loopback release mirror and a private bundle cache. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Channel } from "../../src/core/gatewayapi/versions.js";
import { startBundleServer, type BundleServer } from "../fixtures/gateway-api/bundle-server.js";
import { syntheticBundle } from "../fixtures/gateway-api/synthetic-bundle.js";
import { startTestCluster, type TestCluster } from "./kube-helpers.js";

export interface GatewayApiWorld {
  cluster: TestCluster;
  mirror: BundleServer;
  cacheHome: string;
  /** Runs `mesh gateway-api …` against the cluster, with the mirror as base URL and the private cache. */
  gatewayApi(args: string[], options?: { env?: Record<string, string>; input?: string }): ReturnType<TestCluster["mesh"]>;
  /** Serves the synthetic bundle of `version`/`channel` (or `body`) at the mirror's release path. */
  publish(version: string, channel: Channel, body?: string): void;
  /** Requests that changed the cluster (writes that were not dry runs). */
  writes(): Array<{ method: string; path: string }>;
  /** Gateway API CRDs stored in the cluster, by name. */
  crds(): Array<{ metadata: { name: string; annotations?: Record<string, string> }; status?: any }>;
  stop(): Promise<void>;
}

export async function startGatewayApiWorld(): Promise<GatewayApiWorld> {
  const cluster = await startTestCluster();
  const mirror = await startBundleServer();
  const cacheHome = mkdtempSync(join(tmpdir(), "mesh-gwapi-e2e-cache-"));
  return {
    cluster,
    mirror,
    cacheHome,
    gatewayApi: (args, options = {}) =>
      cluster.mesh(["gateway-api", ...args], {
        env: { XDG_CACHE_HOME: cacheHome, MESH_GATEWAY_API_BASE_URL: mirror.baseUrl, ...options.env },
        ...(options.input !== undefined ? { input: options.input } : {}),
      }),
    publish(version, channel, body) {
      mirror.routes.set(`/releases/${version}/${channel}-install.yaml`, { body: body ?? syntheticBundle(version, channel) });
    },
    writes: () =>
      cluster.server
        .requests()
        .filter((request) => request.method !== "GET" && !request.dryRun)
        .map(({ method, path }) => ({ method, path })),
    crds: () =>
      cluster.server
        .objects({ kind: "CustomResourceDefinition" })
        .filter((crd: any) => /\.gateway\.networking\.(x-)?k8s\.io$/.test(crd.metadata.name)),
    async stop() {
      await Promise.all([cluster.stop(), mirror.close()]);
    },
  };
}
