// Builds and runs the Go chart renderer next to this file (main.go, engine.go, funcs.go): Istio's Helm charts
// rendered with Go's text/template + sprig and the functions Helm adds, the way istioctl's embedded Helm does.
// Needs only Debian's packages, offline, in GOPATH mode against /usr/share/gocode:
//   apt-get install -y golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev golang-k8s-sigs-yaml-dev
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildGoProgram, goToolchainVersion, runGoProgram } from "../go-program.js";

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
  return (await goToolchainVersion()) !== undefined;
}

export const buildChartHarness = () => buildGoProgram(harnessDir, "chart-harness");

export async function renderCharts(binary: string, cases: ChartCase[]): Promise<Map<string, ChartResult>> {
  const results = await runGoProgram<ChartResult[]>(binary, cases, 1024 * 1024 * 1024);
  return new Map(results.map((result) => [result.id, result]));
}
