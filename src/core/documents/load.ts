import { appendAll } from "../arrays.js";
import type { Finding } from "../findings.js";
import { expandInputArguments, readInputText, type InputFilters } from "./inputs.js";
import { defaultReadLimits, type ReadLimits } from "./limits.js";
import { helmTemplateFinding, separateNonManifests } from "./not-manifests.js";
import { parseManifestText, type SourceDocument } from "./parse.js";

export interface LoadedDocuments {
  /** Display names of the inputs read, in order (`<stdin>` for `-`). */
  files: string[];
  documents: SourceDocument[];
  /** Problems with the inputs themselves: syntax, limits, binary content, files that are no manifests. */
  findings: Finding[];
  /** Arguments that yielded nothing at all: no document and no finding (an empty file, directory or stdin). */
  emptyArguments: string[];
}

export interface LoadOptions extends InputFilters {
  readStdin: () => Promise<Buffer>;
  limits?: ReadLimits;
}

/** Reads files, directories, globs and `-`, file by file, into documents with source positions. */
export async function loadDocuments(args: readonly string[], options: LoadOptions): Promise<LoadedDocuments> {
  const limits = options.limits ?? defaultReadLimits;
  const result: LoadedDocuments = { files: [], documents: [], findings: [], emptyArguments: [] };
  for (const expanded of await expandInputArguments(args, options)) {
    const before = result.documents.length + result.findings.length;
    appendAll(result.findings, expanded.findings);
    for (const path of expanded.files) {
      const input = await readInputText(path, options.readStdin, limits);
      if ("severity" in input) {
        result.files.push(input.file ?? path);
        result.findings.push(input);
        continue;
      }
      result.files.push(input.file);
      const parsed = parseManifestText(input.text, input.file, limits);
      const helm = helmTemplateFinding(input.file, input.text, parsed.findings);
      if (helm) {
        result.findings.push(helm);
        continue;
      }
      const { manifests, finding } = separateNonManifests(input.file, parsed.documents);
      appendAll(result.documents, manifests);
      appendAll(result.findings, parsed.findings);
      if (finding) result.findings.push(finding);
    }
    if (result.documents.length + result.findings.length === before && expanded.repeated === 0)
      result.emptyArguments.push(expanded.argument);
  }
  return result;
}
