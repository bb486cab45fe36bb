import path from "node:path";
import { fileURLToPath } from "node:url";
import { isJsonStream } from "../../documents/json-stream.js";
import { splitManifest } from "../../documents/kubectl-split.js";
import { defaultReadLimits, type ReadLimits } from "../../documents/limits.js";
import { assembleLoaded, fileContribution, loadedFrom, type ReadArgument } from "../../documents/load.js";
import { separatorFindings, type SourceDocument } from "../../documents/parse.js";
import type { Finding } from "../../findings.js";
import { distPath } from "../../package-paths.js";
import { checkDocuments, type CheckedDocument } from "../index.js";
import type { ValidateOptions } from "../options.js";
import type { BundledWorkerStart, DocumentRef, PackedUnitResult, UnitJob, UnitResult, WorkerSetup } from "./protocol.js";
import { checkUnit, unitDocuments, unpackResult } from "./unit.js";

/**
 * Documents below which one thread is better: a worker costs about 0.2 s of CPU (start-up, loading, its own JIT
 * warm-up), about what checking a thousand documents costs, and saves little wall time before it is warm.
 */
export const PARALLEL_THRESHOLD = 1500;
/** Inputs smaller than this are not even counted (1,500 small documents take about 450 KB). */
const PARALLEL_MIN_BYTES = 384 * 1024;
const MAX_UNIT_CHUNKS = 250;
/**
 * Inputs (in chunks) up to which this thread checks units beside the workers. Past it, this thread only merges
 * and analyses: having checked, its heap grows far more while the analysers run (100k documents: about 800 MB
 * against 480 MB peak RSS, with the same live data), so big inputs pay the copying of every unit instead.
 */
const MAIN_THREAD_CHECKS_UP_TO = 20_000;
/** Documents up to which a machine of two cores checks on one thread (see threadCount). */
const ONE_THREAD_ON_TWO_CORES_UP_TO = 20_000;

/** Read inputs, parsed and checked (no analysis yet): what analyzeChecked and the report need. */
export interface CheckedInputs {
  files: string[];
  /** Findings about the inputs themselves (syntax, limits, binary files, files that are no manifests). */
  findings: Finding[];
  emptyArguments: string[];
  documents: CheckedDocument[];
  /** The index-th checked document with its positions, for placing analyser findings. */
  documentAt: (index: number) => Pick<SourceDocument, "locate">;
}

/**
 * How many threads to check with: `requested` when given (MESH_VALIDATE_THREADS), else every core (up to four)
 * once the inputs hold more than PARALLEL_THRESHOLD documents, except on two cores, where one thread is used up
 * to ONE_THREAD_ON_TWO_CORES_UP_TO documents. There V8's own helper threads (concurrent GC marking and sweeping,
 * optimising compiles) already keep the second core about half busy during a one-thread run, while a worker adds
 * its own start-up, JIT warm-up and heap, the copying of results and the re-reading of its documents to place
 * analyser findings: main + 1 worker took more wall time (and a third more CPU) than one thread on 10k documents.
 * Bigger inputs still go to workers, for memory: this thread then only merges and analyses.
 */
export function threadCount(read: readonly ReadArgument[], requested?: number, cores = availableCores()): number {
  if (requested !== undefined) return requested;
  if (cores < 2) return 1;
  let bytes = 0;
  for (const entry of read) for (const input of entry.inputs) if (!("severity" in input)) bytes += input.text.length;
  if (bytes < PARALLEL_MIN_BYTES) return 1;
  let documents = 0;
  for (const entry of read) for (const input of entry.inputs) if (!("severity" in input)) documents += countMarkers(input.text) + 1;
  if (documents <= PARALLEL_THRESHOLD) return 1;
  return cores === 2 && documents <= ONE_THREAD_ON_TWO_CORES_UP_TO ? 1 : cores;
}

function availableCores(): number {
  return Math.min(process.getBuiltinModule("node:os").availableParallelism(), 4);
}

function countMarkers(text: string): number {
  let count = text.startsWith("---") ? 1 : 0;
  for (let at = text.indexOf("\n---"); at !== -1; at = text.indexOf("\n---", at + 4)) count++;
  return count;
}

/**
 * Parses and checks read arguments on `threads` threads. With more than one, files are cut into units of whole
 * kubectl documents (kubectl-split.ts) that worker threads (and this one, for inputs up to MAIN_THREAD_CHECKS_UP_TO
 * chunks) parse and check; this thread puts the results together
 * in input order, judging each file as a whole (Helm templates, files that are no manifests) as loadDocuments does.
 * The result is the single-thread one.
 */
