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

describe("the install lock", () => {
  it("serialises two concurrent installs of different profiles; the later one's profile is what verifies", async () => {
    const [demo, minimal] = await Promise.all([
      cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"], { env }),
      cluster.mesh(["install", "--set", "profile=default", ...gatewaysOnly, "-y"], { env }),
    ]);
    expect(demo.exitCode).toBe(0);
    expect(minimal.exitCode).toBe(0);
    const waited = [demo, minimal].filter((run) => run.stderr.includes("Waiting for another mesh run to finish"));
    expect(waited).toHaveLength(1);
    expect(waited[0]!.stderr).toMatch(
      /the install lock is held by mesh\/.*pid-\d+ \(install \(profile (demo|default), revision default\)\)/,
    );
    const last = waited[0] === demo ? "demo" : "default";
    const verify = await cluster.mesh(["verify-install", "--set", `profile=${last}`, ...gatewaysOnly]);
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
    plantLease(new Date(Date.now() - 58_500), "crashed@host/pid-2");
    const result = await cluster.mesh(["uninstall", "--purge", "-y"], { env });
    expect(result.stderr).toMatch(
      /Waiting for another mesh run to finish: the install lock is held by crashed@host\/pid-2 \(install \(profile demo\)\), lease expires in [12]s/,
    );
    expect(result.exitCode).toBe(0);
    expect(cluster.owned()).toEqual([]);
  });
});
