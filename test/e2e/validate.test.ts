import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { runMesh } from "./run-mesh.js";

const fixture = (name: string) => `test/fixtures/validate/e2e/${name}`;

describe("mesh validate", () => {
  it("accepts the bookinfo Gateway API and Istio samples with exit 0", async () => {
    const result = await runMesh(["validate", fixture("bookinfo-gateway-api.yaml"), fixture("bookinfo-istio.yaml")]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Summary: 4 objects in 2 files — 4 valid, 0 invalid");
  });

  it.each([
    ["v1.5.1", "standard"],
    ["v1.5.1", "experimental"],
    ["v1.2.1", "standard"],
    ["v1.2.1", "experimental"],
  ])("accepts Istio and Gateway API samples with Gateway API %s %s", async (version, channel) => {
    const result = await runMesh([
      "validate",
      "--gateway-api-version",
      version,
      "--channel",
      channel,
      fixture("samples-istio.yaml"),
      fixture("samples-gateway-api.yaml"),
    ]);
    expect(result.stdout).not.toMatch(/ error /);
    expect(result.exitCode).toBe(0);
  });

  it("accepts the tcp-echo TCPRoute only on the experimental channel", async () => {
    expect((await runMesh(["validate", "--channel", "experimental", fixture("samples-tcp-echo-experimental.yaml")])).exitCode).toBe(0);
    expect((await runMesh(["validate", fixture("samples-tcp-echo-experimental.yaml")])).exitCode).toBe(1);
  });

  it("tells exactly which field of a broken HTTPRoute to change, with its position", async () => {
    const result = await runMesh(["validate", fixture("broken-httproute.yaml")]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      `${fixture("broken-httproute.yaml")}:14:7: error CEL_RULE spec.rules[0].backendRefs[0]: Invalid value: "object": Must have port for Service reference (add \`port: <number>\` to this backendRef`,
    );
    expect(result.stdout).toContain("(HTTPRoute default/reviews)");
  });

  it("reads standard input when no file is given", async () => {
    const result = await runMesh(["validate"], { input: readFileSync(fixture("broken-httproute.yaml")) });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("<stdin>:14:7: error CEL_RULE");
  });

  it("prints one JSON value with -o json, whatever the verdict", async () => {
    const result = await runMesh(["validate", "-o", "json", fixture("broken-httproute.yaml")]);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(JSON.stringify(report)).toContain("spec.rules[0].backendRefs[0]");
  });

  it.each([
    ["junit", /<testsuites|<testsuite/],
    ["sarif", /"version": "2.1.0"/],
    ["github", /::error file=test\/fixtures\/validate\/e2e\/broken-httproute.yaml,line=14,col=7/],
  ])("prints -o %s", async (format, pattern) => {
    const result = await runMesh(["validate", "-o", format, fixture("broken-httproute.yaml")]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(pattern);
  });

  it("reports YAML syntax errors with exit 1", async () => {
    const result = await runMesh(["validate", fixture("syntax-error.yaml")]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/syntax-error.yaml:\d+:\d+: error yaml-syntax/);
  });

  it("warns about a VirtualService whose gateway is missing, and fails only with --fail-on warning", async () => {
    const lenient = await runMesh(["validate", fixture("dangling-virtualservice.yaml")]);
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stdout).toContain("warning IST0101");
    const strict = await runMesh(["validate", "--fail-on", "warning", fixture("dangling-virtualservice.yaml")]);
    expect(strict.exitCode).toBe(1);
  });

  it("counts analyser findings the same with --summary, and still places them in JSON with --summary", async () => {
    const file = fixture("dangling-virtualservice.yaml");
    const full = await runMesh(["validate", "--fail-on", "warning", file]);
    const summary = await runMesh(["validate", "--summary", "--fail-on", "warning", file]);
    expect(summary.exitCode).toBe(1);
    expect(summary.stdout.trimEnd()).toBe(full.stdout.trimEnd().split("\n").at(-1));
    expect(summary.stdout).toContain("2 warnings");
    const json = JSON.parse((await runMesh(["validate", "--summary", "-o", "json", file])).stdout);
    const placed = expect.objectContaining({ origin: "analyzer", file, line: 9, column: 5 });
    expect(json.findings).toEqual([placed, placed]);
  });

  it("validates custom resources against --crds", async () => {
    const ok = await runMesh(["validate", "--crds", "test/fixtures/validate/widgets-crd.yaml", "test/fixtures/validate/valid-widget.yaml"]);
    expect(ok.exitCode).toBe(0);
    const missing = await runMesh(["validate", "--strict", "test/fixtures/validate/valid-widget.yaml"]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toContain("NO_SCHEMA");
  });

  it("rejects a --crds CRD whose rule the API server estimates too expensive, with its message on the CRD", async () => {
    const crd = "test/fixtures/validate/gadgets-crd-costly.yaml";
    const result = await runMesh(["validate", "--crds", crd, crd]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /gadgets-crd-costly\.yaml:29:\d+.*spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\.spec\.properties\.tags\.x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x/,
    );
    // The CRD document is also an input: reported once, on the input.
    expect(result.stdout.match(/estimated rule cost exceeds budget/g)).toHaveLength(1);
    const onlyCrds = await runMesh(["validate", "--crds", crd, "test/fixtures/validate/valid-widget.yaml", "--skip", "Widget"]);
    expect(onlyCrds.exitCode).toBe(1);
    expect(onlyCrds.stdout).toContain("CustomResourceDefinition gadgets.test.mesh.dev");
  });

  it("rejects a CRD the API server would refuse: a pattern RE2 cannot compile, a rule that does not parse", async () => {
    const crd = readFileSync("test/fixtures/validate/widgets-crd.yaml", "utf8")
      .replace("enum: [small, medium, large]", "enum: [small, medium, large]\n                pattern: '^(?!huge)'")
      .replace(`"self.replicas <= self.maxReplicas"`, `"self.replicas <= "`);
    const directory = mkdtempSync(join(tmpdir(), "mesh-e2e-crd-"));
    writeFileSync(join(directory, "crd.yaml"), crd);
    for (const args of [
      [join(directory, "crd.yaml")],
      ["--crds", join(directory, "crd.yaml"), "test/fixtures/validate/valid-widget.yaml"],
    ]) {
      const result = await runMesh(["validate", ...args]);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toMatch(
        /error CRD_PATTERN .*properties\.size\.pattern: Invalid value: "\^\(\?!huge\)": must be a valid regular expression/,
      );
      expect(result.stdout).toMatch(
        /error CEL_COMPILE .*x-kubernetes-validations\[0\]\.rule: Invalid value: "self\.replicas <= ": compilation failed/,
      );
    }
  });

  it("rejects a CRD whose rule does not type-check, as the API server's CEL compiler does", async () => {
    const crd = readFileSync("test/fixtures/validate/widgets-crd.yaml", "utf8").replace(
      `"self.replicas <= self.maxReplicas"`,
      `"self.replicas <= 'ten'"`,
    );
    const directory = mkdtempSync(join(tmpdir(), "mesh-e2e-crd-"));
    writeFileSync(join(directory, "crd.yaml"), crd);
    const result = await runMesh(["validate", join(directory, "crd.yaml")]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /crd\.yaml:35:\d+: error CEL_COMPILE .*x-kubernetes-validations\[0\]\.rule: Invalid value: "self\.replicas <= 'ten'": compilation failed: found no matching overload for '_<=_' applied to '\(int, string\)'/,
    );
    const unchanged = await runMesh(["validate", "test/fixtures/validate/widgets-crd.yaml"]);
    expect(unchanged.exitCode).toBe(0);
  });

  it("downloads --crds from a loopback URL", async () => {
    const crd = readFileSync("test/fixtures/validate/widgets-crd.yaml");
    const server = createServer((request, response) => {
      if (request.url === "/widgets.yaml") response.end(crd);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const ok = await runMesh(["validate", "--crds", `http://127.0.0.1:${port}/widgets.yaml`, "test/fixtures/validate/valid-widget.yaml"]);
      expect(ok.stderr).toBe("");
      expect(ok.exitCode).toBe(0);
      const missing = await runMesh([
        "validate",
        "--crds",
        `http://127.0.0.1:${port}/nothing.yaml`,
        "test/fixtures/validate/valid-widget.yaml",
      ]);
      expect(missing.exitCode).toBe(2);
      expect(missing.stderr).toContain("HTTP 404");
    } finally {
      server.close();
    }
  });

  it("refuses a plain-HTTP --crds URL to a remote host with exit 2", async () => {
    const result = await runMesh(["validate", "--crds", "http://example.com/crds.yaml", fixture("bookinfo-istio.yaml")]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("only https:// URLs");
  });

  it("exits 2 for a missing file and for a bad flag value", async () => {
    expect((await runMesh(["validate", "nope.yaml"])).exitCode).toBe(2);
    expect((await runMesh(["validate", "--channel", "beta", fixture("bookinfo-istio.yaml")])).exitCode).toBe(2);
  });

  it("knows which channel serves a kind", async () => {
    const tcpRoute =
      "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata:\n  name: t\nspec:\n  parentRefs:\n  - name: g\n  rules:\n  - backendRefs:\n    - name: db\n      port: 5432\n";
    const standard = await runMesh(["validate", "-"], { input: tcpRoute });
    expect(standard.exitCode).toBe(1);
    expect(standard.stdout).toContain("exists in Gateway API v1.2.1 experimental, v1.5.1 experimental");
    const experimental = await runMesh(["validate", "--channel", "experimental", "-"], { input: tcpRoute });
    expect(experimental.exitCode).toBe(0);
  });
});
