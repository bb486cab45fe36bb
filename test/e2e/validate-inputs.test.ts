// `mesh validate` as a CI step: how it finds, filters and reads its inputs (issue 11 "CI ergonomics",
// issue 14 "bounded input"), through bin/mesh.js.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMesh } from "./run-mesh.js";
import { writeEndlessBody } from "../support/endless-body.js";

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const gateway = (name: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\nspec:\n  gatewayClassName: istio\n  listeners:\n  - name: http\n    port: 80\n    protocol: HTTP\n`;

let repo = "";
const at = (...parts: string[]) => path.join(repo, ...parts);
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(at(file)), { recursive: true });
  writeFileSync(at(file), text);
};
const mesh = (args: string[], options: Parameters<typeof runMesh>[1] = {}) => runMesh(args, { cwd: repo, ...options });

/** What must never reach a user, whatever the input. */
function expectNoCrash(result: { stdout: string; stderr: string }) {
  expect(result.stderr).not.toMatch(/internal error|Maximum call stack|heap out of memory/i);
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), "mesh-ci-"));
  write("deploy/gateway.yaml", gateway("web"));
  write("deploy/base/config.yaml", configMap("base"));
  write("deploy/broken.tmpl.yaml", gateway("Broken_Name"));
  write("walk/app/gateway.yaml", gateway("web"));
  write("walk/node_modules/pkg/broken.yaml", gateway("Broken_Name"));
  write("walk/.config/broken.yaml", gateway("Broken_Name"));
  write("walk/.github/workflows/ci.yaml", "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n");
  write(".github/workflows/ci.yaml", "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n");
  write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  write("chart/values.yaml", "replicaCount: 2\nimage:\n  tag: latest\n");
  write(
    "chart/templates/deployment.yaml",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n",
  );
  write("overlay/kustomization.yaml", "resources:\n- ../deploy\n");
  write("comments-only.yaml", "# nothing here\n---\n# nor here\n");
  mkdirSync(at("empty"));
  mkdirSync(at("links"));
  symlinkSync(at("deploy"), at("links", "deploy"));
  symlinkSync(at("links"), at("links", "loop"));
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("mesh validate in CI: choosing the inputs", () => {
  it("takes files with -f/--filename (repeatable) as well as positional paths", async () => {
    const result = await mesh(["validate", "-f", "deploy/gateway.yaml", "--filename", "deploy/base/config.yaml", "deploy/gateway.yaml"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/\b2 files\b/);
  });

  it("skips node_modules and dot-directories when walking a directory", async () => {
    const result = await mesh(["validate", "walk"]);
    expectNoCrash(result);
    expect(result.stdout).not.toContain("node_modules");
    expect(result.stdout).not.toContain(".github");
    expect(result.stdout).not.toContain("Broken_Name");
    expect(result.stdout).toMatch(/\b1 file\b/);
    expect(result.exitCode).toBe(0);
  });

  it("leaves out what --exclude and --ignore-filename-pattern match, and a pattern matching nothing is fine", async () => {
    const broken = await mesh(["validate", "deploy"]);
    expect(broken.exitCode).toBe(1);
    expect(broken.stdout).toContain("broken.tmpl.yaml");
    for (const filter of [
      ["--exclude", "*.tmpl.yaml", "--exclude", "no/such/**"],
      ["--ignore-filename-pattern", "\\.tmpl\\.yaml$", "--ignore-filename-pattern", "^nothing$"],
    ]) {
      const result = await mesh(["validate", "deploy", ...filter]);
      expect(result.stdout).not.toContain("broken.tmpl.yaml");
      expect(result.exitCode).toBe(0);
    }
  });

  it("refuses an invalid --ignore-filename-pattern as a usage error", async () => {
    const result = await mesh(["validate", "deploy", "--ignore-filename-pattern", "("]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--ignore-filename-pattern (");
  });

  it("follows symbolic links to directories and reports a link loop once", async () => {
    const result = await mesh(["validate", "links", "--exclude", "*.tmpl.yaml"]);
    expectNoCrash(result);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/\b2 files\b/);
    expect(result.stdout.match(/symlink-loop/g)).toHaveLength(1);
  });
});

describe("mesh validate in CI: files that are no manifests", () => {
  it("gives a Helm template one clear error: render it first", async () => {
    const result = await mesh(["validate", "chart/templates/deployment.yaml"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.match(/ error /g)).toHaveLength(1);
    expect(result.stdout).toContain("helm-template");
    expect(result.stdout).toContain("helm template <chart> | mesh validate -");
  });

  it("reads what helm template renders, from standard input", async () => {
    const result = await mesh(["validate", "-"], { input: configMap("rendered") });
    expect(result.exitCode).toBe(0);
  });

  it.each([
    ["chart/values.yaml", "Helm chart values"],
    ["chart/Chart.yaml", "a Helm chart's Chart.yaml"],
    [".github/workflows/ci.yaml", "a GitHub Actions workflow"],
    ["overlay/kustomization.yaml", "kubectl kustomize overlay | mesh validate -"],
  ])("names what %s looks like, in one finding", async (file, what) => {
    const result = await mesh(["validate", file]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.match(/ error /g)).toHaveLength(1);
    expect(result.stdout).toContain("not-kubernetes");
    expect(result.stdout).toContain(what);
  });
});

describe("mesh validate in CI: nothing to validate exits 2", () => {
  it.each([
    ["empty standard input", ["validate"], ""],
    ["empty standard input given as -", ["validate", "-"], ""],
    ["an empty directory", ["validate", "empty"], undefined],
    ["a file with only comments", ["validate", "comments-only.yaml"], undefined],
    ["a directory whose files are all excluded", ["validate", "deploy", "--exclude", "deploy/**"], undefined],
  ])("%s", async (_name, args, input) => {
    const result = await mesh(args, input === undefined ? {} : { input });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("nothing to validate");
  });

  it("a glob that matches no file", async () => {
    const result = await mesh(["validate", "nowhere/*.yaml"]);
    expect(result.exitCode).toBe(2);
  });
});

describe("mesh validate: hostile inputs end with an exit code, never a crash", () => {
  let server: Server;
  let base = "";

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.writeHead(200);
      writeEndlessBody(response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    write("many.yaml", `${configMap("x")}---\n`.repeat(130_000));
    write(
      "hosts.yaml",
      `${gateway("g")}---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts:\n${"  - reviews.example.com\n".repeat(1000)}  http:\n  - route:\n    - destination: {host: r}\n`,
    );
    write("deep.yaml", `a: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`);
    write(
      "bomb.yaml",
      [
        "a: &a [x, x, x, x, x, x, x, x, x, x]",
        ...Array.from(
          { length: 8 },
          (_, i) =>
            `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
              .fill(`*${String.fromCharCode(97 + i)}`)
              .join(", ")}]`,
        ),
      ].join("\n") + "\n",
    );
    write("long-key.yaml", `${"k".repeat(1100)}: v\n`);
    write("alias.yaml", "a: *undefined\n");
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ["130,000 documents in one file", ["validate", "--summary", "many.yaml"], 0, ""],
    ["a VirtualService repeating one host 1,000 times", ["validate", "--summary", "hosts.yaml"], 1, ""],
    ["50,000 nested flow sequences", ["validate", "deep.yaml"], 1, "depth-limit"],
    ["a billion-laughs alias bomb", ["validate", "bomb.yaml"], 1, "alias-limit"],
    ["a 1,100-character key", ["validate", "long-key.yaml"], 1, "yaml-syntax"],
    ["an undefined alias", ["validate", "alias.yaml"], 1, "unknown anchor 'undefined'"],
    ["/dev/zero", ["validate", "/dev/zero"], 1, "input-too-large"],
  ])(
    "%s",
    async (_name, args, exitCode, text) => {
      const result = await mesh(args, { timeout: 110_000 });
      expectNoCrash(result);
      expect(result.exitCode).toBe(exitCode);
      expect(result.stdout).toContain(text);
    },
    120_000,
  );

  it("an endless standard input (yes 'a: b' | mesh validate -)", async () => {
    const endless = new Readable({
      read() {
        this.push("a: b\n".repeat(10_000));
      },
    });
    const result = await mesh(["validate", "-"], { input: endless });
    endless.destroy();
    expectNoCrash(result);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("input-too-large");
  });

  it("a FIFO fed forever", async () => {
    const fifo = at("endless.yaml");
    execFileSync("mkfifo", [fifo]);
    const writer = spawn("sh", ["-c", `yes 'a: b' > '${fifo}'`], { stdio: "ignore" });
    try {
      const result = await mesh(["validate", fifo]);
      expectNoCrash(result);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toContain("input-too-large");
    } finally {
      writer.kill();
      rmSync(fifo, { force: true });
    }
  });

  it("a --crds URL whose body never ends", async () => {
    const result = await mesh(["validate", "--crds", `${base}/crds.yaml`, "deploy/gateway.yaml"]);
    expectNoCrash(result);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`--crds ${base}/crds.yaml: larger than 32 MiB`);
  });
});
