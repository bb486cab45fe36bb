import { describe, expect, it } from "vitest";
import { writeRouteToHost } from "./analyze-inputs.js";
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
    const { file } = writeRouteToHost("shop", "ratings");
    const offline = await cluster.mesh(["analyze", file]);
    expect(offline.stdout).toContain('IST0101 Referenced host not found: "ratings"');
    const live = await cluster.mesh(["analyze", "--cluster", file]);
    expect(live.stderr).toBe("");
    expect(live.stdout).not.toContain("IST0101");
    expect(live.exitCode).toBe(0);
  });
});
