import type { ManifestChunk } from "../../documents/kubectl-split.js";
import type { ReadLimits } from "../../documents/limits.js";
import type { Finding } from "../../findings.js";
import type { CheckedDocument } from "../index.js";
import type { ValidateOptions } from "../options.js";

/** What every worker thread of one run gets once, as its workerData. */
export interface WorkerSetup {
  options: ValidateOptions;
  limits: ReadLimits;
}

/** What the bundled worker's start script (src/cli/validate-worker-start.ts) reads of workerData besides the setup. */
export interface BundledWorkerStart {
  /** Load the worker's bundle with V8's compiled code (off under --verbose, as bin/mesh.js does). */
  cacheCompiledCode: boolean;
  /** This worker writes the compiled code when there is none yet (one worker per run). */
  keepCompiledCode: boolean;
}

/** A part of one file: a run of its kubectl chunks, or the whole text (a JSON stream, which is not cut). */
export type UnitJob = { id: number; file: string } & ({ chunks: ManifestChunk[] } | { text: string });

/** Where a checked document came from: its chunk in the unit (0 for a whole text) and its place among that chunk's documents. */
export interface DocumentRef {
  chunk: number;
  ordinal: number;
}

export interface UnitResult {
  id: number;
  /** Parse findings of the unit, in file order. */
  findings: Finding[];
  /** The first document of the unit that is no manifest (separateNonManifests), if any. */
  notManifest?: Finding;
  /** The unit's manifests, checked, in file order. */
  documents: CheckedDocument[];
  refs: DocumentRef[];
}

/**
 * A UnitResult as a worker posts it (packResult): the objects the analysers will see travel as one JSON text,
 * which is faster to copy and to read back, and reads back into smaller objects, than a structured clone of them.
 */
export interface PackedUnitResult extends Omit<UnitResult, "documents"> {
  documents: PackedDocument[];
  /** JSON array with each document's analysis object, or null where `documents[i].analysis.object` travels itself. */
  analysisObjects: string;
}

export interface PackedDocument {
  resource: CheckedDocument["resource"];
  /** The analysis input without its object (in analysisObjects), unless the object has a value JSON cannot carry. */
  analysis?: { identity: NonNullable<CheckedDocument["analysis"]>["identity"]; object?: Record<string, unknown> };
}
