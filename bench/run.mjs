#!/usr/bin/env node
// Times whole processes: median of N runs after a warm-up, and prints ratios measured in the same run.
// Rows live in bench/rows/*.mjs; each exports `rows(context)` returning
// [{ name, command, args, env?, baseline?, goal? (ratio to the baseline), goalMs?, items?, rss? (also report peak RSS), runs? }].
// The baseline is measured in the same run, right after its row, so that ratios hold on a busy machine.
// `npm run bench -- FILE ROW` runs the rows of bench/rows/*FILE* whose name contains ROW.
// BENCH_RUNS sets the runs per measurement (default 9); BENCH_MESH times another build's bin/mesh.js (e.g. main's).
// Generated corpora go to a temporary directory, never into git. Each row keeps its compiled code in a cache directory
// of its own there (unless it sets MESH_COMPILE_CACHE), filled by its warm-up runs: a row measures a user who runs
// that command on that input again and again, whatever rows ran before it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.env.BENCH_RUNS ?? 9);
const only = process.argv[2];
// A second argument keeps only the rows whose name contains it, e.g. `npm run bench -- validate small`.
const onlyRow = process.argv[3];
const workDir = mkdtempSync(path.join(tmpdir(), "mesh-bench-"));
const mesh = process.env.BENCH_MESH ? path.resolve(process.env.BENCH_MESH) : path.join(root, "bin", "mesh.js");
const usageScript = path.join(root, "bench", "support", "usage.mjs");

function timeOnce(command, args, input, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: root,
    input,
    env: env ? { ...process.env, ...env } : undefined,
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

// Warm-up runs of a row: the first writes its compiled code, the next ones add what they compile, as many as an
// entry gathers (src/cli/bundle-loader.ts; the bench runs the build).
const { RUNS_GATHERED: WARM_UP_RUNS } = await import(path.join(root, "dist", "cli", "bundle-loader.js"));

/** Medians of a row and its baseline, runs interleaved (row, baseline, row, …) so that both see the same load. */
function measure(row, baseline) {
  const count = Math.max(row.runs ?? runs, 1);
  const once = (entry) => timeOnce(entry.command, entry.args, entry.input, entry.env);
  for (let i = 0; i < WARM_UP_RUNS; i++) once(row);
  if (baseline) once(baseline);
  const samples = [];
  const baseSamples = [];
  for (let i = 0; i < count; i++) {
    samples.push(once(row));
    if (baseline) baseSamples.push(once(baseline));
  }
  return { ms: median(samples), baseMs: baseline ? median(baseSamples) : undefined };
}

/** Peak RSS (MB, every thread of the process) and CPU time (ms) of one more run, through bench/support/usage.mjs. */
function usage({ command, args, input, env }) {
  const result = spawnSync(command, ["--import", usageScript, ...args], {
    cwd: root,
    input,
    env: env ? { ...process.env, ...env } : undefined,
    stdio: [input === undefined ? "ignore" : "pipe", "ignore", "pipe"],
    maxBuffer: 1 << 30,
  });
  const match = /MESH_BENCH_USAGE (\d+) (\d+)/.exec(result.stderr?.toString() ?? "");
  return match ? { rssMb: Number(match[1]) / 1024, cpuMs: Number(match[2]) } : undefined;
}

const verdict = (met) => (met ? "ok" : "MISSED");

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
      if (onlyRow && !row.name.includes(onlyRow)) continue;
      row.env = { MESH_COMPILE_CACHE: path.join(workDir, `compile-cache-${lines.length}`), ...row.env };
      const { ms, baseMs } = measure(row, row.baseline);
      let line = `${row.name.padEnd(58)} ${ms.toFixed(1).padStart(9)} ms`;
      if (row.baseline) {
        const ratio = ms / baseMs;
        line += `   ${row.baseline.name}: ${baseMs.toFixed(1)} ms   ratio ${ratio.toFixed(2)}x`;
        if (row.goal) line += `   (goal ≤ ${row.goal}x: ${verdict(ratio <= row.goal)})`;
      }
      if (row.goalMs) line += `   (goal ≤ ${row.goalMs} ms: ${verdict(ms <= row.goalMs)})`;
      if (row.items) line += `   ${Math.round(row.items / (ms / 1000))} ${row.itemName ?? "items"}/s`;
      if (row.rss) {
        const used = usage(row);
        if (used) {
          line += `   peak RSS ${used.rssMb.toFixed(0)} MB, cpu ${used.cpuMs} ms`;
          if (row.goalRssMb) line += `   (goal < ${row.goalRssMb} MB: ${verdict(used.rssMb < row.goalRssMb)})`;
        }
      }
      console.log(line);
      lines.push(line);
    }
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
