// Builds and runs the Go harness (main.go, types.go, funcs.go next to this file) that executes injection
// templates with Go's text/template + sprig, as istiod does. The build needs only Debian's packages:
//   apt-get install -y golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev
// and works offline in GOPATH mode against /usr/share/gocode (where those packages install their sources).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildGoProgram, runGoProgram } from "../go-program.js";

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

export const buildHarness = () => buildGoProgram(harnessDir, "injection-harness");

export async function runHarness(binary: string, cases: HarnessCase[]): Promise<Map<string, HarnessResult>> {
  const results = await runGoProgram<HarnessResult[]>(binary, cases, 256 * 1024 * 1024);
  return new Map(results.map((r) => [r.id, r]));
}
