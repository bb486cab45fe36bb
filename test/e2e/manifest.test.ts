import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateManifest, manifestYaml, sortObjects } from "../../src/core/render/index.js";
import { runMesh } from "./run-mesh.js";

const scratch = mkdtempSync(path.join(tmpdir(), "mesh-manifest-e2e-"));
const overlay = (name: string, text: string) => {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
};
const kinds = (yaml: string) => [...yaml.matchAll(/^kind: (\S+)$/gm)].map((match) => match[1]);

describe("mesh manifest generate", () => {
  it("prints nothing for the empty profile", async () => {
    const result = await runMesh(["manifest", "generate", "--set", "profile=empty"]);
    expect(result).toMatchObject({ exitCode: 0, stdout: "", stderr: "" });
  });

  it.each([
    ["default", 39],
    ["demo", 42],
    ["minimal", 33],
  ])("renders the %s profile's %i objects, the same bytes every run", async (profile, count) => {
    const first = await runMesh(["manifest", "generate", "--set", `profile=${profile}`]);
    expect(first.exitCode).toBe(0);
    expect(kinds(first.stdout)).toHaveLength(count);
    expect((await runMesh(["manifest", "generate", "--set", `profile=${profile}`])).stdout).toBe(first.stdout);
  });

  it("prints from the build's precomputed CRDs exactly what the sources render", async () => {
    const result = await runMesh(["manifest", "generate", "--set", "profile=demo"]);
    const manifest = generateManifest({ files: [], sets: ["profile=demo"] });
    const expected = manifestYaml(sortObjects(manifest.components.flatMap((component) => component.objects)));
    expect(`${result.stdout}\n`).toBe(expected);
  });

  it("renames istiod's objects for --revision", async () => {
    const result = await runMesh(["manifest", "generate", "--set", "profile=minimal", "--revision", "canary", "--component", "istiod"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("name: istiod-canary\n");
    expect(result.stdout).toContain("name: istio-sidecar-injector-canary\n");
    expect(result.stdout).toContain("name: istio-validator-canary-istio-system\n");
  });

  it("prints the base component: 15 CRDs then the reader ServiceAccount, each followed by a blank line and ---", async () => {
    const result = await runMesh(["manifest", "generate", "--component", "base"]);
    expect(result.exitCode).toBe(0);
    expect(kinds(result.stdout)).toEqual([...Array(15).fill("CustomResourceDefinition"), "ServiceAccount"]);
    expect(result.stdout.endsWith("\n\n---")).toBe(true); // execa strips the final newline
    expect(result.stdout.split("\n").filter((line) => / $/.test(line))).toEqual([]);
  });

  it("writes a kubectl List with -o json", async () => {
    const result = await runMesh(["manifest", "generate", "--component", "ingress", "-o", "json"]);
    expect(result.exitCode).toBe(0);
    const list = JSON.parse(result.stdout);
    expect(list.kind).toBe("List");
    expect(list.items.map((item: { kind: string }) => item.kind)).toEqual([
      "ServiceAccount",
      "Deployment",
      "Role",
      "RoleBinding",
      "HorizontalPodAutoscaler",
      "Service",
    ]);
  });

  it("reads overlays from files and stdin, in order", async () => {
    const first = overlay("hub.yaml", "spec:\n  hub: first.example\n");
    const result = await runMesh(["manifest", "generate", "--component", "ingress", "-f", `${first},-`], {
      input: "spec:\n  tag: 9.9.9\n",
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("image: first.example/proxyv2:9.9.9");
  });

  it("writes one file per component with --output-dir", async () => {
    const directory = path.join(scratch, "out");
    const result = await runMesh([
      "manifest",
      "generate",
      "--set",
      "profile=demo",
      "--component",
      "ingress",
      "--component",
      "egress",
      "--output-dir",
      directory,
    ]);
    expect(result.exitCode).toBe(0);
    expect(readdirSync(directory).sort()).toEqual(["istio-egressgateway.yaml", "istio-ingressgateway.yaml"]);
    expect(readFileSync(path.join(directory, "istio-egressgateway.yaml"), "utf8")).toContain("type: ClusterIP");
  });

  it("exits 2 naming file, line, path and a suggestion for an unknown field", async () => {
    const file = overlay("typo.yaml", "spec:\n  values:\n    global:\n      hubb: x\n");
    const result = await runMesh(["manifest", "generate", "-f", file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`Error: ${file}:4:7: spec.values.global.hubb: unknown field "hubb" (did you mean "hub"?)`);
    expect(result.stdout).toBe("");
  });

  it("renders anyway with --force and prints the problem as a warning", async () => {
    const result = await runMesh(["manifest", "generate", "--component", "base", "--set", "values.global.hubb=x", "--force"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('Warning: spec.values.global.hubb: unknown field "hubb"');
  });

  it("exits 2 for a bad --set path, two IstioOperators in one file and an unknown component", async () => {
    expect((await runMesh(["manifest", "generate", "--set", "components.[=1"])).stderr).toContain("bad path");
    const twice = overlay("two.yaml", "spec: {}\n---\nspec: {}\n");
    const result = await runMesh(["manifest", "generate", "-f", twice]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${twice}:3: contains multiple IstioOperator CRs`);
    const unknown = await runMesh(["manifest", "generate", "--component", "ingres"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown component "ingres" (did you mean "ingress"?)');
  });

  it("rejects output formats other than yaml and json", async () => {
    const result = await runMesh(["manifest", "generate", "-o", "table"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unknown output format "table"');
  });
});

describe("mesh manifest diff", () => {
  it("compares two renders object by object and exits 1 when they differ", async () => {
    const result = await runMesh(["manifest", "diff", "--set-a", "profile=default", "--set-b", "profile=minimal"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("--- A/apps.v1.Deployment.istio-system.istio-ingressgateway");
    expect(result.stdout).toMatch(/The manifests differ: \d+ changed, 6 only in A, 0 only in B, \d+ the same\.$/);
  });

  it("ignores the order of the objects in manifest files; exit 0 when the same", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const directory = mkdtempSync(join(tmpdir(), "mesh-diff-"));
    const generated = await runMesh(["manifest", "generate", "--component", "istiod"]);
    const documents = generated.stdout.split("\n---\n").filter((document) => document.trim() !== "");
    writeFileSync(join(directory, "a.yaml"), documents.join("\n---\n"));
    writeFileSync(join(directory, "b.yaml"), [...documents].reverse().join("\n---\n"));
    const result = await runMesh(["manifest", "diff", join(directory, "a.yaml"), join(directory, "b.yaml")]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`The manifests are the same: 0 changed, 0 only in A, 0 only in B, ${documents.length} the same.`);
    const json = await runMesh(["manifest", "diff", join(directory, "a.yaml"), "--set-b", "values.pilot.env.FOO=bar", "-o", "json"]);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout).differences.map((difference: any) => difference.change)).toContain("changed");
  });
});
