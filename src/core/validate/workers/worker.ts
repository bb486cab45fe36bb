import { parentPort, workerData } from "node:worker_threads";
import type { UnitJob, WorkerSetup } from "./protocol.js";
import { checkUnit, packResult } from "./unit.js";

// A worker thread of `mesh validate`: parses and checks one unit at a time; the main thread merges and analyses.
const { options, limits } = workerData as WorkerSetup;
parentPort!.on("message", (job: UnitJob) => parentPort!.postMessage(packResult(checkUnit(job, options, limits))));
