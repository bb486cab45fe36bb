import { readdir } from "node:fs/promises";

/**
 * Build steps that run after `tsc` (precompiled schemas and validators, …). Each step is a module in
 * ./steps exporting `run(): void | Promise<void>`; they run in file-name order, so a step can rely on earlier ones.
 */
const stepsDirectory = new URL("./steps/", import.meta.url);
const files = (await readdir(stepsDirectory).catch(() => [] as string[])).filter((file) => file.endsWith(".js")).sort();
for (const file of files) {
  const step = (await import(new URL(file, stepsDirectory).href)) as { run: () => void | Promise<void> };
  const started = performance.now();
  await step.run();
  if (process.env.MESH_BUILD_VERBOSE) console.error(`build step ${file}: ${Math.round(performance.now() - started)} ms`);
}
