/** One install at a time: the install lock (a Lease in the install namespace) under concurrent mesh runs. */
import { describe, expect, it } from "vitest";
import { gatewaysOnly, startTestCluster } from "./kube-helpers.js";
import { freshForEachTest } from "./per-test.js";

const cluster = freshForEachTest(() => startTestCluster({ namespaces: ["default", "kube-system", "istio-system"] }));

const env = { MESH_LOCK_POLL_MS: "50" };
const microTime = (date: Date) => date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

function plantLease(renewed: Date, holder = "someone@elsewhere/pid-1") {
  cluster.server.createObject({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: "mesh-install-lock", namespace: "istio-system", annotations: { "mesh/operation": "install (profile demo)" } },
    spec: { holderIdentity: holder, leaseDurationSeconds: 60, acquireTime: microTime(renewed), renewTime: microTime(renewed) },
  });
}

/** Resolves once `condition` holds, checking every 20 ms; fails after a minute (a wait, not a timing assertion). */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 60_000) throw new Error("the condition did not hold within a minute");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the install lock", () => {
  it("serialises two concurrent installs of different profiles; the later one's profile is what verifies", async () => {
    // The first install holds the lock while its gateways are not ready; the second starts only once the lock is
    // held and must be seen waiting before the gateways become ready. Ordered by the API server's own record, so
    // the runs overlap however slow the machine is.
    cluster.server.setBehaviour({ deploymentReadyAfterReads: 1_000_000 });
    const demo = cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"], { env });
    await until(() => cluster.server.objects({ kind: "Lease" }).length === 1);
    const leaseReads = () =>
      cluster.server.requests().filter((request) => request.method === "GET" && request.path.endsWith("/leases/mesh-install-lock")).length;
    const readsBefore = leaseReads();
    const other = cluster.mesh(["install", "--set", "profile=default", ...gatewaysOnly, "-y"], { env });
    // Two reads of the held lease: the second run found it held and is polling.
    await until(() => leaseReads() >= readsBefore + 2);
    cluster.server.setBehaviour({ deploymentReadyAfterReads: 2 });
    const [first, second] = await Promise.all([demo, other]);
    expect(first.exitCode).toBe(0);
    expect(first.stderr).not.toContain("Waiting for another mesh run to finish");
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toMatch(
      /Waiting for another mesh run to finish: the install lock is held by mesh\/.*pid-\d+ \(install \(profile demo, revision default\)\)/,
    );
    const verify = await cluster.mesh(["verify-install", "--set", "profile=default", ...gatewaysOnly]);
    expect(verify.exitCode).toBe(0);
    expect(cluster.server.objects({ kind: "Lease" })).toEqual([]);
  });

  it("fails naming the holder when the lock stays held past the wait", async () => {
    plantLease(new Date());
    const result = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y", "--readiness-timeout", "1s"], { env });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(
      "another mesh run holds the install lock (Lease istio-system/mesh-install-lock): someone@elsewhere/pid-1 (install (profile demo))",
    );
    expect(result.stderr).toContain("kubectl delete lease -n istio-system mesh-install-lock");
    expect(cluster.owned()).toEqual([]);
  });

  it("takes over a stale lock whose holder stopped renewing it", async () => {
    plantLease(new Date(Date.now() - 120_000));
    const result = await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"], { env });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toContain("Waiting for another mesh run");
    expect(cluster.owned().length).toBeGreaterThan(0);
  });

  it("makes uninstall wait while another run holds the lock, until that lock expires", async () => {
    expect((await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"], { env })).exitCode).toBe(0);
    // Five seconds left on the lease: a slow start of the uninstall still finds it held.
    plantLease(new Date(Date.now() - 55_000), "crashed@host/pid-2");
    const result = await cluster.mesh(["uninstall", "--purge", "-y"], { env });
    expect(result.stderr).toMatch(
      /Waiting for another mesh run to finish: the install lock is held by crashed@host\/pid-2 \(install \(profile demo\)\), lease expires in [1-5]s/,
    );
    expect(result.exitCode).toBe(0);
    expect(cluster.owned()).toEqual([]);
  });
});
