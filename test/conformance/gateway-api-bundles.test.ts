import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expectedCrdNames } from "../../src/core/gatewayapi/releases.js";
import { parseReleaseVersion, type Channel } from "../../src/core/gatewayapi/versions.js";
import { verifyBundle } from "../../src/core/gatewayapi/verify.js";

const referenceRoot = fileURLToPath(new URL("../../../shared/reference/gateway-api", import.meta.url));

/** Upstream's `<channel>-install.yaml` is its channel's CRD files, in name order, one after another. */
export function assembleReleaseBundle(version: string, channel: Channel): string {
  const directory = join(referenceRoot, version, channel);
  return readdirSync(directory)
    .filter((name) => name.endsWith(".yaml"))
    .sort()
    .map((name) => readFileSync(join(directory, name), "utf8").trimEnd())
    .join("\n---\n")
    .concat("\n");
}

const releases = [
  ["v1.2.1", "standard"],
  ["v1.2.1", "experimental"],
  ["v1.5.1", "standard"],
  ["v1.5.1", "experimental"],
] as const;

describe("the published Gateway API bundles", () => {
  it.each(releases)("%s %s passes verification with the CRD list mesh expects", (version, channel) => {
    const text = assembleReleaseBundle(version, channel);
    const bundle = verifyBundle(text, { version, release: parseReleaseVersion(version)!, channel }, `${version}/${channel}`);
    expect(bundle.summaries.map((crd) => crd.name).sort()).toEqual([...expectedCrdNames(version, channel)!].sort());
    expect(bundle.policies).toHaveLength(version === "v1.5.1" ? 2 : 0);
  });

  it.each(releases)("%s %s is refused when asked for as the other channel", (version, channel) => {
    const other: Channel = channel === "standard" ? "experimental" : "standard";
    expect(() =>
      verifyBundle(assembleReleaseBundle(version, channel), { version, release: parseReleaseVersion(version)!, channel: other }, "x"),
    ).toThrow(new RegExp(`channel is ${channel}, not ${other}`));
  });

  it("v1.2.1 is refused when asked for as v1.5.1", () => {
    expect(() =>
      verifyBundle(
        assembleReleaseBundle("v1.2.1", "standard"),
        { version: "v1.5.1", release: parseReleaseVersion("v1.5.1")!, channel: "standard" },
        "x",
      ),
    ).toThrow(/It contains bundle-version v1\.2\.1, channel standard/);
  });
});

describe("installing the published bundles into the Kubernetes API test server", () => {
  it.each([
    ["v1.2.1", "standard", 5],
    ["v1.2.1", "experimental", 10],
    ["v1.5.1", "standard", 8],
    ["v1.5.1", "experimental", 12],
  ] as const)("%s %s: %d CRDs Established, then nothing to do", async (version, channel, count) => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { startKubeApiServer } = await import("../kube-api-server/index.js");
    const { connectCluster } = await import("../../src/kube/index.js");
    const { ensureGatewayApiCrds } = await import("../../src/kube/gateway-api.js");
    const { startBundleServer } = await import("../fixtures/gateway-api/bundle-server.js");
    const server = await startKubeApiServer({ crdEstablishDelayMs: 20 });
    const mirror = await startBundleServer();
    const scratch = mkdtempSync(join(tmpdir(), "mesh-gwapi-conformance-"));
    try {
      mirror.routes.set(`/releases/${version}/${channel}-install.yaml`, { body: assembleReleaseBundle(version, channel) });
      const cluster = await connectCluster({ kubeconfig: server.kubeconfigPath(scratch), env: {} });
      const options = { version, channel, baseUrl: mirror.baseUrl, timeoutMs: 30_000, env: { XDG_CACHE_HOME: scratch }, homeDir: scratch };
      const first = await ensureGatewayApiCrds(cluster, options);
      expect(first.decision.action).toBe("install");
      const crds = server.objects({ kind: "CustomResourceDefinition" });
      expect(crds).toHaveLength(count);
      for (const crd of crds) {
        expect(crd.status.conditions).toContainEqual(expect.objectContaining({ type: "Established", status: "True" }));
      }
      expect(server.objects({ kind: "ValidatingAdmissionPolicy" })).toHaveLength(version === "v1.5.1" ? 1 : 0);
      const second = await ensureGatewayApiCrds(cluster, options);
      expect(second.decision.action).toBe("already-installed");
      expect(second.obtained.origin).toBe("cache");
      cluster.close();
    } finally {
      await Promise.all([server.stop(), mirror.close()]);
    }
  });
});
