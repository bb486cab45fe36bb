import { describe, expect, it } from "vitest";
import { startInProcessCluster } from "./in-process.js";
import { gatewaysOnly } from "./kube-helpers.js";
import { freshForEachTest } from "./per-test.js";

const cluster = freshForEachTest(() => startInProcessCluster({ deploymentReadyAfterReads: 0 }));

const installed = () =>
  cluster.server.objects({ labelSelector: { "operator.istio.io/managed": "Reconcile" } }).filter((object) => object.kind !== "Endpoints");

describe("the install prompt", () => {
  it.each([["n\n"], ["no\n"], ["\n"], [""]])("cancels on %j with exit 1 and applies nothing", async (answer) => {
    const result = await cluster.runWithAnswers(["install", "--set", "profile=demo", ...gatewaysOnly], answer);
    expect(result.stdout).toBe('This will install the Istio 1.30.3 profile "demo" into the cluster. Proceed? (y/N) ');
    expect(result.stderr).toBe("Cancelled.\n");
    expect(result.exitCode).toBe(1);
    expect(installed()).toEqual([]);
  });

  it("asks again on anything else and proceeds on yes", async () => {
    const result = await cluster.runWithAnswers(["install", "--set", "profile=default", ...gatewaysOnly], "maybe\nYES\n");
    expect(result.stdout).toBe('This will install the Istio 1.30.3 profile "default" into the cluster. Proceed? (y/N) '.repeat(2));
    expect(result.exitCode).toBe(0);
    expect(installed()).toHaveLength(6);
  });

  it("asks before purging", async () => {
    await cluster.runWithAnswers(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"], "");
    const result = await cluster.runWithAnswers(["uninstall", "--purge"], "y\n");
    expect(result.stdout).toBe("All Istio resources will be pruned from the cluster\nProceed? (y/N) ");
    expect(result.exitCode).toBe(0);
    expect(installed()).toEqual([]);
  });
});

describe("progress on a terminal", () => {
  it("falls back to plain lines on a terminal that reports no width (a spinner would redraw forever)", async () => {
    const result = await cluster.runWithAnswers(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"], "", { columns: 0 });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("- Processing resources for Ingress gateways.\n");
    expect(result.stderr).toContain("✔ Installation complete");
  });

  it("shows a spinner line and permanent ✔ lines on a terminal", async () => {
    const result = await cluster.runWithAnswers(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"], "", { columns: 100 });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/\u001b\[\?25l/);
    expect(result.stderr).toContain("✔ Egress gateways installed 🛫\n");
    expect(result.stderr).toContain("✔ Installation complete\n");
  });
});
