import { describe, expect, it } from "vitest";
import { gatewaysOnly, startTestCluster } from "./kube-helpers.js";
import { freshForEachTest } from "./per-test.js";
import { runOnTerminal } from "./terminal.js";

// Prompts on a real pseudo-terminal whose input stays open after the answer: mesh must exit by itself.

const cluster = freshForEachTest(() => startTestCluster({ deploymentReadyAfterReads: 0 }));
const env = () => ({ KUBECONFIG: cluster.kubeconfig });

const install = ["install", "--set", "profile=demo", ...gatewaysOnly];

describe("confirmation prompts on a terminal", () => {
  it("install exits right after yes, with stdin still open", async () => {
    const run = await runOnTerminal(install, { env: env(), prompt: "Proceed? (y/N) ", keys: "y\n" });
    expect(run.output).toContain("✔ Installation complete");
    expect(run.exitCode).toBe(0);
    expect(cluster.owned().length).toBeGreaterThan(0);
  }, 60_000);

  it("install exits 1 right after no", async () => {
    const run = await runOnTerminal(install, { env: env(), prompt: "Proceed? (y/N) ", keys: "n\n" });
    expect(run.output).toContain("Cancelled.");
    expect(run.exitCode).toBe(1);
    expect(cluster.owned()).toEqual([]);
  }, 60_000);

  it("uninstall --purge exits right after yes", async () => {
    expect((await cluster.mesh([...install, "-y"])).exitCode).toBe(0);
    const run = await runOnTerminal(["uninstall", "--purge"], { env: env(), prompt: "Proceed? (y/N) ", keys: "y\n" });
    expect(run.output).toContain("✔ Uninstall complete");
    expect(run.exitCode).toBe(0);
    expect(cluster.owned()).toEqual([]);
  }, 60_000);

  it("Ctrl-C at the prompt exits 130 without a stack trace and changes nothing", async () => {
    const run = await runOnTerminal(install, { env: env(), prompt: "Proceed? (y/N) ", keys: "\u0003" });
    expect(run.exitCode).toBe(130);
    expect(run.output).not.toMatch(/Error|\n\s+at /);
    expect(cluster.owned()).toEqual([]);
  }, 60_000);
});
