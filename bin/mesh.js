#!/usr/bin/env node
// Kept tiny on purpose: `mesh --version` must start about as fast as `node -e 0`.
import { readFileSync } from "node:fs";
import module from "node:module";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${pkg.version}\n`);
} else {
  // Repeat runs reuse V8's compiled code (Node >= 22.1; Node 20 has no compile cache and starts without one).
  module.enableCompileCache?.();
  // Stack traces of internal errors point into src/ under --verbose; mapping costs time, so only then.
  if (args.includes("-v") || args.includes("--verbose") || process.env.MESH_DEBUG === "1") process.setSourceMapsEnabled(true);
  const { main } = await import("../dist/bundle/mesh.js");
  const code = await main(args);
  // Exit once the output is flushed: a command that gave up (--timeout) leaves requests behind that must not keep
  // the process alive.
  const flushed = (stream) => new Promise((resolve) => stream.write("", resolve));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
