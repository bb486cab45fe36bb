import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Plugin } from "esbuild";
import { packagePath } from "../../core/package-paths.js";
import { BUNDLE_ID_LINE, BUNDLE_ID_PLACEHOLDER } from "../../cli/bundle-loader.js";
import { precompiledRulesModule } from "../../core/validate/cel/precompiled-rules.js";

/**
 * The bundled CLI in dist/bundle/: one CommonJS file for `mesh` (mesh.cjs: main and every command, a command's
 * modules evaluated only when it runs) and one for the validate worker thread. bin/mesh.js loads mesh.cjs through
 * src/cli/bundle-loader.ts, which keeps V8's compiled code between runs; that needs a classic script, hence CommonJS.
 * The first line names the bundle by a hash of its content (BUNDLE_ID_LINE), so a compiled-code cache is never used
 * for another build.
 *
 * Packages stay external when they are large and needed by few runs (@kubernetes/client-node), or are loaded on
 * demand with `require` from a path (yaml, ajv and its generated validators, @bufbuild/cel through the CEL
 * interpreter in dist/core, @bufbuild/re2): bundling those would give a second copy of the same code.
 */
export const BUNDLE_DIRECTORY = "bundle";

const EXTERNAL_PACKAGES = ["@kubernetes/client-node", "ajv", "ajv-formats", "@bufbuild/cel", "@bufbuild/re2"];

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

/**
 * The built-in CEL rules as functions in the bundle instead of bodies in dist/validators/cel-rules.json compiled with
 * `new Function` on each run: V8's code cache then keeps the ones a command ran (about a third of a one-file validate's
 * compiling). Needs 20-validators to have run.
 */
const builtInCelRules: Plugin = {
  name: "built-in-cel-rules",
  setup(build) {
    build.onLoad({ filter: /[\\/]core[\\/]validate[\\/]cel[\\/]precompiled-rules\.ts$/ }, () => ({
      contents: precompiledRulesModule(
        JSON.parse(readFileSync(packagePath("dist", "validators", "cel-rules.json"), "utf8")) as Record<string, string | null>,
      ),
      loader: "js",
    }));
  },
};

/** Bundles in dist/bundle: output name (without .cjs) → source. */
function bundleEntries(): Record<string, string> {
  return {
    mesh: packagePath("src", "cli", "main.ts"),
    // The worker thread of a big `mesh validate`, and the script that starts it with the compiled code kept.
    "validate-worker": packagePath("src", "core", "validate", "workers", "worker.ts"),
    "validate-worker-start": packagePath("src", "cli", "validate-worker-start.ts"),
  };
}

/**
 * Replaces the placeholder of the first line with a hash of the file's content (placeholder included). The bundle
 * must be ASCII (bundle-loader.ts reads it as Latin-1): esbuild escapes strings but not regular expressions.
 */
function stampBundleId(file: string): void {
  const text = readFileSync(file, "utf8");
  const nonAscii = /[^\x00-\x7f]/.exec(text);
  if (nonAscii) {
    const line = text.slice(0, nonAscii.index).split("\n").length;
    throw new Error(`${file}:${line}: a character outside ASCII (${nonAscii[0]}): write it as a \\u escape in the source`);
  }
  const id = createHash("sha256").update(text).digest("hex").slice(0, BUNDLE_ID_PLACEHOLDER.length);
  writeFileSync(file, text.replace(BUNDLE_ID_PLACEHOLDER, id));
}

export async function run(): Promise<void> {
  // esbuild is a devDependency: only the build imports it.
  const { build } = await import("esbuild");
  const outdir = packagePath("dist", BUNDLE_DIRECTORY);
  rmSync(outdir, { recursive: true, force: true });
  const common = {
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20.19",
    sourcemap: "linked",
    // Less to read and keep per run (about 3 ms of CPU for a one-file validate); names stay, for stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    // Stack traces under --verbose need only the mappings; the package ships no sources.
    sourcesContent: false,
    // Modules find their files from import.meta.url, which a CommonJS file lacks: the bundle's own URL stands in.
    define: { "import.meta.url": "__meshBundleUrl" },
    banner: {
      js: `${BUNDLE_ID_LINE.replace("%s", BUNDLE_ID_PLACEHOLDER)}\n"use strict";\nconst __meshBundleUrl = require("node:url").pathToFileURL(__filename).href;`,
    },
    tsconfig: packagePath("tsconfig.json"),
    logLevel: "warning",
  } as const;
  await build({
    ...common,
    entryPoints: Object.entries(bundleEntries()).map(([out, source]) => ({ in: source, out })),
    outdir,
    outExtension: { ".js": ".cjs" },
    // A classic script compiled by the loader has no `import()` of its own on Node 20: built-in modules and
    // CommonJS packages come through `require`, ES-module-only packages through src/kube/import-module.ts.
    supported: { "dynamic-import": false },
    external: EXTERNAL_PACKAGES.flatMap((name) => [name, `${name}/*`]),
    plugins: [lazyChildProcess, builtInCelRules],
  });
  // What bin/mesh.js loads mesh.cjs with: a CommonJS file of its own loads faster than an ES module. Node loads
  // it, so its `import()` (the hook of import-module.ts) is the real one.
  await build({ ...common, entryPoints: [packagePath("src", "cli", "bundle-loader.ts")], outfile: path.join(outdir, "loader.cjs") });
  for (const name of Object.keys(bundleEntries())) stampBundleId(path.join(outdir, `${name}.cjs`));
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
