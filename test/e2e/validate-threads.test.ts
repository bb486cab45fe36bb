import { cpSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runMesh } from "./run-mesh.js";

// `mesh validate` on worker threads (MESH_VALIDATE_THREADS) prints what it prints on one thread, in every format.

const route = (i: number) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r-${i}\nspec:\n  parentRefs:\n  - name: gw\n` +
  (i % 97 === 5 ? "  hostnames: [7]\n" : "");
const virtualService = (i: number) =>
  `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: vs-${i}\nspec:\n  hosts: [a.example]\n  gateways: [gw-${i}]\n  http:\n  - route:\n    - destination:\n        host: reviews\n`;

function inputs(): string {
  const root = mkdtempSync(join(tmpdir(), "mesh-threads-"));
  cpSync(join(repoRoot, "test", "fixtures", "validate", "e2e"), join(root, "e2e"), { recursive: true });
  // 1,200 documents: cut into units that two workers share, with a syntax error, a bad marker and analyser findings past the first cut.
  const documents = Array.from({ length: 1200 }, (_, i) =>
    i === 700 ? "kind: [unclosed\n" : i === 900 ? "values: {}\n" : i % 50 === 3 ? virtualService(i) : route(i),
  );
  writeFileSync(join(root, "big.yaml"), documents.join("---\n") + "--- not allowed\n" + route(1200));
  writeFileSync(join(root, "template.yaml"), `${route(0)}---\nspec: {{ .Values.spec }}\n`);
  writeFileSync(join(root, "left-out.tmpl.yaml"), route(5));
  return root;
}

describe("mesh validate on worker threads", () => {
  const root = inputs();

  it("prints the single-thread report in text, json and sarif on two and three threads", async () => {
    for (const format of ["text", "json", "sarif"]) {
      const args = ["validate", "-o", format, "--exclude", "*.tmpl.yaml", root];
      const single = await runMesh(args, { env: { MESH_VALIDATE_THREADS: "1" } });
      expect(single.exitCode).toBe(1);
      if (format === "text") {
        expect(single.stdout).toContain("helm-template");
        expect(single.stdout).toContain("not-kubernetes");
        expect(single.stdout).toContain("IST0101");
        expect(single.stdout).not.toContain("left-out");
      }
      for (const threads of ["2", "3"]) {
        const parallel = await runMesh(args, { env: { MESH_VALIDATE_THREADS: threads } });
        expect(parallel).toEqual(single);
      }
    }
  }, 240_000);

  it("keeps the worker's compiled code (one entry, written once) and prints the same report with it; none under --verbose", async () => {
    const cache = mkdtempSync(join(tmpdir(), "mesh-threads-cache-"));
    const args = ["validate", "-o", "json", "--exclude", "*.tmpl.yaml", root];
    const env = { MESH_VALIDATE_THREADS: "3", MESH_COMPILE_CACHE: cache };
    const first = await runMesh(args, { env });
    const workerEntries = () => readdirSync(cache).filter((entry) => entry.endsWith("-validate-worker.v8cache"));
    expect(workerEntries()).toHaveLength(1);
    expect(readdirSync(cache).filter((entry) => !entry.endsWith(".v8cache"))).toEqual([]);
    const second = await runMesh(args, { env });
    expect(second).toEqual(first);
    expect(first).toEqual(await runMesh(args, { env: { MESH_VALIDATE_THREADS: "1", MESH_COMPILE_CACHE: "0" } }));
    const unused = join(cache, "unused");
    await runMesh([...args, "--verbose"], { env: { MESH_VALIDATE_THREADS: "2", MESH_COMPILE_CACHE: unused } });
    expect(existsSync(unused)).toBe(false);
  }, 120_000);

  it("refuses a thread count that is not a number", async () => {
    const result = await runMesh(["validate", join(root, "template.yaml")], { env: { MESH_VALIDATE_THREADS: "many" } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("MESH_VALIDATE_THREADS=many");
  });
});
