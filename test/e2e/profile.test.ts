import { describe, expect, it } from "vitest";
import { runMesh } from "./run-mesh.js";

describe("mesh profile", () => {
  it("lists the profiles, every one rendered in full", async () => {
    const result = await runMesh(["profile", "list"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Istio configuration profiles:\n");
    for (const name of ["default", "demo", "empty", "minimal", "remote", "ambient"]) expect(result.stdout).toContain(`    ${name}`);
    expect(result.stdout).toContain("    ambient\n");
    expect(result.stdout).toMatch(/^ {4}stable$/m);
    expect(result.stdout).not.toContain("partial");
  });

  it("dumps a profile layered on default, or a part of it", async () => {
    const whole = await runMesh(["profile", "dump", "demo"]);
    expect(whole.exitCode).toBe(0);
    expect(whole.stdout).toContain("hub: docker.io/istio");
    expect(whole.stdout).toContain("profile: demo");
    const part = await runMesh(["profile", "dump", "demo", "--config-path", "spec.components.egressGateways", "-o", "json"]);
    expect(JSON.parse(part.stdout)).toEqual([{ enabled: true, name: "istio-egressgateway" }]);
    const relative = await runMesh(["profile", "dump", "minimal", "--config-path", "components.ingressGateways[0].enabled"]);
    expect(relative.stdout).toBe("false");
  });

  it("applies --set to the dump", async () => {
    const result = await runMesh([
      "profile",
      "dump",
      "--set",
      "values.global.logging.level=default:debug",
      "--config-path",
      "spec.values.global.logging",
    ]);
    expect(result.stdout).toBe("level: default:debug");
  });

  it("diffs two profiles line by line", async () => {
    const result = await runMesh(["profile", "diff", "default", "demo"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("--- default\n+++ demo\n");
    expect(result.stdout).toContain("\n-    - enabled: false\n+    - enabled: true\n");
    expect(result.stdout).toContain("\n+    profile: demo\n");
    expect((await runMesh(["profile", "diff", "demo", "demo"])).stdout).toBe('Profiles "demo" and "demo" are identical');
  });

  it("exits 2 for an unknown profile with a suggestion", async () => {
    const result = await runMesh(["profile", "dump", "dmeo"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('profile "dmeo" not found (did you mean "demo"?)');
  });
});
