import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMesh } from "./run-mesh.js";

// -f takes IstioOperator overlays only: anything else used to be ignored silently, rendering the default profile.

const dir = mkdtempSync(join(tmpdir(), "mesh-overlays-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const route = file("route.yaml", "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n");
const typo = file("spek.yaml", "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspek:\n  profile: demo\n");
const helmValues = file("values.yaml", "global:\n  hub: my.registry/istio\n");
const bareSpec = file("bare.yaml", "spec:\n  profile: minimal\n");
const wrongVersion = file("v2.yaml", "apiVersion: install.istio.io/v2\nkind: IstioOperator\nspec: {}\n");
const folder = join(dir, "overlays");
mkdirSync(folder);
const twoDocuments = file("two.yaml", "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n---\napiVersion: v1\nkind: ConfigMap\n");

// Overlays are read before the cluster is contacted: these need no API server.
const commands = [["manifest", "generate"], ["install", "-y"], ["uninstall", "-y"], ["verify-install"]];
const env = { KUBECONFIG: join(dir, "absent-kubeconfig") };

describe.each(commands)("mesh %s %s -f", (...command) => {
  it("refuses a document of another kind, naming it", async () => {
    const result = await runMesh([...command, "-f", route], { env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`Error: ${route}:2:1: kind HTTPRoute is not an IstioOperator\n`);
    expect(result.stdout).toBe("");
  });

  it("refuses an unknown top-level field with a did-you-mean", async () => {
    const result = await runMesh([...command, "-f", typo], { env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`Error: ${typo}:3:1: spek: unknown field "spek" (did you mean "spec"?)\n`);
  });

  it("says that Helm values are not an overlay and what to do instead", async () => {
    const result = await runMesh([...command, "-f", helmValues], { env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no apiVersion and kind and a top-level field "global" (Helm values?)');
    expect(result.stderr).toContain("--set values.<path>=<value>");
    expect(result.stderr).toContain("wrap them in an IstioOperator");
  });

  it("gives one clear message for a directory", async () => {
    const result = await runMesh([...command, "-f", folder], { env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `Error: ${folder} is a directory; -f takes IstioOperator overlay files\npass each overlay file with its own -f (they are merged in order)`,
    );
  });

  it("gives one clear message for several documents", async () => {
    const result = await runMesh([...command, "-f", twoDocuments], { env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`Error: ${twoDocuments}:4: contains multiple IstioOperator CRs, only one per file is supported\n`);
  });

  it("refuses another apiVersion", async () => {
    const result = await runMesh([...command, "-f", wrongVersion], { env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`Error: ${wrongVersion}:1:1: apiVersion install.istio.io/v2 is not install.istio.io/v1alpha1\n`);
  });
});

describe("accepted overlays", () => {
  it("a bare spec (as istioctl accepts it) still selects its profile", async () => {
    const result = await runMesh(["manifest", "generate", "-f", bareSpec]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toMatch(/^ {2}name: istio-ingressgateway$/m);
    expect(result.stdout).toContain("name: istiod");
  });
});
