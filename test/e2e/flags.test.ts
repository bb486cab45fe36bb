import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./kube-helpers.js";
import { runMesh } from "./run-mesh.js";

// One flag vocabulary across commands: the same flag means the same thing, is accepted where it applies and
// refused clearly where it does not.

const dir = mkdtempSync(join(tmpdir(), "mesh-flags-"));
const route = join(dir, "route.yaml");
writeFileSync(
  route,
  "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  parentRefs:\n  - name: gw\n",
);
const istio = join(dir, "istio.yaml");
writeFileSync(
  istio,
  "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n  namespace: default\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ['*']\n",
);

const clusterCommands = [
  ["install"],
  ["uninstall"],
  ["verify-install"],
  ["status"],
  ["gateway-api", "install"],
  ["gateway-api", "status"],
  ["gateway-api", "uninstall"],
];

describe("cluster flags", () => {
  it.each(clusterCommands)("mesh %s %s takes --timeout and --request-timeout and lists --kubeconfig and --context", async (...command) => {
    const help = await runMesh([...command.filter(Boolean), "--help"]);
    expect(help.exitCode).toBe(0);
    for (const flag of ["--timeout <duration>", "--request-timeout <duration>", "--kubeconfig <path>", "--context <name>"])
      expect(help.stdout).toContain(flag);
  });

  describe("--timeout against an API server that never answers", () => {
    let server: Server;
    const sockets: Socket[] = [];
    let kubeconfig = "";
    beforeAll(async () => {
      server = createServer((socket) => void sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      kubeconfig = join(dir, "silent-kubeconfig");
      writeFileSync(
        kubeconfig,
        `apiVersion: v1\nkind: Config\ncurrent-context: silent\nclusters:\n- name: silent\n  cluster:\n    server: https://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\nusers:\n- name: silent\n  user:\n    token: t\ncontexts:\n- name: silent\n  context: {cluster: silent, user: silent}\n`,
      );
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it.each([["status"], ["verify-install"], ["gateway-api", "status"]])(
      "mesh %s %s gives up with exit 3 and says why",
      async (...command) => {
        const result = await runMesh([...command.filter(Boolean), "--timeout", "1s", "--request-timeout", "10m"], {
          env: { KUBECONFIG: kubeconfig },
        });
        expect(result.stderr).toContain("Error: stopped after 1s (--timeout 1s): the cluster work did not finish in time");
        expect(result.exitCode).toBe(3);
      },
    );

    it("mesh analyze --cluster takes --timeout as istioctl analyze does", async () => {
      const result = await runMesh(["analyze", "--cluster", istio, "--timeout", "1s", "--request-timeout", "10m"], {
        env: { KUBECONFIG: kubeconfig },
      });
      expect(result.stderr).toContain("Error: stopped after 1s (--timeout 1s): the cluster work did not finish in time");
      expect(result.exitCode).toBe(3);
    });
  });
});

describe("Gateway API channel and version", () => {
  it("convert takes --channel experimental, and --experimental still works (hidden)", async () => {
    const channel = await runMesh(["convert", "gateway-to-httproute", istio, "--channel", "experimental"]);
    expect(channel.exitCode).toBe(0);
    const alias = await runMesh(["convert", "gateway-to-httproute", istio, "--experimental"]);
    expect(alias.stdout).toBe(channel.stdout);
    expect((await runMesh(["convert", "--help"])).stdout).not.toContain("--experimental");
    const bad = await runMesh(["convert", "gateway-to-httproute", istio, "--channel", "beta"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('invalid value "beta" for --channel: allowed choices are standard, experimental');
  });

  it.each([
    ["validate", route],
    ["convert", "gateway-to-httproute", istio],
  ])("mesh %s accepts --gateway-api-version with and without the v", async (...command) => {
    const withV = await runMesh([...command, "--gateway-api-version", "v1.2.1"]);
    const without = await runMesh([...command, "--gateway-api-version", "1.2.1"]);
    expect(without.exitCode).toBe(0);
    expect(without.stdout).toBe(withV.stdout);
  });

  it("gateway-api install --version accepts 1.5.1 like v1.5.1", async () => {
    const result = await runMesh(["gateway-api", "install", "--version", "9.9.9"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Gateway API v9.9.9 is not a version mesh supports");
  });
});

describe("-o/--output", () => {
  it("profile list and profile diff print JSON and YAML", async () => {
    const list = await runMesh(["profile", "list", "-o", "json"]);
    expect(JSON.parse(list.stdout).profiles).toContainEqual({ name: "demo" });
    expect((await runMesh(["profile", "list", "-o", "yaml"])).stdout).toContain("- name: demo");
    const diff = await runMesh(["profile", "diff", "default", "demo", "-o", "json"]);
    expect(diff.exitCode).toBe(0);
    expect(diff.stdout).toContain('   "apiVersion": "install.istio.io/v1alpha1",');
  });

  it("is refused clearly by a command that prints no data", async () => {
    const result = await runMesh(["completion", "bash", "-o", "json"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      "Error: mesh completion prints no data, so -o/--output does not apply\nleave out -o json; run 'mesh completion --help' for its flags",
    );
  });

  it("manifest generate -o DIR points at --output-dir", async () => {
    const result = await runMesh(["manifest", "generate", "-o", dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`to write files into a directory use --output-dir ${dir}`);
  });

  describe("against a cluster", () => {
    let cluster: TestCluster;
    beforeAll(async () => {
      cluster = await startTestCluster({ deploymentReadyAfterReads: 0 });
    });
    afterAll(() => cluster.stop());

    it("status -o yaml, uninstall -o json", async () => {
      const gateways = ["--set", "components.base.enabled=false", "--set", "components.pilot.enabled=false"];
      expect((await cluster.mesh(["install", "-y", ...gateways])).exitCode).toBe(0);
      const status = await cluster.mesh(["status", "-o", "yaml"]);
      expect(status.exitCode).toBe(0);
      expect(status.stdout).toMatch(/^components:\n/);
      const uninstall = await cluster.mesh(["uninstall", "--purge", "-y", "-o", "json"]);
      expect(uninstall.exitCode).toBe(0);
      expect(JSON.parse(uninstall.stdout).objects.length).toBeGreaterThan(0);
    });
  });
});

describe("help and usage errors", () => {
  it("subcommand help shows the global flags that apply to it", async () => {
    const status = (await runMesh(["status", "--help"])).stdout;
    expect(status).toContain("Global Options:");
    expect(status).toMatch(/--kubeconfig <path>[\s\S]*-o, --output <format>/);
    const list = (await runMesh(["profile", "list", "--help"])).stdout;
    expect(list).toContain("-o, --output <format>");
    expect(list).not.toContain("--kubeconfig");
    expect((await runMesh(["completion", "--help"])).stdout).not.toContain("--output");
  });

  it.each([
    [
      ["validate", "--chanel", "experimental"],
      "Error: unknown option '--chanel' (did you mean --channel?); run 'mesh validate --help' for usage",
    ],
    [["profile", "lst"], "Error: unknown command 'lst' (did you mean list?); run 'mesh profile --help' for usage"],
    [["gateway-api", "instal"], "Error: unknown command 'instal' (did you mean install?); run 'mesh gateway-api --help' for usage"],
    [
      ["manifest", "generate", "--sett", "a=b"],
      "Error: unknown option '--sett' (did you mean --set?); run 'mesh manifest generate --help' for usage",
    ],
  ])("%j gets a did-you-mean and the subcommand's help", async (args, message) => {
    const result = await runMesh(args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(message);
  });

  it("messages have no doubled punctuation", async () => {
    const runs = await Promise.all(
      [
        ["validate", "--channel", "x"],
        ["validate", "--gateway-api-version", "9"],
        ["completion"],
        ["profile", "diff", "a"],
        ["version", "-o", "xml"],
        ["convert", "--to", "x"],
      ].map((args) => runMesh(args)),
    );
    for (const run of runs) {
      expect(run.exitCode).toBe(2);
      expect(run.stderr).not.toMatch(/\.\.|\.;|;;|\?\.|\.\)|,,/);
    }
  });

  it('-r 130 is the revision "130", and errors name -r/--revision rather than a --set the user did not type', async () => {
    const numeric = await runMesh(["manifest", "generate", "-r", "130", "--component", "istiod"]);
    expect(numeric.exitCode).toBe(0);
    expect(numeric.stdout).toContain('istio.io/rev: "130"');
    const invalid = await runMesh(["manifest", "generate", "-r", "Canary"]);
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stderr).toContain("(from -r/--revision Canary)");
    expect(invalid.stderr).not.toContain("--set");
  });
});
