import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runMesh } from "./run-mesh.js";
import { writeRouteToHost } from "./analyze-inputs.js";

const fixture = (name: string) => `test/fixtures/analyze/${name}`;
const lineOf = /^(\S+):(\d+):(\d+): (error|warning|info) (\S+) /;

describe("mesh analyze", () => {
  it("reports Istio codes with file:line:col and exits 1 on errors", async () => {
    const result = await runMesh(["analyze", fixture("docs/shop.yaml")]);
    expect(result.exitCode).toBe(1);
    const lines = result.stdout.trim().split("\n").slice(0, -1);
    expect(lines.map((line) => lineOf.exec(line)?.[5])).toEqual(["IST0132", "IST0130", "IST0101"]);
  });

  it("--suppress CODE=RESOURCE hides a code on matching resources, as istioctl (* matches any text)", async () => {
    const exact = await runMesh(["analyze", fixture("docs/shop.yaml"), "--suppress", "IST0101=VirtualService cart.shop"]);
    expect(exact.exitCode).toBe(0);
    expect(exact.stdout).not.toContain("IST0101");
    expect(exact.stdout).toContain("IST0132");
    const wildcard = await runMesh(["analyze", fixture("docs/shop.yaml"), "-S", "IST0132=VirtualService *.shop", "-S", "IST0130=*"]);
    expect(wildcard.stdout).not.toMatch(/IST0132|IST0130/);
    expect(wildcard.stdout).toContain("IST0101");
    const otherNamespace = await runMesh(["analyze", fixture("docs/shop.yaml"), "--suppress", "IST0101=VirtualService cart.default"]);
    expect(otherNamespace.stdout).toContain("IST0101");
    const unknown = await runMesh(["analyze", fixture("docs/shop.yaml"), "--suppress", "IST9999=VirtualService cart.shop"]);
    expect(unknown.stderr).toContain("'IST9999' is an unknown message code");
    const malformed = await runMesh(["analyze", fixture("docs/shop.yaml"), "--suppress", "IST0101"]);
    expect(malformed.exitCode).toBe(2);
    expect(malformed.stderr).toContain("not a valid suppression value");
  });

  it("--analyzer runs only the named analysers", async () => {
    const result = await runMesh(["analyze", fixture("docs/shop.yaml"), "--analyzer", "virtualservice.DestinationHostAnalyzer"]);
    expect(result.stdout).toContain("IST0101");
    expect(result.stdout).not.toMatch(/IST0132|IST0130/);
    const typo = await runMesh(["analyze", fixture("docs/shop.yaml"), "--analyzer", "virtualservice.GatewayAnalyser"]);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain("did you mean virtualservice.GatewayAnalyzer?");
  });

  it("finds nothing spurious in the bookinfo sample with its platform manifest", async () => {
    const result = await runMesh(["analyze", "-o", "json", fixture("bookinfo")]);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { findings: { code: string; file: string; line: number; column: number }[] };
    // IST0173: ratings and details have v2 subsets, and the platform manifest deploys no v2 of them (istioctl on a
    // cluster running it reports the same).
    expect(report.findings.map((finding) => finding.code)).toEqual(["IST0140", "IST0173", "IST0173"]);
    for (const finding of report.findings) expect(finding.line).toBeGreaterThan(0);
  });

  it("reports a rejected object as IST0106 and still analyses it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mesh-analyze-"));
    const file = join(dir, "broken.yaml");
    writeFileSync(
      file,
      [
        "apiVersion: networking.istio.io/v1",
        "kind: Gateway",
        "metadata: {name: gw, namespace: default}",
        "spec:",
        "  selector: {istio: ingressgateway}",
        "  servers:",
        "  - port: {number: eighty, name: http, protocol: HTTP}",
        "    hosts: [a.example.com]",
        "---",
        "apiVersion: networking.istio.io/v1",
        "kind: VirtualService",
        "metadata: {name: vs, namespace: default}",
        "spec:",
        "  hosts: [a.example.com]",
        "  gateways: [gw]",
        "  http:",
        "  - route:",
        "    - destination: {host: a}",
        "",
      ].join("\n"),
    );
    const result = await runMesh(["analyze", file]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/broken\.yaml:7:\d+: error IST0106 Schema validation error: /);
    expect(result.stdout).not.toContain("IST0101");
    expect(result.stdout).not.toContain("IST0132");
  });

  it("fails on warnings with --fail-on warning", async () => {
    expect((await runMesh(["analyze", "--fail-on", "warning", fixture("bookinfo")])).exitCode).toBe(1);
  });

  it("reads the mesh config from --meshconfig", async () => {
    const { dir, file } = writeRouteToHost("web", "cart.shop.svc.corp.internal");
    expect((await runMesh(["analyze", file])).stdout).toContain("IST0101");
    const withConfig = await runMesh(["analyze", "--meshconfig", fixture("docs/mesh.yaml"), file]);
    expect(withConfig.stdout).not.toContain("IST0101");
    expect(withConfig.exitCode).toBe(0);
    expect((await runMesh(["analyze", "--meshconfig", join(dir, "missing.yaml"), file])).exitCode).toBe(2);
  });

  it("exits 3 when --cluster cannot reach the cluster", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mesh-analyze-"));
    const kubeconfig = join(dir, "config");
    writeFileSync(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]",
        "users: [{name: u, user: {token: t}}]",
        "contexts: [{name: x, context: {cluster: c, user: u}}]",
        "current-context: x",
        "",
      ].join("\n"),
    );
    const result = await runMesh([
      "analyze",
      "--cluster",
      "--kubeconfig",
      kubeconfig,
      "--request-timeout",
      "2s",
      fixture("docs/shop.yaml"),
    ]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("keeps the analysers in validate as warnings, and --analyze=false skips them", async () => {
    const withAnalysis = await runMesh(["validate", fixture("docs/shop.yaml")]);
    expect(withAnalysis.stdout).toContain("warning IST0101");
    expect(withAnalysis.exitCode).toBe(0);
    const without = await runMesh(["validate", "--analyze=false", fixture("docs/shop.yaml")]);
    expect(without.stdout).not.toContain("IST0");
  });
});

/** Every `$ mesh …` example of docs/analyze.md runs and prints what the page shows. */
describe("docs/analyze.md examples", () => {
  const page = readFileSync(join(repoRoot, "docs/analyze.md"), "utf8");
  const examples = [...page.matchAll(/```console\n\$ mesh ([^\n]*)\n([\s\S]*?)```/g)].map((match) => ({
    args: match[1]!.split(/\s+/),
    output: match[2]!,
  }));

  it("has examples", () => expect(examples.length).toBeGreaterThan(0));

  it.each(examples.map((example) => [example.args.join(" "), example] as const))("mesh %s", async (_name, example) => {
    const result = await runMesh(example.args);
    expect(result.stdout.trimEnd()).toBe(example.output.trimEnd());
  });
});
