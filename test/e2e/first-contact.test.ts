import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startGatewayApiWorld } from "./gateway-api-helpers.js";
import { gatewaysOnly, startTestCluster } from "./kube-helpers.js";
import { runMesh } from "./run-mesh.js";
import { stoppedAfterEach } from "./per-test.js";

// Smaller things a first tour of mesh ran into, each through bin/mesh.js.

const dir = mkdtempSync(join(tmpdir(), "mesh-first-contact-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const invalidRoute = file(
  "bad.yaml",
  "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  hostnames: [7]\n",
);

describe("offline", () => {
  it("the stable profile renders, with its ValidatingAdmissionPolicy, instead of failing on a setting the user never made", async () => {
    const result = await runMesh(["manifest", "generate", "--set", "profile=stable"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("kind: ValidatingAdmissionPolicy");
  });

  it("--crds with a missing file names the flag", async () => {
    const result = await runMesh(["validate", "--crds", join(dir, "nope.yaml"), invalidRoute]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`Error: --crds ${join(dir, "nope.yaml")}: no such file or directory`);
  });

  it("duplicate keys are named", async () => {
    const duplicate = file("dup.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n");
    const result = await runMesh(["validate", duplicate]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`${duplicate}:5:3: error duplicate-key mapping key "name" already defined`);
    const overlay = file(
      "dup-iop.yaml",
      "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: demo\n  'profile': minimal\n",
    );
    expect((await runMesh(["manifest", "generate", "-f", overlay])).stderr).toContain('mapping key "profile" already defined');
  });

  it("FORCE_COLOR=1 colours output on a pipe; --no-color still wins", async () => {
    const forced = await runMesh(["validate", invalidRoute], { env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain("\u001b[");
    const plain = await runMesh(["validate", invalidRoute]);
    expect(plain.stdout).not.toContain("\u001b[");
    const off = await runMesh(["validate", "--no-color", invalidRoute], { env: { FORCE_COLOR: "1" } });
    expect(off.stdout).not.toContain("\u001b[");
  });
});

describe("against a cluster", () => {
  const startCluster = stoppedAfterEach(startTestCluster);

  it("status -n NAMESPACE says where Istio is when it is not in that namespace", async () => {
    const cluster = await startCluster({ deploymentReadyAfterReads: 0 });
    expect((await cluster.mesh(["install", "-y", ...gatewaysOnly])).exitCode).toBe(0);
    const result = await cluster.mesh(["status", "-n", "foo"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("Istio is not installed in namespace foo; it is installed in istio-system (mesh status -n istio-system).");
  });

  it("uninstall -r REVISION removes Deployments, not the Pods they own", async () => {
    const cluster = await startCluster({ deploymentReadyAfterReads: 0 });
    expect((await cluster.mesh(["install", "-y", "-r", "canary", ...gatewaysOnly])).exitCode).toBe(0);
    expect(cluster.server.objects({ kind: "Pod" }).length).toBeGreaterThan(0);
    const result = await cluster.mesh(["uninstall", "-r", "canary", "-y", "-o", "json"]);
    expect(result.exitCode).toBe(0);
    const removed = (JSON.parse(result.stdout) as { objects: { object: string }[] }).objects.map((entry) => entry.object);
    expect(removed.some((object) => object.startsWith("Deployment"))).toBe(true);
    expect(removed.filter((object) => object.startsWith("Pod"))).toEqual([]);
  });

  it("a refusal's hint ends its command before the next sentence", async () => {
    const world = await startGatewayApiWorld();
    try {
      world.publish("v1.5.1", "standard");
      world.publish("v1.2.1", "standard");
      expect((await world.gatewayApi(["install", "--version", "v1.5.1", "-y"])).exitCode).toBe(0);
      const result = await world.gatewayApi(["install", "--version", "v1.2.1", "--force", "-y"]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("validatingadmissionpolicy safe-upgrades.gateway.networking.k8s.io'). Nothing was applied.");
    } finally {
      await world.stop();
    }
  });
});
