import { readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Plugin } from "esbuild";
import { packagePath } from "../../core/package-paths.js";

/**
 * The bundled CLI in dist/bundle/: one ESM entry for `mesh` (mesh.js), one per command (commands/NAME.js) and the
 * chunks they share, so a run resolves a handful of files instead of the ~80 modules tsc emits. bin/mesh.js loads it.
 *
 * Packages stay external when they are large and needed by few runs (@kubernetes/client-node), or are loaded on
 * demand with `require` from a path (yaml, ajv and its generated validators, @bufbuild/cel through the CEL
 * interpreter in dist/core, @bufbuild/re2): bundling those would give a second copy of the same code.
 */
export const BUNDLE_DIRECTORY = "bundle";

const EXTERNAL_PACKAGES = ["@kubernetes/client-node", "yaml", "ajv", "ajv-formats", "@bufbuild/cel", "@bufbuild/re2"];

/**
 * commander requires node:child_process when it loads, for subcommands that are separate executables, which mesh
 * has none of; child_process brings net, dgram and a dozen stream modules with it. Inside commander it becomes an
 * object that loads the real module on first use.
 */
const lazyChildProcess: Plugin = {
  name: "lazy-child-process-for-commander",
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "lazy-builtin" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, () => ({
      contents: 'module.exports = new Proxy({}, { get: (_, key) => process.getBuiltinModule("node:child_process")[key] });',
      loader: "js",
    }));
  },
};

export async function run(): Promise<void> {
  // esbuild is a devDependency: only the build imports it.
  const { build } = await import("esbuild");
  const source = packagePath("src", "cli");
  const outdir = packagePath("dist", BUNDLE_DIRECTORY);
  rmSync(outdir, { recursive: true, force: true });
  const commands = readdirSync(path.join(source, "commands")).filter((file) => file.endsWith(".ts"));
  await build({
    entryPoints: [
      { in: path.join(source, "main.ts"), out: "mesh" },
      // The worker thread of a big `mesh validate`: a separate entry that shares the validate chunks.
      { in: packagePath("src", "core", "validate", "workers", "worker.ts"), out: "validate-worker" },
      ...commands.map((file) => ({ in: path.join(source, "commands", file), out: `commands/${file.replace(/\.ts$/, "")}` })),
    ],
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20.19",
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: "linked",
    // Stack traces under --verbose need only the mappings; the package ships no sources.
    sourcesContent: false,
    external: EXTERNAL_PACKAGES.flatMap((name) => [name, `${name}/*`]),
    // CommonJS packages inside the bundle (commander) call `require`; ESM chunks have none of their own.
    banner: {
      js: 'import { createRequire as __meshCreateRequire } from "node:module"; const require = __meshCreateRequire(import.meta.url);',
    },
    tsconfig: packagePath("tsconfig.json"),
    plugins: [lazyChildProcess],
    logLevel: "warning",
  });
  // yaml as one CommonJS file (core/yaml-package.ts loads it): one module to compile instead of about 70.
  await build({
    entryPoints: [createRequire(import.meta.url).resolve("yaml")],
    outfile: packagePath("dist", "vendor", "yaml.cjs"),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20.19",
    logLevel: "warning",
  });
}
