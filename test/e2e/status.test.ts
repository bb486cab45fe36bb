import { describe, expect, it } from "vitest";
import { gatewaysOnly, startTestCluster } from "./kube-helpers.js";
import { freshForEachTest } from "./per-test.js";

const cluster = freshForEachTest(() => startTestCluster());

describe("mesh status", () => {
  it("says when nothing is installed", async () => {
    const result = await cluster.mesh(["status"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      'Istio is not installed in the cluster of context "mesh-test" (no objects with operator.istio.io/component labels).',
    );
  });

  it("honours --kubeconfig and --context over KUBECONFIG, and names an unknown context", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const path = cluster.server.kubeconfigPath(mkdtempSync(join(tmpdir(), "mesh-ctx-")), {
      fileName: "two-contexts",
      extraContexts: { staging: cluster.server.url },
    });
    const env = { KUBECONFIG: "/nonexistent/kubeconfig" };
    const ok = await cluster.mesh(["status", "--kubeconfig", path, "--context", "staging"], { env });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain('in the cluster of context "staging"');
    const unknown = await cluster.mesh(["status", "--kubeconfig", path, "--context", "prod"], { env });
    expect(unknown.exitCode).toBe(3);
    expect(unknown.stderr).toBe(`Error: context "prod" not found in ${path}\navailable contexts: mesh-test, staging`);
  });

  it("shows components with versions and readiness, and the gateways' Service addresses", async () => {
    await cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"]);
    const result = await cluster.mesh(["status"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Ingress gateways +default +istio-system +1\.30\.3 +5 +✔ istio-ingressgateway 1\/1 ready$/m);
    expect(result.stdout).toMatch(
      /^istio-ingressgateway +istio-system +LoadBalancer +10\.96\.0\.\d+ +172\.18\.255\.200 +15021:\d+\/TCP,80:\d+\/TCP,443:\d+\/TCP,31400:\d+\/TCP,15443:\d+\/TCP$/m,
    );
    expect(result.stdout).toMatch(/^istio-egressgateway +istio-system +ClusterIP +10\.96\.0\.\d+ +<none> +80\/TCP,443\/TCP$/m);
    const json = JSON.parse((await cluster.mesh(["status", "-o", "json"])).stdout);
    expect(json.healthy).toBe(true);
  });
});
