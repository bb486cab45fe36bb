import { appendAll } from "../arrays.js";
import type { Finding } from "../findings.js";
import { expandInputArguments, readInputText, type InputFilters, type InputText } from "./inputs.js";
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

/** One command-line argument's inputs, read but not parsed: texts, and findings about unreadable files. */
export interface ReadArgument {
  argument: string;
  /** What walking the argument had to say (symbolic link loops). */
  findings: Finding[];
  /** Each file in order: its text, or the finding that stands for it (too large, binary). */
  inputs: (InputText | Finding)[];
  /** Files an earlier argument already gave (they are read once). */
  repeated: number;
}

/** Reads files, directories, globs and `-` into texts, argument by argument, without parsing them. */
export async function readArguments(args: readonly string[], options: LoadOptions): Promise<ReadArgument[]> {
  const limits = options.limits ?? defaultReadLimits;
  const read: ReadArgument[] = [];
  for (const expanded of await expandInputArguments(args, options)) {
    const entry: ReadArgument = { argument: expanded.argument, findings: expanded.findings, inputs: [], repeated: expanded.repeated };
    for (const path of expanded.files) entry.inputs.push(await readInputText(path, options.readStdin, limits));
    read.push(entry);
  }
  return read;
}

/** A file's documents and findings once it is parsed: what loadDocuments keeps of it. */
export interface FileDocuments {
  documents: SourceDocument[];
  findings: Finding[];
}

/**
 * What a parsed file contributes: nothing but one finding for a Helm template; else its manifests, its parse
 * findings and one finding for documents that are no manifests. `notManifest` is that finding when the
 * documents were separated already (by a worker thread), else they are separated here.
 */
export function fileContribution(input: InputText, parsed: FileDocuments): FileDocuments;
export function fileContribution<D>(
  input: InputText,
  parsed: { documents: D[]; findings: Finding[] },
  separated: { notManifest: Finding | undefined },
): { documents: D[]; findings: Finding[] };
export function fileContribution(
  input: InputText,
  parsed: { documents: unknown[]; findings: Finding[] },
  separated?: { notManifest: Finding | undefined },
): { documents: unknown[]; findings: Finding[] } {
  const helm = helmTemplateFinding(input.file, input.text, parsed.findings);
  if (helm) return { documents: [], findings: [helm] };
  const { manifests, finding } = separated
    ? { manifests: parsed.documents, finding: separated.notManifest }
    : separateNonManifests(input.file, parsed.documents as SourceDocument[]);
  return { documents: manifests, findings: finding ? [...parsed.findings, finding] : parsed.findings };
}

/**
 * Puts read arguments and each file's contribution (fileContribution, in the same order as the inputs) together
 * into LoadedDocuments, noting the arguments that gave nothing.
 */
export function assembleLoaded<T extends { documents: readonly unknown[]; findings: readonly Finding[] }>(
  read: readonly ReadArgument[],
  contributionOf: (input: InputText) => T,
): { files: string[]; findings: Finding[]; contributions: T[]; emptyArguments: string[] } {
  const result = { files: [] as string[], findings: [] as Finding[], contributions: [] as T[], emptyArguments: [] as string[] };
  for (const entry of read) {
    let yielded = entry.findings.length;
    appendAll(result.findings, entry.findings);
    for (const input of entry.inputs) {
      if ("severity" in input) {
        result.files.push(input.file ?? entry.argument);
        result.findings.push(input);
        yielded++;
        continue;
      }
      result.files.push(input.file);
      const contribution = contributionOf(input);
      result.contributions.push(contribution);
      appendAll(result.findings, contribution.findings);
      yielded += contribution.documents.length + contribution.findings.length;
    }
    if (yielded === 0 && entry.repeated === 0) result.emptyArguments.push(entry.argument);
  }
  return result;
}

/** Reads files, directories, globs and `-`, file by file, into documents with source positions. */
export async function loadDocuments(args: readonly string[], options: LoadOptions): Promise<LoadedDocuments> {
  const limits = options.limits ?? defaultReadLimits;
  return loadedFrom(await readArguments(args, options), limits);
}

/** LoadedDocuments of arguments already read, parsed on this thread. */
export function loadedFrom(read: readonly ReadArgument[], limits: ReadLimits = defaultReadLimits): LoadedDocuments {
  const assembled = assembleLoaded(read, (input) => fileContribution(input, parseManifestText(input.text, input.file, limits)));
  const documents: SourceDocument[] = [];
  for (const contribution of assembled.contributions) appendAll(documents, contribution.documents);
  return { files: assembled.files, documents, findings: assembled.findings, emptyArguments: assembled.emptyArguments };
}
