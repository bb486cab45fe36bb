import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { meshBin, repoRoot } from "./run-mesh.js";

// What a one-file `mesh validate` loads of Node itself: each built-in module costs start-up time, and these
// are needed only by other commands or by big inputs (worker threads), so they must stay out of a small run.

describe("a small mesh validate run", () => {
  it("loads no child_process, crypto, worker_threads, perf_hooks or RE2", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "mesh-startup-"));
    const probe = join(scratch, "builtins.mjs");
    writeFileSync(
      probe,
      'import { createRequire } from "node:module";\n' +
        "const required = createRequire(import.meta.url).cache;\n" +
        'process.on("exit", () => process.stderr.write("BUILTINS " + process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).join(",") + "\\n" +\n' +
        '  "PACKAGES " + Object.keys(required).join(",") + "\\n"));\n',
    );
    const manifest = join(scratch, "route.yaml");
    writeFileSync(
      manifest,
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  hostnames: [a.example]\n  rules:\n  - matches:\n    - path: {type: PathPrefix, value: /api}\n      headers: [{name: x-version, value: "1"}]\n    backendRefs: [{name: web, port: 80}]\n  parentRefs:\n  - name: gw\n',
    );
    const run = await execa(process.execPath, ["--import", probe, meshBin, "validate", manifest], { cwd: repoRoot, reject: false });
    expect(run.stdout).toContain("1 valid");
    const loaded = /BUILTINS (.*)/.exec(run.stderr)![1]!.split(",");
    expect(loaded).toContain("NativeModule fs");
    const unwanted = loaded.filter((name) => /^NativeModule (child_process|crypto|worker_threads|perf_hooks)$/.test(name));
    expect(unwanted).toEqual([]);
    // Its hostname and name patterns are proven safe for JavaScript's engine: the RE2 port stays unloaded.
    const packages = /PACKAGES (.*)/.exec(run.stderr)![1]!.split(",");
    expect(packages.filter((file) => file.includes("@bufbuild"))).toEqual([]);
  }, 60_000);
});
