import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startTestCluster } from "./kube-helpers.js";
import { stoppedAfterEach } from "./per-test.js";

const startCluster = stoppedAfterEach(startTestCluster);

describe("mesh analyze --cluster", () => {
  it("resolves destinations against live Services, files winning over live objects", async () => {
    const cluster = await startCluster({ namespaces: ["default", "shop"] });
    cluster.server.createObject({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "ratings", namespace: "shop" },
      spec: { ports: [{ port: 9080, name: "http" }] },
    });
    const dir = mkdtempSync(join(tmpdir(), "mesh-analyze-cluster-"));
    const file = join(dir, "vs.yaml");
    writeFileSync(
      file,
      [
        "apiVersion: v1",
        "kind: Service",
        "metadata: {name: cart, namespace: shop}",
        "spec: {ports: [{port: 80, name: http}]}",
        "---",
        "apiVersion: networking.istio.io/v1",
        "kind: VirtualService",
        "metadata: {name: vs, namespace: shop}",
        "spec:",
        "  hosts: [vs]",
        "  http:",
        "  - route:",
        "    - destination: {host: ratings}",
        "",
      ].join("\n"),
    );
    const offline = await cluster.mesh(["analyze", file]);
    expect(offline.stdout).toContain('IST0101 Referenced host not found: "ratings"');
    const live = await cluster.mesh(["analyze", "--cluster", file]);
    expect(live.stderr).toBe("");
    expect(live.stdout).not.toContain("IST0101");
    expect(live.exitCode).toBe(0);
  });
});
