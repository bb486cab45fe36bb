#!/usr/bin/env node
// Kept tiny on purpose: `mesh --version` must start about as fast as `node -e 0`. CommonJS (bin/package.json),
// because an ES module entry costs Node a few milliseconds of loader start-up that a one-file run notices.
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  process.stdout.write(`${pkg.version}\n`);
} else {
  // Packages loaded outside the bundle (yaml, ajv, the Kubernetes client) reuse V8's compiled code on Node >= 22.1.
  require("node:module").enableCompileCache?.();
  // Stack traces of internal errors point into src/ under --verbose; mapping costs time, so only then, and Node's
  // own loader (which applies the maps) loads the bundle.
  const verbose = args.includes("-v") || args.includes("--verbose") || process.env.MESH_DEBUG === "1";
  if (verbose) process.setSourceMapsEnabled(true);
  // The bundle (docs/design/performance.md): compiled once, its compiled code kept for the next run.
  const { compileCacheDirectory, loadBundle } = require(path.join(root, "dist", "bundle", "loader.cjs"));
  const bundle = loadBundle(path.join(root, "dist", "bundle", "mesh.cjs"), {
    cacheDirectory: verbose ? undefined : compileCacheDirectory(process.env),
    cacheName: args[0] ?? "",
  });
  // Exit once the output is flushed: a command that gave up (--timeout) leaves requests behind that must not keep
  // the process alive.
  bundle.exports.main(args).then(async (code) => {
    bundle.saveCompiledCode();
    await bundle.exports.outputFlushed();
    process.exit(code);
  });
}