export async function checkReadArguments(
  read: readonly ReadArgument[],
  options: ValidateOptions,
  threads: number,
  limits: ReadLimits = defaultReadLimits,
  unitChunks = MAX_UNIT_CHUNKS,
  mainThreadChecks = true,
): Promise<CheckedInputs> {
  if (threads <= 1) {
    const loaded = loadedFrom(read, limits);
    const documents = checkDocuments(loaded.documents, options);
    return { ...loaded, documents, documentAt: (index) => loaded.documents[index]! };
  }
  const jobs: UnitJob[] = [];
  const plans = new Map<object, { separator: Finding[]; jobs: UnitJob[] }>();
  for (const entry of read) {
    for (const input of entry.inputs) {
      if ("severity" in input) continue;
      const plan = { separator: [] as Finding[], jobs: [] as UnitJob[] };
      plans.set(input, plan);
      if (isJsonStream(input.text)) {
        plan.jobs.push({ id: jobs.length, file: input.file, text: input.text });
        jobs.push(plan.jobs[0]!);
        continue;
      }
      const split = splitManifest(input.text);
      plan.separator = separatorFindings(split.problems, input.file);
      for (let start = 0; start < split.chunks.length; start += unitChunks) {
        const job: UnitJob = { id: jobs.length, file: input.file, chunks: split.chunks.slice(start, start + unitChunks) };
        plan.jobs.push(job);
        jobs.push(job);
      }
    }
  }
  let chunkCount = 0;
  for (const job of jobs) chunkCount += "chunks" in job ? job.chunks.length : 1;
  const mainShare = mainThreadChecks && chunkCount <= MAIN_THREAD_CHECKS_UP_TO;
  const results = await runJobs(jobs, Math.min(threads, jobs.length), { options, limits }, mainShare);

  interface Placed {
    document: CheckedDocument;
    job: UnitJob;
    ref: DocumentRef;
  }
  const assembled = assembleLoaded(read, (input) => {
    const plan = plans.get(input)!;
    const findings = [...plan.separator];
    const documents: Placed[] = [];
    let notManifest: Finding | undefined;
    for (const job of plan.jobs) {
      const result = results[job.id]!;
      for (const finding of result.findings) findings.push(finding);
      result.documents.forEach((document, index) => documents.push({ document, job, ref: result.refs[index]! }));
      notManifest ??= result.notManifest;
    }
    return fileContribution(input, { documents, findings }, { notManifest });
  });
  const placed = assembled.contributions.flatMap((contribution) => contribution.documents);
  // Analysers report a document's findings one after another: the last document read again is kept.
  let last: { job: UnitJob; chunk: number; documents: SourceDocument[] } | undefined;
  const documentAt = (index: number) => {
    const { job, ref } = placed[index]!;
    if (last?.job !== job || last.chunk !== ref.chunk)
      last = { job, chunk: ref.chunk, documents: unitDocuments(job, ref.chunk, limits, true).documents };
    return last.documents[ref.ordinal]!;
  };
  return {
    files: assembled.files,
    findings: assembled.findings,
    emptyArguments: assembled.emptyArguments,
    documents: placed.map(({ document }) => document),
    documentAt,
  };
}

/**
 * The worker's first script: in the bundle, the start script beside this bundle (src/cli/validate-worker-start.ts,
 * which loads the worker's bundle with V8's compiled code); else tsc's output of worker.ts (dist/core).
 */
function workerScript(): { file: string; bundled: boolean } {
  const bundle = distPath("bundle");
  return fileURLToPath(import.meta.url).startsWith(bundle + path.sep)
    ? { file: path.join(bundle, "validate-worker-start.cjs"), bundled: true }
    : { file: distPath("core", "validate", "workers", "worker.js"), bundled: false };
}

/**
 * Runs the jobs on `count` threads: this one (unless `mainThreadChecks` is false, as tests ask to keep every unit
 * on a worker) and worker threads, all taking the next job when done; results by job id. This thread checking too
 * saves a worker's start-up and the copying of its results, and a busy machine's late worker simply gets fewer jobs.
 */
async function runJobs(jobs: readonly UnitJob[], count: number, setup: WorkerSetup, mainThreadChecks: boolean): Promise<UnitResult[]> {
  const results = new Array<UnitResult>(jobs.length);
  let next = 0;
  const script = workerScript();
  // Loaded here: a one-thread run never needs worker_threads.
  const { Worker } = await import("node:worker_threads");
  const workers: InstanceType<typeof Worker>[] = [];
  const runWorker = (index: number) =>
    new Promise<void>((resolve, reject) => {
      // Under --verbose (source maps on) the bundle is loaded without its compiled code, as bin/mesh.js does.
      const cacheCompiledCode = !process.sourceMapsEnabled;
      const start: BundledWorkerStart = { cacheCompiledCode, keepCompiledCode: cacheCompiledCode && index === 0 };
      const workerData = script.bundled ? { ...setup, ...start } : setup;
      const worker = new Worker(script.file, { workerData });
      workers.push(worker);
      let inFlight = 0;
      let finished = false;
      // One job while the worker starts (this thread may do many meanwhile), then two in flight: the next one waits
      // in the worker while this thread, busy with a job of its own, cannot answer at once.
      let depth = 1;
      const feed = () => {
        while (inFlight < depth && next < jobs.length) {
          worker.postMessage(jobs[next++]);
          inFlight++;
        }
        if (inFlight > 0) return;
        finished = true;
        void worker.terminate().then(() => resolve(), reject);
      };
      worker.on("message", (packed: PackedUnitResult) => {
        results[packed.id] = unpackResult(packed);
        inFlight--;
        depth = 2;
        feed();
      });
      worker.once("error", reject);
      worker.once("exit", (code) => {
        if (!finished) reject(new Error(`a validate worker thread stopped (exit code ${code})`));
      });
      feed();
    });
  const running = Promise.all(Array.from({ length: mainThreadChecks ? count - 1 : count }, (_, index) => runWorker(index)));
  // Handled below, after this thread's own jobs: a worker failing meanwhile must not count as unhandled.
  running.catch(() => undefined);
  try {
    if (mainThreadChecks) {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        results[job.id] = checkUnit(job, setup.options, setup.limits);
        // Let the workers' results in, and their next jobs out, between this thread's own jobs.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await running;
  } catch (error) {
    next = jobs.length;
    await Promise.allSettled(workers.map((worker) => worker.terminate()));
    throw error;
  }
  return results;
}
