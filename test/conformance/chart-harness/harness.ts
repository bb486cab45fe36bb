// Builds and runs the Go chart renderer next to this file (main.go, engine.go, funcs.go): Istio's Helm charts
// rendered with Go's text/template + sprig and the functions Helm adds, the way istioctl's embedded Helm does.
// Needs only Debian's packages, offline, in GOPATH mode against /usr/share/gocode:
//   apt-get install -y golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev golang-k8s-sigs-yaml-dev
import { execa } from "execa";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const harnessDir = path.dirname(fileURLToPath(import.meta.url));

export interface ChartCase {
  id: string;
  /** Absolute chart directory. */
  chart: string;
  /** Stamped into Chart.yaml's version and appVersion, as Istio's release build does. */
  version: string;
  namespace: string;
  omitKinds?: string[];
  values: Record<string, unknown>;
}

export interface ChartResult {
  id: string;
  error?: string;
  documents: Record<string, unknown>[];
  warnings?: string[];
}

export async function goAvailable(): Promise<boolean> {
  try {
    await execa("go", ["version"]);
    return true;
  } catch {
    return false;
  }
}

export async function buildChartHarness(): Promise<string> {
  if (!existsSync(path.join(harnessDir, "main.go"))) throw new Error(`harness sources missing in ${harnessDir}`);
  const binary = path.join(await mkdtemp(path.join(tmpdir(), "mesh-chart-harness-")), "chart-harness");
  await execa("go", ["build", "-o", binary, "."], {
    cwd: harnessDir,
    env: {
      GO111MODULE: "off",
      GOPATH: process.env.MESH_HARNESS_GOPATH ?? "/usr/share/gocode",
      GOCACHE: process.env.GOCACHE ?? path.join(tmpdir(), "mesh-injection-gocache"),
      GOFLAGS: "",
      GOPROXY: "off",
      GOTOOLCHAIN: "local",
    },
  });
  return binary;
}

export async function renderCharts(binary: string, cases: ChartCase[]): Promise<Map<string, ChartResult>> {
  const { stdout } = await execa(binary, [], { input: JSON.stringify({ cases }), maxBuffer: 1024 * 1024 * 1024 });
  const results = JSON.parse(stdout) as ChartResult[];
  return new Map(results.map((result) => [result.id, result]));
}
