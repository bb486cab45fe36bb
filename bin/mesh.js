#!/usr/bin/env node
// Kept tiny on purpose: `mesh --version` must start about as fast as `node -e 0`.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main } = await import("../dist/cli/main.js");
  const code = await main(args);
  // Exit once the output is flushed: a command that gave up (--timeout) leaves requests behind that must not keep
  // the process alive.
  const flushed = (stream) => new Promise((resolve) => stream.write("", resolve));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
