import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { meshBin, repoRoot, runMesh } from "./run-mesh.js";

const input = (name: string) => path.join("test", "fixtures", "convert", "input", name);
const golden = (name: string) => path.join("test", "fixtures", "convert", "output", name);

describe("mesh convert", () => {
  it("converts Istio to Gateway API on stdout, findings and a summary on stderr, exit 0", async () => {
    const result = await runMesh(["convert", "gateway-to-httproute", "-f", input("canary.yaml")]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("kind: HTTPRoute");
    expect(result.stdout).toContain("gateway.networking.k8s.io/generator: mesh-");
    expect(result.stderr).toMatch(/Converted 3 objects: 0 errors, 0 warnings, \d+ notes \(-v shows notes\)/);
  });

  it("writes the same bytes every run (deterministic order)", async () => {
    const args = [
      "convert",
      "gateway-to-httproute",
      "-f",
      input("gateway-servers.yaml"),
      "-f",
      input("http-features.yaml"),
      "--profile",
      "compat",
    ];
    const [first, second] = await Promise.all([runMesh(args), runMesh(args)]);
    expect(first.stdout).toBe(second.stdout);
  });

  it("prints notes with -v, each with file:line:col, code and field path", async () => {
    const result = await runMesh(["convert", "gateway-to-httproute", input("bookinfo.yaml"), "-v"]);
    expect(result.stderr).toContain(`${input("bookinfo.yaml")}:65:9: error CONV303`);
    expect(result.stderr).toMatch(/info CONV102 .*\(Gateway bookinfo\/bookinfo-gateway spec\.selector\)/);
  });

  it("exits 1 when something could not be converted, and still writes the output", async () => {
    const result = await runMesh(["convert", "gateway-to-httproute", "-f", input("gateway-servers.yaml")]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("kind: Gateway");
    expect(result.stderr).toMatch(/error CONV104 server protocol "UDP"/);
  });

  it("puts objects and findings in one JSON envelope with -o json", async () => {
    const result = await runMesh(["convert", "gateway-to-httproute", "-o", "json", "-f", input("tls-passthrough.yaml")]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe("");
    const envelope = JSON.parse(result.stdout);
    expect(envelope).toMatchObject({ apiVersion: "v1", kind: "List" });
    expect(envelope.items.map((item: { kind: string }) => item.kind)).toEqual(["Gateway", "TLSRoute", "TLSRoute", "ReferenceGrant"]);
    // The match port (443) is carried as the parentRef port.
    expect(envelope.items[1].spec.parentRefs[0].port).toBe(443);
    expect(
      envelope.findings.some(
        (finding: { code: string; path?: string }) => finding.code === "CONV202" && finding.path === "spec.gateways[0]",
      ),
    ).toBe(true);
  });

  it("reads stdin with -f -", async () => {
    const result = await runMesh(["convert", "gateway-to-httproute", "-f", "-"], {
      input: readFileSync(path.join(repoRoot, input("tcp.yaml")), "utf8"),
    });
    expect(result.exitCode).toBe(0);
    const version = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).version;
    const expected = readFileSync(path.join(repoRoot, golden("tcp.full.yaml")), "utf8").replaceAll("mesh-golden", `mesh-${version}`);
    // execa strips the final newline of stdout.
    expect(result.stdout).toBe(expected.trimEnd());
  });

  it("converts back to Istio with httproute-to-virtualservice and with --to istio", async () => {
    const named = await runMesh(["convert", "httproute-to-virtualservice", "-f", golden("canary.full.yaml")]);
    const flag = await runMesh(["convert", "--to", "istio", golden("canary.full.yaml")]);
    expect(named.exitCode).toBe(0);
    expect(named.stdout).toContain("kind: VirtualService");
    // istiod keeps the https-redirect HTTPRoute a redirect on the HTTP listener's own Istio Gateway.
    expect(named.stdout).toContain("scheme: https");
    expect(flag.stdout).toBe(named.stdout);
  });

  it("keeps only the -n namespace", async () => {
    const result = await runMesh(["convert", "gateway-to-httproute", "-n", "team-b", "-f", input("cross-namespace.yaml"), "-v"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("name: backend");
    expect(result.stdout).not.toContain("name: frontend");
    expect(result.stderr).toContain('outside namespace "team-b"');
  });

  it("writes one file per object with --output-dir", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "mesh-convert-"));
    const result = await runMesh(["convert", "gateway-to-httproute", "-f", input("cross-namespace.yaml"), "--output-dir", directory]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("");
    expect(readdirSync(directory).sort()).toEqual(["infra", "team-a", "team-b"]);
    expect(readdirSync(path.join(directory, "team-b")).sort()).toEqual([
      "httproute-backend.yaml",
      "referencegrant-generated-reference-grant-from-team-a-to-team-b.yaml",
    ]);
  });

  it("reports nothing to convert with exit 0 and empty stdout", async () => {
    const result = await runMesh(["convert", "gateway-to-httproute", "-f", "-", "-v"], {
      input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("CONV003");
    expect(result.stderr).toContain("CONV001");
  });

  it.each([
    [["convert", "gateway-to-httproute", "-f", "-"], "a: [unclosed\n", /cannot read the input/],
    [["convert", "gateway-to-httproute", "-f", "missing.yaml"], undefined, /missing\.yaml: no such file/],
    [["convert", "gateway-to-httproute"], undefined, /no input given/],
    [["convert", "--profile", "lossy", "-f", "x"], undefined, /lossy/],
    [
      ["convert", "--gateway-api-version", "v1.3.0", "-f", input("tcp.yaml")],
      undefined,
      /invalid value "v1.3.0" for --gateway-api-version: use one of v1.2.1, v1.5.1/,
    ],
    [["convert", "-o", "table", "-f", input("tcp.yaml")], undefined, /unknown output format "table"/],
    [
      ["convert", "gateway-to-httproutes", input("tcp.yaml")],
      undefined,
      /unknown conversion direction "gateway-to-httproutes" \(did you mean "gateway-to-httproute"\?\)/,
    ],
  ])("exits 2 on usage and input errors: %j", async (args, stdin, message) => {
    const result = await runMesh(args, stdin === undefined ? {} : { input: stdin });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
  });

  it("converts networking together with its Services and DestinationRules (docs/convert.md example): exit 0, per-subset Services", async () => {
    const storefront = (file: string) => path.join("test", "fixtures", "convert", "storefront", file);
    const args = ["convert", "gateway-to-httproute", "-f", storefront("networking.yaml"), "-f", storefront("platform.yaml")];
    const together = await runMesh([...args, "-f", storefront("destination-rules.yaml")]);
    expect(together.exitCode).toBe(0);
    expect(together.stdout).toContain("name: catalog-v2");
    const withoutRules = await runMesh(args);
    expect(withoutRules.exitCode).toBe(1);
    expect(withoutRules.stderr).toContain('add a DestinationRule for host catalog.shop.svc.cluster.local that defines subset "v2"');
  });

  it.each([
    ["gateway-to-httproute", "subset-beside-destination.yaml", ":27:7: error CONV005/SCHEMA_UNKNOWN_FIELD", "spec.http[0].route[0].subset"],
    ["httproute-to-virtualservice", "httproute-typo.yaml", ":18:7: error CONV005/SCHEMA_UNKNOWN_FIELD", 'did you mean "headers"?'],
  ])("%s: an input the API server refuses exits 1 with its place and the fix (%s)", async (direction, file, where, detail) => {
    const fixture = path.join("test", "fixtures", "convert", "invalid-input", file);
    const result = await runMesh(["convert", direction, "-f", fixture]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${fixture}${where}`);
    expect(result.stderr).toContain(detail);
    expect(result.stderr).toContain("fix the input; `mesh validate FILE` shows every problem");
    const validated = await runMesh(["validate", fixture]);
    expect(validated.exitCode).toBe(1);
    expect(validated.stderr + validated.stdout).toContain(`${fixture}${where.replace("CONV005/", "")}`);
  });

  it("never loads the Kubernetes cluster client", async () => {
    const hook = path.join(repoRoot, "test", "fixtures", "convert", "deny-cluster-client.mjs");
    const result = await execa(
      process.execPath,
      ["--import", hook, meshBin, "convert", "gateway-to-httproute", "-f", input("canary.yaml")],
      { cwd: repoRoot, reject: false },
    );
    expect(result.stderr).not.toContain("cluster client");
    expect(result.exitCode).toBe(0);
  });
});
