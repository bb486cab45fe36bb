import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { syntheticBundle } from "../fixtures/gateway-api/synthetic-bundle.js";
import { startInProcessCluster } from "./in-process.js";
import { freshForEachTest } from "./per-test.js";

const cluster = freshForEachTest(() => startInProcessCluster());
const bundle = join(mkdtempSync(join(tmpdir(), "mesh-gwapi-prompt-")), "standard-install.yaml");
writeFileSync(bundle, syntheticBundle("v1.2.1", "standard"));

const crds = () => cluster.server.objects({ kind: "CustomResourceDefinition" });
const install = ["gateway-api", "install", "--version", "v1.2.1", "--from-file"];

describe("the gateway-api prompts", () => {
  it.each([["n\n"], ["\n"], [""]])("install cancels on %j with exit 1 and applies nothing", async (answer) => {
    const result = await cluster.runWithAnswers([...install, bundle], answer);
    expect(result.stdout).toBe("Install Gateway API v1.2.1 (standard) in the cluster. Proceed? (y/N) ");
    expect(result.stderr).toMatch(/Cancelled\.\n$/);
    expect(result.exitCode).toBe(1);
    expect(crds()).toEqual([]);
  });

  it("install asks again on anything else and proceeds on y", async () => {
    const result = await cluster.runWithAnswers([...install, bundle], "sure\ny\n");
    expect(result.stdout).toBe("Install Gateway API v1.2.1 (standard) in the cluster. Proceed? (y/N) ".repeat(2));
    expect(result.exitCode).toBe(0);
    expect(crds()).toHaveLength(5);
  });

  it("install does not ask when nothing would change", async () => {
    await cluster.runWithAnswers([...install, bundle, "-y"], "");
    const again = await cluster.runWithAnswers([...install, bundle], "");
    expect(again.stdout).toBe("");
    expect(again.exitCode).toBe(0);
  });

  it("uninstall says that every Gateway and route goes with the CRDs, and keeps them on no", async () => {
    await cluster.runWithAnswers([...install, bundle, "-y"], "");
    const result = await cluster.runWithAnswers(["gateway-api", "uninstall"], "no\n");
    expect(result.stderr).toContain(
      "Deleting the Gateway API CRDs deletes every Gateway, HTTPRoute and other Gateway API resource in the cluster.",
    );
    expect(result.stdout).toBe("Proceed? (y/N) ");
    expect(result.exitCode).toBe(1);
    expect(crds()).toHaveLength(5);
    const confirmed = await cluster.runWithAnswers(["gateway-api", "uninstall"], "yes\n");
    expect(confirmed.exitCode).toBe(0);
    expect(crds()).toEqual([]);
  });
});
