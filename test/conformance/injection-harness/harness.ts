// Builds and runs the Go harness (main.go, types.go, funcs.go next to this file) that executes injection
// templates with Go's text/template + sprig, as istiod does. The build needs only Debian's packages:
//   apt-get install -y golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev
// and works offline in GOPATH mode against /usr/share/gocode (where those packages install their sources).
import { execa } from "execa";
import { mkdtemp } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const harnessDir = path.dirname(fileURLToPath(import.meta.url));

export interface HarnessCase {
  id: string;
  template: string;
  context: "pod" | "gateway" | "parse-only";
  data?: unknown;
}

export interface HarnessResult {
  id: string;
  stage: "ok" | "parse" | "data" | "execute" | "yaml";
  error?: string;
  text?: string;
  documents?: Record<string, unknown>[];
}

export async function goToolchainVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await execa("go", ["version"]);
    return stdout.trim();
  } catch {
    return undefined;
  }
}

// Go's build cache is safe to share between concurrent builds; one per machine keeps rebuilds fast.
function goEnvironment(): Record<string, string> {
  const gopath = process.env.MESH_HARNESS_GOPATH ?? "/usr/share/gocode";
  return {
    GO111MODULE: "off",
    GOPATH: gopath,
    GOCACHE: process.env.GOCACHE ?? path.join(tmpdir(), "mesh-injection-gocache"),
    GOFLAGS: "",
    GOPROXY: "off",
    GOTOOLCHAIN: "local",
  };
}

export async function buildHarness(): Promise<string> {
  const workDir = await mkdtemp(path.join(tmpdir(), "mesh-injection-harness-"));
  const binary = path.join(workDir, "injection-harness");
  if (!existsSync(path.join(harnessDir, "main.go"))) throw new Error(`harness sources missing in ${harnessDir}`);
  await execa("go", ["build", "-o", binary, "."], {
    cwd: harnessDir,
    env: goEnvironment(),
  });
  return binary;
}

export async function runHarness(binary: string, cases: HarnessCase[]): Promise<Map<string, HarnessResult>> {
  const { stdout } = await execa(binary, [], { input: JSON.stringify({ cases }), maxBuffer: 256 * 1024 * 1024 });
  const results = JSON.parse(stdout) as HarnessResult[];
  return new Map(results.map((r) => [r.id, r]));
}
