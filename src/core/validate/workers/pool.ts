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
import type { DocumentRef, UnitJob, UnitResult, WorkerSetup } from "./protocol.js";
import { unitDocuments } from "./unit.js";

/** Documents below which one thread is faster: a worker costs about as much to start as checking a few hundred. */
export const PARALLEL_THRESHOLD = 500;
/** Inputs smaller than this are not even counted (500 small documents take about 150 KB). */
const PARALLEL_MIN_BYTES = 128 * 1024;
const MAX_UNIT_CHUNKS = 500;

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
 * once the inputs hold more than PARALLEL_THRESHOLD documents.
 */
export function threadCount(read: readonly ReadArgument[], requested?: number): number {
  if (requested !== undefined) return requested;
  const cores = Math.min(process.getBuiltinModule("node:os").availableParallelism(), 4);
  if (cores < 2) return 1;
  let bytes = 0;
  for (const entry of read) for (const input of entry.inputs) if (!("severity" in input)) bytes += input.text.length;
  if (bytes < PARALLEL_MIN_BYTES) return 1;
  let documents = 0;
  for (const entry of read) for (const input of entry.inputs) if (!("severity" in input)) documents += countMarkers(input.text) + 1;
  return documents > PARALLEL_THRESHOLD ? cores : 1;
}

function countMarkers(text: string): number {
  let count = text.startsWith("---") ? 1 : 0;
  for (let at = text.indexOf("\n---"); at !== -1; at = text.indexOf("\n---", at + 4)) count++;
  return count;
}

/**
 * Parses and checks read arguments on `threads` threads. With more than one, files are cut into units of whole
 * kubectl documents (kubectl-split.ts) that worker threads parse and check; this thread puts the results together
 * in input order, judging each file as a whole (Helm templates, files that are no manifests) as loadDocuments does.
 * The result is the single-thread one.
 */
export async function checkReadArguments(
  read: readonly ReadArgument[],
  options: ValidateOptions,
  threads: number,
  limits: ReadLimits = defaultReadLimits,
  unitChunks = MAX_UNIT_CHUNKS,
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
  const results = await runJobs(jobs, Math.min(threads, jobs.length), { options, limits });

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
      last = { job, chunk: ref.chunk, documents: unitDocuments(job, ref.chunk, limits).documents };
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

/** The worker script: the bundle's own entry when this code runs from dist/bundle, else tsc's output (dist/core). */
function workerScript(): string {
  const bundle = distPath("bundle");
  return fileURLToPath(import.meta.url).startsWith(bundle + path.sep)
    ? path.join(bundle, "validate-worker.cjs")
    : distPath("core", "validate", "workers", "worker.js");
}

/** Runs the jobs on `count` worker threads, each taking the next job when it is done; results by job id. */
async function runJobs(jobs: readonly UnitJob[], count: number, setup: WorkerSetup): Promise<UnitResult[]> {
  const results = new Array<UnitResult>(jobs.length);
  let next = 0;
  const script = workerScript();
  // Loaded here: a one-thread run never needs worker_threads.
  const { Worker } = await import("node:worker_threads");
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(script, { workerData: setup });
      let finished = false;
      const feed = () => {
        if (next < jobs.length) return worker.postMessage(jobs[next++]);
        finished = true;
        void worker.terminate().then(() => resolve(), reject);
      };
      worker.on("message", (result: UnitResult) => {
        results[result.id] = result;
        feed();
      });
      worker.once("error", reject);
      worker.once("exit", (code) => {
        if (!finished) reject(new Error(`a validate worker thread stopped (exit code ${code})`));
      });
      feed();
    });
  await Promise.all(Array.from({ length: count }, runWorker));
  return results;
}
