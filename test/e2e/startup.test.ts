import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { meshBin, repoRoot } from "./run-mesh.js";

// What a one-file `mesh validate` loads of Node itself: each built-in module costs start-up time, and these
// are needed only by other commands or by big inputs (worker threads), so they must stay out of a small run.

describe("a small mesh validate run", () => {
  it("loads no child_process, crypto, worker_threads or perf_hooks", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "mesh-startup-"));
    const probe = join(scratch, "builtins.mjs");
    writeFileSync(
      probe,
      'process.on("exit", () => process.stderr.write("BUILTINS " + process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).join(",") + "\\n"));\n',
    );
    const manifest = join(scratch, "route.yaml");
    writeFileSync(
      manifest,
      "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  hostnames: [a.example]\n  parentRefs:\n  - name: gw\n",
    );
    const run = await execa(process.execPath, ["--import", probe, meshBin, "validate", manifest], { cwd: repoRoot, reject: false });
    expect(run.stdout).toContain("1 valid");
    const loaded = /BUILTINS (.*)/.exec(run.stderr)![1]!.split(",");
    expect(loaded).toContain("NativeModule fs");
    const unwanted = loaded.filter((name) => /^NativeModule (child_process|crypto|worker_threads|perf_hooks)$/.test(name));
    expect(unwanted).toEqual([]);
  }, 60_000);
});
