// Builds and runs the Go program in this folder (main.go), which reads YAML exactly as kubectl does:
// apimachinery's line-based document split, then sigs.k8s.io/yaml (go-yaml v2, then JSON). Offline, in
// GOPATH mode against Debian's packages in /usr/share/gocode:
//   apt-get install -y golang-go golang-gopkg-yaml.v2-dev golang-k8s-sigs-yaml-dev
import { execa } from "execa";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildGoProgram, harnessGopath, runGoProgram } from "../go-program.js";

const harnessDir = path.dirname(fileURLToPath(import.meta.url));

export interface KubectlReading {
  id: string;
  /** JSON text of each document kubectl would send (empty and null documents skipped). */
  documents: string[];
  /** Set when kubectl refuses the stream; `documents` then holds the ones read before. */
  error?: string;
}

/** Whether the Go toolchain and the packages the harness needs are installed; a reason when not. */
export async function harnessUnavailable(): Promise<string | undefined> {
  try {
    await execa("go", ["version"]);
  } catch {
    return "`go` is not on PATH";
  }
  const gopath = harnessGopath();
  for (const pkg of ["gopkg.in/yaml.v2", "sigs.k8s.io/yaml"]) {
    if (!existsSync(path.join(gopath, "src", pkg))) return `${pkg} is not installed under ${gopath}`;
  }
  return undefined;
}

export const buildHarness = () => buildGoProgram(harnessDir, "yaml-harness");

export function readAsKubectl(binary: string, texts: readonly string[]): Promise<KubectlReading[]> {
  const cases = texts.map((text, index) => ({ id: String(index), text }));
  return runGoProgram<KubectlReading[]>(binary, cases, 256 * 1024 * 1024);
}
