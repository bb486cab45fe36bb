/**
 * mesh against an API server with weather: a seeded fault-injecting proxy (test/kube-api-server/fault-proxy.ts)
 * answers a share of requests with 429/5xx/409, resets connections before or after the server acted, adds
 * latency, or goes away for seconds. Installs must converge in one run, as kubectl's would.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFaultProxy, type FaultProxy } from "../kube-api-server/fault-proxy.js";
import { startKubeApiServer, type KubeApiServer } from "../kube-api-server/index.js";
import { rendersFullProfiles } from "./kube-helpers.js";
import { runMesh } from "./run-mesh.js";

const fullRender = await rendersFullProfiles();

let server: KubeApiServer | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.stop();
  await server?.stop();
  proxy = undefined;
  server = undefined;
});

async function setUp(seed: number, rate: number) {
  server = await startKubeApiServer({ crdEstablishDelayMs: 20 });
  proxy = await startFaultProxy(server.url, {
    seed,
    retryAfterSeconds: 0,
    rates: {
      throttle: rate / 4,
      serverError: rate / 4,
      resetBefore: rate / 8,
      resetAfter: rate / 8,
      modified: rate / 8,
      latency: rate / 8,
    },
  });
  const home = mkdtempSync(join(tmpdir(), "mesh-faults-"));
  const kubeconfig = server.kubeconfigPath(home, { server: proxy.url });
  const mesh = (args: string[]) => runMesh(args, { env: { HOME: home, KUBECONFIG: kubeconfig } });
  const owned = () =>
    server!.objects({ labelSelector: { "operator.istio.io/managed": "Reconcile" } }).filter((o) => o.kind !== "Endpoints");
  return { mesh, owned };
}

describe("mesh install through a faulty API server", () => {
  it.runIf(fullRender).each([
    [11, 0.05],
    [23, 0.1],
  ])("converges in one run (seed %i, %f of requests faulted), logging retries with -v", async (seed, rate) => {
    const { mesh, owned } = await setUp(seed, rate);
    const result = await mesh(["install", "--set", "profile=demo", "-y", "-v"]);
    expect(result.stderr).not.toContain("internal error");
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("✔ Installation complete");
    expect(owned()).toHaveLength(42);
    const injected = proxy!.injected();
    expect(injected.throttle + injected.serverError + injected.resetBefore + injected.resetAfter).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/Retrying .* \(attempt 2 of 10\) in \d+ms after (HTTP 429|HTTP 50\d|ECONNRESET)/);
    const verify = await mesh(["verify-install", "--set", "profile=demo"]);
    expect(verify.exitCode).toBe(0);
  });

  it.runIf(fullRender)("rides out a 5-second API server outage during the install", async () => {
    const { mesh, owned } = await setUp(5, 0);
    server!.setBehaviour({ deploymentReadyAfterReads: 6 });
    const install = mesh(["install", "--set", "profile=demo", "-y"]);
    // The outage starts once the install has begun writing.
    for (let tries = 0; tries < 400 && server!.requests().filter((request) => request.method === "PATCH").length < 5; tries++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    await proxy!.outage(5000);
    const result = await install;
    expect(result.stderr).not.toContain("internal error");
    expect(result.exitCode).toBe(0);
    expect(owned()).toHaveLength(42);
    expect(proxy!.injected().outage).toBe(1);
  });
});
