import { describe, expect, it } from "vitest";
import { runMesh } from "./run-mesh.js";

const manifest = "test/fixtures/validate/e2e/core-kinds.yaml";

describe("mesh validate on core Kubernetes kinds", () => {
  it("rejects a Deployment whose selector misses its template, and skips the kind it has no schema for, once", async () => {
    const result = await runMesh(["validate", manifest]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      `${manifest}:12:7: error K8S_SELECTOR spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: \`selector\` does not match template \`labels\` (Deployment default/web)`,
    );
    const skippedLines = result.stdout.split("\n").filter((line) => line.includes("skipped example.com/v1 Widget"));
    expect(skippedLines).toEqual([
      `${manifest}:30:1: skipped example.com/v1 Widget: no schema, 2 objects not validated (pass --crds with its CustomResourceDefinition to validate them, or --skip Widget)`,
    ]);
    expect(result.stdout).toContain("Summary: 4 objects in 1 file — 1 valid, 1 invalid, 2 skipped: no schema");
    expect(result.stdout).not.toContain("pass --crds with its CustomResourceDefinition to validate it\n");
  });

  it("prints only errors and the summary with -q", async () => {
    const result = await runMesh(["validate", "-q", manifest]);
    expect(result.stdout.trimEnd().split("\n")).toEqual([
      expect.stringContaining("error K8S_SELECTOR"),
      "Summary: 4 objects in 1 file — 1 valid, 1 invalid, 2 skipped: no schema",
    ]);
  });

  it("gives skipped documents their own status in JSON and JUnit, and no annotation in -o github unless --strict", async () => {
    const json = JSON.parse((await runMesh(["validate", "-o", "json", manifest])).stdout);
    expect(json.schemaVersion).toBe(1);
    expect(json.resources.map((resource: { status: string }) => resource.status)).toEqual(["invalid", "valid", "skipped", "skipped"]);
    const junit = (await runMesh(["validate", "-o", "junit", manifest])).stdout;
    expect(junit.match(/<skipped message="no schema for example.com\/v1 Widget; not validated"\/>/g)).toHaveLength(2);
    expect(junit).toMatch(/<testsuites name="mesh validate" tests="4" failures="1" errors="0" skipped="2" time="\d+\.\d{3}">/);
    const github = (await runMesh(["validate", "-o", "github", manifest])).stdout;
    expect(github).not.toContain("Widget");
    const strict = (await runMesh(["validate", "--strict", "-o", "github", manifest])).stdout;
    expect(strict).toContain("::error file=test/fixtures/validate/e2e/core-kinds.yaml,line=31,col=1,title=mesh NO_SCHEMA::");
  });

  it("writes SARIF rules from the catalogue with locations relative to %SRCROOT%", async () => {
    const sarif = JSON.parse((await runMesh(["validate", "-o", "sarif", manifest])).stdout);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules).toEqual([
      expect.objectContaining({
        id: "K8S_SELECTOR",
        shortDescription: { text: "Label selector problem" },
        helpUri: expect.stringMatching(/docs\/validate\.md#k8s_selector$/),
      }),
    ]);
    expect(run.results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: manifest, uriBaseId: "%SRCROOT%" });
    expect(run.originalUriBaseIds["%SRCROOT%"].uri).toMatch(/^file:\/\/.*\/$/);
  });

  it("falls back to the nearest Kubernetes version with a note, and refuses a non-version", async () => {
    const old = await runMesh(["validate", "--kubernetes-version", "1.29", manifest]);
    expect(old.stderr).toContain("note: mesh has no schemas for Kubernetes 1.29; validating with the nearest, 1.32");
    expect(old.exitCode).toBe(1);
    const bad = await runMesh(["validate", "--kubernetes-version", "latest", manifest]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('invalid --kubernetes-version "latest"');
  });
});
