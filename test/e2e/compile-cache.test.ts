import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMesh } from "./run-mesh.js";

// bin/mesh.js runs the bundle through src/cli/bundle-loader.ts, which keeps V8's compiled code between runs.

const scratch = mkdtempSync(join(tmpdir(), "mesh-compile-cache-e2e-"));
const route = join(scratch, "route.yaml");
writeFileSync(route, "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  hostnames: [7]\n");

describe("the compiled-code cache of bin/mesh.js", () => {
  it("is written by a first run and gives the same report on the next", async () => {
    const cache = join(scratch, "cache");
    const env = { MESH_COMPILE_CACHE: cache };
    const first = await runMesh(["validate", route], { env });
    expect(readdirSync(cache).filter((entry) => entry.endsWith("-validate.v8cache"))).toHaveLength(1);
    const second = await runMesh(["validate", route], { env });
    expect(first.exitCode).toBe(1);
    expect(first.stdout).toContain("1 invalid");
    expect(second).toEqual(first);
  }, 60_000);

  it("is not written with MESH_COMPILE_CACHE=0 or under --verbose", async () => {
    const cache = join(scratch, "unused");
    await runMesh(["validate", route], { env: { MESH_COMPILE_CACHE: "0" } });
    await runMesh(["validate", "--verbose", route], { env: { MESH_COMPILE_CACHE: cache } });
    expect(existsSync(cache)).toBe(false);
  }, 60_000);

  it("exits once done when the cache directory cannot be created (/proc refuses it; Node's recursive mkdir spun there)", async () => {
    if (process.platform !== "linux") return;
    const result = await runMesh(["validate", route], { env: { MESH_COMPILE_CACHE: "/proc/mesh-compile-cache" }, timeout: 30_000 });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("1 invalid");
  }, 60_000);

  it("leaves the bundle an import() of @kubernetes/client-node, which runs kubeconfig exec plugins", async () => {
    const marker = join(scratch, "plugin-ran");
    const plugin = join(scratch, "plugin.cjs");
    writeFileSync(
      plugin,
      `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "yes");\n` +
        'process.stdout.write(JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: { token: "t" } }));\n',
    );
    const kubeconfig = join(scratch, "kubeconfig");
    writeFileSync(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]",
        `users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(plugin)}], interactiveMode: Never}}}]`,
        "contexts: [{name: x, context: {cluster: c, user: u}}]",
        "current-context: x",
        "",
      ].join("\n"),
    );
    const result = await runMesh(["status", "--kubeconfig", kubeconfig, "--request-timeout", "5s"]);
    expect(result.stderr).toContain("cannot reach the API server at https://127.0.0.1:1");
    expect(result.exitCode).toBe(3);
    expect(existsSync(marker)).toBe(true);
  }, 60_000);
});
