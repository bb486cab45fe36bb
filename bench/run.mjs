#!/usr/bin/env node
// Times whole processes: median of N runs after a warm-up, and prints ratios measured in the same run.
// Rows live in bench/rows/*.mjs; each exports `rows(context)` returning [{ name, command, args, baseline?, unit? }].
// Generated corpora go to a temporary directory, never into git.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.env.BENCH_RUNS ?? 9);
const only = process.argv[2];
const workDir = mkdtempSync(path.join(tmpdir(), "mesh-bench-"));
const mesh = path.join(root, "bin", "mesh.js");

function timeOnce(command, args, input) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: root,
    input,
    stdio: [input === undefined ? "ignore" : "pipe", "ignore", "pipe"],
    maxBuffer: 1 << 30,
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr?.toString().slice(0, 500)}`);
  }
  return elapsed;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function measure({ command, args, input, runs: rowRuns }) {
  timeOnce(command, args, input);
  const samples = [];
  for (let i = 0; i < (rowRuns ?? runs); i++) samples.push(timeOnce(command, args, input));
  return median(samples);
}

const context = { root, mesh, node: process.execPath, workDir };
const rowFiles = readdirSync(path.join(root, "bench", "rows"))
  .filter((file) => file.endsWith(".mjs"))
  .sort();
const lines = [];
try {
  for (const file of rowFiles) {
    if (only && !file.includes(only)) continue;
    const module = await import(path.join(root, "bench", "rows", file));
    for (const row of await module.rows(context)) {
      const ms = measure(row);
      let line = `${row.name.padEnd(58)} ${ms.toFixed(1).padStart(9)} ms`;
      if (row.baseline) {
        const baseMs = measure(row.baseline);
        line += `   ${row.baseline.name}: ${baseMs.toFixed(1)} ms   ratio ${(ms / baseMs).toFixed(2)}x`;
        if (row.goal) line += `   (goal ≤ ${row.goal}x)`;
      }
      if (row.items) line += `   ${Math.round(row.items / (ms / 1000))} ${row.itemName ?? "items"}/s`;
      console.log(line);
      lines.push(line);
    }
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
