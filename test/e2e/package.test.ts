import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./run-mesh.js";

// What `npm pack` publishes, installed the way a user installs it, offline: the dependencies come from the npm
// cache that `npm ci` filled, pinned by the repository's lockfile.

const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  name: string;
  version: string;
  license: string;
  bin: Record<string, string>;
  engines: Record<string, string>;
  dependencies: Record<string, string>;
};
const scratch = mkdtempSync(join(tmpdir(), "mesh-pack-"));
let files: string[] = [];
let tarball = "";

beforeAll(() => {
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], { cwd: repoRoot, encoding: "utf8" }),
  ) as { filename: string; files: { path: string }[] }[];
  files = packed[0]!.files.map((file) => file.path);
  tarball = join(scratch, packed[0]!.filename);
}, 120_000);

describe("the npm package", () => {
  it("is mesh-cli with the mesh binary", () => {
    expect(pkg.name).toBe("mesh-cli");
    expect(pkg.bin).toEqual({ mesh: "bin/mesh.js" });
  });

  it("contains what a user needs and nothing else: no tests, sources, build steps or source maps but the bundle's", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "bin/mesh.js",
        "bin/package.json",
        "dist/cli/main.js",
        "dist/operator-bundle.json",
      ]),
    );
    const unexpected = files.filter(
      (file) =>
        !/^(package\.json|README\.md|LICENSE|bin\/(mesh\.js|package\.json)|dist\/.+|schemas\/kubernetes\/.+\.json)$/.test(file) ||
        /\.ts$/.test(file) ||
        (file.endsWith(".map") && !file.startsWith("dist/bundle/")) ||
        file.startsWith("dist/build/"),
    );
    expect(unexpected).toEqual([]);
  });

  it("holds the bundle bin/mesh.js loads, its loader, the validate worker, its start script and their source maps", () => {
    expect(files.filter((file) => file.startsWith("dist/bundle/")).sort()).toEqual([
      "dist/bundle/loader.cjs",
      "dist/bundle/loader.cjs.map",
      "dist/bundle/mesh.cjs",
      "dist/bundle/mesh.cjs.map",
      "dist/bundle/validate-worker-start.cjs",
      "dist/bundle/validate-worker-start.cjs.map",
      "dist/bundle/validate-worker.cjs",
      "dist/bundle/validate-worker.cjs.map",
    ]);
  });

  it("keeps source maps out of the bundle's sources: they map lines, they do not carry the TypeScript", () => {
    const map = JSON.parse(readFileSync(join(repoRoot, "dist", "bundle", "mesh.cjs.map"), "utf8")) as { sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined();
  });

  it("installs from the packed tarball and runs mesh --version, mesh validate and manifest generate", async () => {
    const project = join(scratch, "project");
    mkdirSync(project);
    const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dev?: boolean; link?: boolean }>;
    };
    const spec = `file:${tarball}`;
    const packages: Record<string, unknown> = {
      "": { name: "pack-check", dependencies: { [pkg.name]: spec } },
      [`node_modules/${pkg.name}`]: {
        version: pkg.version,
        resolved: spec,
        license: pkg.license,
        dependencies: pkg.dependencies,
        bin: pkg.bin,
        engines: pkg.engines,
      },
    };
    for (const [path, entry] of Object.entries(lock.packages)) if (path !== "" && !entry.dev && !entry.link) packages[path] = entry;
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "pack-check", private: true, dependencies: { [pkg.name]: spec } }));
    writeFileSync(join(project, "package-lock.json"), JSON.stringify({ name: "pack-check", lockfileVersion: 3, requires: true, packages }));
    await execa("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: project });

    const mesh = (args: string[], env: Record<string, string> = {}) =>
      execa(join(project, "node_modules", ".bin", "mesh"), args, { cwd: scratch, reject: false, env: { NO_COLOR: "1", ...env } });
    const version = await mesh(["--version"]);
    expect(version.stdout).toBe(pkg.version);
    writeFileSync(
      join(scratch, "route.yaml"),
      "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  parentRefs:\n  - name: gw\n",
    );
    const valid = await mesh(["validate", "route.yaml"]);
    expect(valid.stdout).toContain("1 valid");
    expect(valid.exitCode).toBe(0);
    writeFileSync(
      join(scratch, "bad.yaml"),
      "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  hostnames: [7]\n",
    );
    expect((await mesh(["validate", "bad.yaml"])).exitCode).toBe(1);
    // The same report on one thread and on two (the worker is a bundle entry of its own).
    const routes = Array.from(
      { length: 3 },
      (_, index) =>
        `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r${index}\nspec:\n  hostnames: [${index === 1 ? 7 : '"a.example"'}]\n`,
    );
    writeFileSync(join(scratch, "routes.yaml"), routes.join("---\n"));
    const single = await mesh(["validate", "routes.yaml"], { MESH_VALIDATE_THREADS: "1" });
    expect(single.stdout).toContain("2 valid, 1 invalid");
    const parallel = await mesh(["validate", "routes.yaml"], { MESH_VALIDATE_THREADS: "2" });
    expect({ stdout: parallel.stdout, stderr: parallel.stderr, exitCode: parallel.exitCode }).toEqual({
      stdout: single.stdout,
      stderr: single.stderr,
      exitCode: 1,
    });
    const manifest = await mesh(["manifest", "generate", "--set", "profile=minimal"]);
    expect(manifest.exitCode).toBe(0);
    expect(manifest.stdout).toContain("name: istiod");
  }, 300_000);
});
