import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { meshBin, runMesh } from "./run-mesh.js";

const hasPython = spawnSync("python3", ["--version"]).status === 0;

describe("mesh CLI shell", () => {
  it("lists its commands in --help and exits 0", async () => {
    const result = await runMesh(["--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("version");
    expect(result.stdout).toContain("completion");
    expect(result.stdout).toContain("Exit codes: 0 ok, 1 findings");
  });

  it("prints its bare version for --version", async () => {
    const result = await runMesh(["--version"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("prints version information as JSON with -o json", async () => {
    const result = await runMesh(["version", "-o", "json"]);
    expect(result.exitCode).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(info.istioVersion).toBe("1.30.3");
    expect(info.gatewayAPIVersion).toBe("v1.5.1");
    expect(info.clientVersion.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("accepts global flags before the command", async () => {
    const result = await runMesh(["-o", "yaml", "version"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("istioVersion: 1.30.3");
  });

  it("rejects an unknown command with exit 2 and one line naming it", async () => {
    const result = await runMesh(["bogus"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain('unknown command "bogus"');
    expect(result.stdout).toBe("");
  });

  it("suggests the closest command for a typo", async () => {
    const result = await runMesh(["verison"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('did you mean "version"');
  });

  it("prints no stack trace for a user's mistake, even under --verbose or MESH_DEBUG=1", async () => {
    for (const [args, env] of [
      [["validate", "--verbose", "no-such-file.yaml"], {}],
      [["validate", "no-such-file.yaml"], { MESH_DEBUG: "1" }],
    ] as const) {
      const result = await runMesh([...args], { env });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain("no-such-file.yaml: no such file or directory");
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it("rejects an unknown flag with exit 2 and one line", async () => {
    const result = await runMesh(["version", "--bogus"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("--bogus");
  });

  it("rejects an unknown output format with exit 2 and a hint", async () => {
    const result = await runMesh(["version", "-o", "xml"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unknown output format "xml"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each(["bash", "zsh", "fish"])("prints a %s completion script that calls back into mesh", async (shell) => {
    const result = await runMesh(["completion", shell]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("__complete");
  });

  it("completes through the hidden __complete command: candidates, then the directive", async () => {
    const commands = await runMesh(["__complete", "ver"]);
    expect(commands.exitCode).toBe(0);
    expect(commands.stdout.split("\n").map((line) => line.split("\t")[0])).toEqual(["verify-install", "version", ":2"]);
    const files = await runMesh(["__complete", "validate", ""]);
    expect(files.stdout).toBe(":4");
    const dirs = await runMesh(["__complete", "manifest", "generate", "--output-dir", ""]);
    expect(dirs.stdout).toBe(":8");
    const sets = await runMesh(["__complete", "install", "--set", "re"]);
    expect(sets.stdout).toBe("revision=\n:3");
    const help = await runMesh(["--help"]);
    expect(help.stdout).not.toContain("__complete");
  });

  it("refuses an unsupported shell", async () => {
    const result = await runMesh(["completion", "powershell"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unsupported shell "powershell"');
  });

  it("stops quietly when its output pipe is closed (mesh … | head)", async () => {
    const child = spawn(process.execPath, [meshBin, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // the reader goes away before mesh writes, as `head` does after its first lines
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const [exitCode] = (await once(child, "close")) as [number];
    expect(stderr).not.toContain("EPIPE");
    expect(exitCode).toBe(0);
  });

  // mesh writes to a pipe or file with write(2) (src/cli/fd-output.ts). A parent may hand over a non-blocking pipe;
  // while its reader waits, write(2) says EAGAIN and Node's stream must take the rest, in order.
  it.skipIf(!hasPython)("prints all of a large output to a non-blocking pipe whose reader is slow", async () => {
    const expected = await runMesh(["manifest", "generate", "--set", "profile=demo"]);
    expect(expected.exitCode).toBe(0);
    expect(expected.stdout.length).toBeGreaterThan(256 * 1024);
    const nonBlocking = "import os, sys; os.set_blocking(1, False); os.execv(sys.argv[1], sys.argv[1:])";
    const child = spawn("python3", ["-c", nonBlocking, process.execPath, meshBin, "manifest", "generate", "--set", "profile=demo"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    child.stdout.pause(); // the pipe fills up before anything is read
    await new Promise((resolve) => setTimeout(resolve, 500));
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stdout.resume();
    const [exitCode] = (await once(child, "close")) as [number];
    expect(exitCode).toBe(0);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(expected.stdout + "\n");
  });
});
