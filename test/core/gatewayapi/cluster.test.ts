import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClusterError } from "../../../src/core/errors.js";
import { CancelledError, ensureGatewayApiCrds, gatewayApiStatus, readInstalledState } from "../../../src/kube/gateway-api.js";
import { connectCluster, type Cluster } from "../../../src/kube/index.js";
import { syntheticBundle, syntheticCrd } from "../../fixtures/gateway-api/synthetic-bundle.js";
import { startKubeApiServer, type KubeApiServer } from "../../kube-api-server/index.js";

let server: KubeApiServer;
let cluster: Cluster;
let scratch: string;
let bundlePath: string;

beforeEach(async () => {
  server = await startKubeApiServer({ crdEstablishDelayMs: 20 });
  scratch = mkdtempSync(join(tmpdir(), "mesh-gwapi-cluster-"));
  cluster = await connectCluster({ kubeconfig: server.kubeconfigPath(scratch), env: {} });
  bundlePath = join(scratch, "bundle.yaml");
  writeFileSync(bundlePath, syntheticBundle("v1.2.1", "standard"));
});
afterEach(async () => {
  cluster.close();
  await server.stop();
});

const options = (extra: Record<string, unknown> = {}) => ({
  version: "v1.2.1",
  fromFile: bundlePath,
  timeoutMs: 5_000,
  env: {},
  homeDir: scratch,
  ...extra,
});

const writes = () => server.requests().filter((request) => request.method !== "GET" && !request.dryRun);

describe("the Gateway API CRDs in a cluster", () => {
  it("reads only CRDs of the Gateway API groups", async () => {
    server.createObject(syntheticCrd("gateways.gateway.networking.k8s.io", "v1.2.1", "standard"));
    server.createObject({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com" },
      spec: { group: "example.com", names: { kind: "Widget", plural: "widgets" }, scope: "Namespaced", versions: [] },
    });
    const state = await readInstalledState(cluster);
    expect(state.crds.map((crd) => crd.name)).toEqual(["gateways.gateway.networking.k8s.io"]);
    expect(state.safeUpgradesPolicy).toBe(false);
  });

  it("applies with field manager mesh after a server-side dry run of every object", async () => {
    await ensureGatewayApiCrds(cluster, options());
    const patches = server.requests().filter((request) => request.method === "PATCH");
    expect(patches.filter((request) => request.dryRun)).toHaveLength(5);
    expect(patches.filter((request) => !request.dryRun)).toHaveLength(5);
    expect(new Set(patches.map((request) => request.fieldManager))).toEqual(new Set(["mesh"]));
    const dryRunsFirst = patches.findIndex((request) => !request.dryRun) === 5;
    expect(dryRunsFirst).toBe(true);
  });

  it("changes nothing when the API server rejects one object in the dry run", async () => {
    server.setBehaviour({
      invalid: [
        {
          kind: "CustomResourceDefinition",
          name: "httproutes.gateway.networking.k8s.io",
          field: "spec.versions",
          message: "rejected for the test",
        },
      ],
    });
    await expect(ensureGatewayApiCrds(cluster, options())).rejects.toThrow(ClusterError);
    expect(writes()).toEqual([]);
    expect(server.objects({ kind: "CustomResourceDefinition" })).toEqual([]);
  });

  it("changes nothing when the user declines", async () => {
    const asked: string[] = [];
    const declined = ensureGatewayApiCrds(cluster, options({ confirm: async (summary: string) => (asked.push(summary), false) }));
    await expect(declined).rejects.toThrow(CancelledError);
    expect(asked).toEqual(["install Gateway API v1.2.1 (standard)"]);
    expect(writes()).toEqual([]);
  });

  it("fails with a cluster error naming the CRDs that do not become Established in time", async () => {
    server.setBehaviour({ crdEstablishDelayMs: 60_000 });
    const error = await ensureGatewayApiCrds(cluster, options({ timeoutMs: 300 })).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ClusterError);
    expect((error as ClusterError).message).toMatch(/^Gateway API CRDs not Established after 0s: .*gateways\.gateway\.networking\.k8s\.io/);
    expect((error as ClusterError).hint).toMatch(/mesh gateway-api status/);
  });

  it("reports a CRD that is not Established as a problem", async () => {
    server.setBehaviour({ crdEstablishDelayMs: 60_000 });
    server.createObject(syntheticCrd("gateways.gateway.networking.k8s.io", "v1.2.1", "standard"));
    const status = await gatewayApiStatus(cluster);
    expect(status.problems).toContain("not Established: gateways.gateway.networking.k8s.io");
    expect(status.problems.some((problem) => problem.startsWith("missing from the installed bundle: gatewayclasses"))).toBe(true);
  });

  it("refuses a v1.5 bundle on a cluster without ValidatingAdmissionPolicy, before changing anything", async () => {
    writeFileSync(bundlePath, syntheticBundle("v1.5.1", "standard"));
    server.setBehaviour({ hiddenGroups: ["admissionregistration.k8s.io"] });
    const refused = ensureGatewayApiCrds(cluster, options({ version: "v1.5.1" }));
    await expect(refused).rejects.toThrow(
      /includes a ValidatingAdmissionPolicy \(admissionregistration\.k8s\.io\/v1\), which this cluster does not serve/,
    );
    expect(server.requests().filter((request) => request.method !== "GET")).toEqual([]);
  });
});
