import type { Finding } from "../findings.js";
import { expandInputPaths, readInputText } from "./inputs.js";
import { defaultReadLimits, type ReadLimits } from "./limits.js";
import { parseManifestText, type SourceDocument } from "./parse.js";

export interface LoadedDocuments {
  /** Display names of the inputs read, in order (`<stdin>` for `-`). */
  files: string[];
  documents: SourceDocument[];
  /** Problems with the inputs themselves: syntax, limits, binary content. */
  findings: Finding[];
}

export interface LoadOptions {
  readStdin: () => Promise<Buffer>;
  limits?: ReadLimits;
}

/** Reads files, directories, globs and `-`, file by file, into documents with source positions. */
export async function loadDocuments(args: readonly string[], options: LoadOptions): Promise<LoadedDocuments> {
  const limits = options.limits ?? defaultReadLimits;
  const paths = await expandInputPaths(args);
  const result: LoadedDocuments = { files: [], documents: [], findings: [] };
  for (const path of paths) {
    const input = await readInputText(path, options.readStdin, limits);
    if ("severity" in input) {
      result.files.push(input.file ?? path);
      result.findings.push(input);
      continue;
    }
    result.files.push(input.file);
    const parsed = parseManifestText(input.text, input.file, limits);
    result.documents.push(...parsed.documents);
    result.findings.push(...parsed.findings);
  }
  return result;
}
