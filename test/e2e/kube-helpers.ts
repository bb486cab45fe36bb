/** e2e helpers for the cluster commands: a Kubernetes API test server per test and `mesh` pointed at it. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions, type KubeconfigOptions } from "../kube-api-server/index.js";
import { runMesh } from "./run-mesh.js";

export interface TestCluster {
  server: KubeApiServer;
  kubeconfig: string;
  /** Runs bin/mesh.js with KUBECONFIG set to this server (and HOME in a scratch directory). */
  mesh(
    args: string[],
    options?: { input?: string; env?: Record<string, string> },
  ): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** Objects carrying mesh's ownership labels (Endpoints copied from Services excluded). */
  owned(): any[];
  /** Merge-patches the object at API path `path` through mesh's client, as `kubectl edit` or `kubectl label` would. */
  mergePatch(path: string, body: unknown, fieldManager: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestCluster(
  options: KubeApiServerOptions = {},
  kubeconfigOptions: KubeconfigOptions = {},
): Promise<TestCluster> {
  const server = await startKubeApiServer({ crdEstablishDelayMs: 20, ...options });
  const home = mkdtempSync(join(tmpdir(), "mesh-e2e-"));
  const kubeconfig = server.kubeconfigPath(home, kubeconfigOptions);
  return {
    server,
    kubeconfig,
    mesh: (args, runOptions = {}) =>
      runMesh(args, {
        env: { HOME: home, KUBECONFIG: kubeconfig, ...runOptions.env },
        ...(runOptions.input !== undefined ? { input: runOptions.input } : {}),
      }),
    owned: () =>
      server.objects({ labelSelector: { "operator.istio.io/managed": "Reconcile" } }).filter((object) => object.kind !== "Endpoints"),
    async mergePatch(path, body, fieldManager) {
      const { connectCluster } = await import("../../src/kube/index.js");
      const live = await connectCluster({ kubeconfig });
      try {
        await live.client.request({ method: "PATCH", path, query: { fieldManager }, body, contentType: "application/merge-patch+json" });
      } finally {
        live.close();
      }
    },
    stop: () => server.stop(),
  };
}

/**
 * Installs only the gateways (base and istiod disabled): renders today in every build, so the lifecycle is
 * exercised end to end even where the base and istiod renderers are not part of the build yet.
 */
export const gatewaysOnly = ["--set", "components.base.enabled=false", "--set", "components.pilot.enabled=false"];

let fullRender: Promise<boolean> | undefined;
/** Whether this build renders the whole demo profile (base CRDs and istiod included). */
export function rendersFullProfiles(): Promise<boolean> {
  fullRender ??= runMesh(["manifest", "generate", "--set", "profile=demo"]).then((result) => result.exitCode === 0);
  return fullRender;
}

export function countByKind(objects: readonly { kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const object of objects) counts[object.kind] = (counts[object.kind] ?? 0) + 1;
  return counts;
}
