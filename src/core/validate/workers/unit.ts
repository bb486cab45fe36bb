import { parseChunks, parseManifestText, type SourceDocument } from "../../documents/parse.js";
import { separateNonManifests } from "../../documents/not-manifests.js";
import type { ReadLimits } from "../../documents/limits.js";
import type { Finding } from "../../findings.js";
import { checkDocuments, type CheckedDocument } from "../index.js";
import type { ValidateOptions } from "../options.js";
import type { DocumentRef, PackedDocument, PackedUnitResult, UnitJob, UnitResult } from "./protocol.js";

/**
 * The documents of one chunk of a unit (or of its whole text), as the single-thread run reads them; `toLocate`
 * records field positions while reading, for a chunk read again only to place findings.
 */
export function unitDocuments(
  job: UnitJob,
  chunk: number,
  limits: ReadLimits,
  toLocate = false,
): { documents: SourceDocument[]; findings: Finding[] } {
  return "text" in job
    ? parseManifestText(job.text, job.file, limits)
    : parseChunks([job.chunks[chunk]!], job.file, limits, true, toLocate);
}

/** Parses and checks one unit (what a worker thread does); no analysis, which needs every document. */
export function checkUnit(job: UnitJob, options: ValidateOptions, limits: ReadLimits): UnitResult {
  const documents: SourceDocument[] = [];
  const findings: Finding[] = [];
  const refs = new Map<SourceDocument, DocumentRef>();
  const chunks = "text" in job ? 1 : job.chunks.length;
  for (let chunk = 0; chunk < chunks; chunk++) {
    const parsed = unitDocuments(job, chunk, limits);
    parsed.documents.forEach((document, ordinal) => {
      refs.set(document, { chunk, ordinal });
      documents.push(document);
    });
    for (const finding of parsed.findings) findings.push(finding);
  }
  const { manifests, finding } = separateNonManifests(job.file, documents);
  const result: UnitResult = {
    id: job.id,
    findings,
    documents: checkDocuments(manifests, options),
    refs: manifests.map((document) => refs.get(document)!),
  };
  if (finding) result.notManifest = finding;
  return result;
}

/**
 * A unit's result ready to post (PackedUnitResult). An object with a top-level undefined value (an object written
 * without metadata gets `metadata: undefined`) travels as itself, since JSON would drop the key; below the top level
 * objects hold only what the readers produce: JSON values.
 */
export function packResult(result: UnitResult): PackedUnitResult {
  const objects: (Record<string, unknown> | null)[] = [];
  const documents = result.documents.map(({ resource, analysis }): PackedDocument => {
    if (!analysis) {
      objects.push(null);
      return { resource };
    }
    if (Object.values(analysis.object).includes(undefined)) {
      objects.push(null);
      return { resource, analysis };
    }
    objects.push(analysis.object);
    return { resource, analysis: { identity: analysis.identity } };
  });
  return { ...result, documents, analysisObjects: JSON.stringify(objects) };
}

/** The UnitResult a worker packed. */
export function unpackResult(packed: PackedUnitResult): UnitResult {
  const objects = JSON.parse(packed.analysisObjects) as (Record<string, unknown> | null)[];
  const { analysisObjects: _text, ...rest } = packed;
  const documents = packed.documents.map(({ resource, analysis }, index): CheckedDocument => {
    if (!analysis) return { resource };
    return { resource, analysis: { object: analysis.object ?? objects[index]!, identity: analysis.identity } };
  });
  return { ...rest, documents };
}
