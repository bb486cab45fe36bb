// The Go programs of the conformance harnesses (chart-harness, injection-harness, yaml-harness) are built the same
// way: offline, in GOPATH mode against the sources Debian's golang-*-dev packages install in /usr/share/gocode
// (or MESH_HARNESS_GOPATH), and fed one JSON document of cases on standard input.
import { execa } from "execa";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export const harnessGopath = () => process.env.MESH_HARNESS_GOPATH ?? "/usr/share/gocode";

/** `go version`'s answer, or undefined when `go` is not on PATH. */
export async function goToolchainVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await execa("go", ["version"]);
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** Builds the Go program in `sourceDir` into a fresh temporary directory; returns the binary's path. */
export async function buildGoProgram(sourceDir: string, name: string): Promise<string> {
  if (!existsSync(path.join(sourceDir, "main.go"))) throw new Error(`harness sources missing in ${sourceDir}`);
  const binary = path.join(await mkdtemp(path.join(tmpdir(), `mesh-${name}-`)), name);
  await execa("go", ["build", "-o", binary, "."], {
    cwd: sourceDir,
    env: {
      GO111MODULE: "off",
      GOPATH: harnessGopath(),
      // Go's build cache is safe to share between concurrent builds; one per machine keeps rebuilds fast.
      GOCACHE: process.env.GOCACHE ?? path.join(tmpdir(), "mesh-harness-gocache"),
      GOFLAGS: "",
      GOPROXY: "off",
      GOTOOLCHAIN: "local",
    },
  });
  return binary;
}

/** Runs a harness binary on `{ cases }` and parses the JSON it prints. */
export async function runGoProgram<T>(binary: string, cases: unknown[], maxBuffer: number): Promise<T> {
  const { stdout } = await execa(binary, [], { input: JSON.stringify({ cases }), maxBuffer });
  return JSON.parse(stdout) as T;
}
