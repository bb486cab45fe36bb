import path from "node:path";
import { fileURLToPath } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import type { BundledWorkerStart } from "../core/validate/workers/protocol.js";
import { compileCacheDirectory, loadBundle } from "./bundle-loader.js";

/**
 * The first script of a bundled validate worker thread (dist/bundle/validate-worker-start.cjs): it loads the
 * worker's bundle beside it as bin/mesh.js loads the CLI, through bundle-loader.ts, so that a worker does not compile
 * its 0.5 MB bundle again on every run (Node 20 has no compile cache of its own). The worker that keeps the compiled
 * code writes it after its first job, when the functions that job ran are compiled, and before posting that job's
 * result: the main thread stops a worker once it has every result, and never while the worker is writing.
 */
const start = workerData as BundledWorkerStart;
const bundle = loadBundle(path.join(path.dirname(fileURLToPath(import.meta.url)), "validate-worker.cjs"), {
  cacheDirectory: start.cacheCompiledCode ? compileCacheDirectory(process.env) : undefined,
  cacheName: "validate-worker",
});
if (start.keepCompiledCode && parentPort) {
  const port = parentPort;
  const post = port.postMessage.bind(port);
  port.postMessage = (message: unknown) => {
    port.postMessage = post;
    bundle.saveCompiledCode();
    post(message);
  };
}
