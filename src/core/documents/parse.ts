import type { FieldPath, Finding, ResourceIdentity, SourcePosition } from "../findings.js";
import { defaultReadLimits, type ReadLimits } from "./limits.js";
import { fastLocator, parseFastChunk, recordedLocator, scanLocator, type FastDocument } from "./fast-parse.js";
import { PositionRecorder } from "./fast-flow.js";
import { isJsonStream, splitJsonStream } from "./json-stream.js";
import { splitManifest, type ManifestChunk, type SeparatorProblem } from "./kubectl-split.js";
import { YamlError } from "./go-yaml/errors.js";
import { composeFirstDocument, type YamlNode } from "./go-yaml/parser.js";
import { documentToJson, jsonKeyOf } from "./go-yaml/to-json.js";

/** One manifest read from a file: its plain value plus the means to find any field's position. */
export interface SourceDocument {
  file: string;
  /** 0-based index of the YAML document in its file. */
  index: number;
  /** Where the document (or List item) starts. */
  line: number;
  column: number;
  /** The document as JSON-like data (objects, arrays, strings, numbers, booleans, null). */
  object: unknown;
  identity: ResourceIdentity;
  /** For items flattened out of a `kind: List`: the path of the item inside the file's document. */
  basePath: FieldPath;
  /**
   * Position of the field at `path` (relative to `object`). Map fields resolve to their key, list items
   * to the item; a path that does not exist resolves to its closest existing ancestor.
   */
  locate(path: FieldPath): SourcePosition;
}

export interface ParsedFile {
  documents: SourceDocument[];
  findings: Finding[];
}

/**
 * Splits a file into documents as kubectl does (kubectl-split.ts) and reads each one as kubectl reads it:
 * with the fast reader when it can, else with the full reader (go-yaml/). Documents without content are
 * skipped, `kind: List` is flattened; what kubectl would refuse becomes a finding at its position.
 */
export function parseManifestText(text: string, file: string, limits: ReadLimits = defaultReadLimits): ParsedFile {
  return parseSplit(text, file, limits, true);
}

/** The same, with every document read by the full reader (the reference the fast reader is tested against). */
export function parseWithFullReader(text: string, file: string, limits: ReadLimits = defaultReadLimits): ParsedFile {
  return parseSplit(text, file, limits, false);
}

function parseSplit(text: string, file: string, limits: ReadLimits, fastFirst: boolean): ParsedFile {
  if (isJsonStream(text)) return parseJsonStream(text, file, limits);
  const split = splitManifest(text);
  const parsed = parseChunks(split.chunks, file, limits, fastFirst);
  return { documents: parsed.documents, findings: [...separatorFindings(split.problems, file), ...parsed.findings] };
}

/** Findings for document markers kubectl refuses (content after `---` on its line). */
export function separatorFindings(problems: readonly SeparatorProblem[], file: string): Finding[] {
  return problems.map((problem) => ({
    severity: "error",
    code: "yaml-syntax",
    origin: "yaml",
    message: problem.message,
    file,
    line: problem.line + 1,
    column: problem.column + 1,
  }));
}

/**
 * Reads documents that splitManifest cut out of a file, each on its own: any run of a file's chunks gives the
 * documents and findings the whole file gives for them, which is what lets worker threads share a file.
 */
export function parseChunks(
  chunks: readonly ManifestChunk[],
  file: string,
  limits: ReadLimits = defaultReadLimits,
  fastFirst = true,
  recordPositions = false,
): ParsedFile {
  const documents: SourceDocument[] = [];
  const findings: Finding[] = [];
  for (const chunk of chunks) {
    // Positions recorded while reading, for callers that read a chunk again only to place findings in it.
    const recorder = recordPositions ? new PositionRecorder() : undefined;
    const fast = fastFirst ? parseFastChunk(chunk, limits.maxDepth, recorder) : undefined;
    if (fast === null) continue;
    if (fast) {
      const recorded = recorder ? recordedLocator(fast, fast.value, recorder) : null;
      for (const document of fastSourceDocuments(fast, file, limits, recorded)) documents.push(document);
      continue;
    }
    try {
      const read = readChunk(chunk, limits);
      if (read) for (const document of fullSourceDocuments(read, chunk, file)) documents.push(document);
    } catch (error) {
      if (!(error instanceof YamlError)) throw error;
      findings.push(yamlFinding(error, chunk, file));
    }
  }
  return { documents, findings };
}

/** A stream kubectl reads as JSON values (json-stream.ts); go-yaml's reading of each value gives positions and duplicate keys. */
function parseJsonStream(text: string, file: string, limits: ReadLimits): ParsedFile {
  const { values, problem } = splitJsonStream(text);
  const documents: SourceDocument[] = [];
  const findings: Finding[] = [];
  const columnOf = (offset: number) => offset - text.lastIndexOf("\n", offset - 1);
  const jsonFinding = (offset: number, line: number, message: string, code: Finding["code"] = "yaml-syntax"): Finding => ({
    severity: "error",
    code,
    origin: "yaml",
    message,
    file,
    line: line + 1,
    column: columnOf(offset),
  });
  values.forEach((json, index) => {
    let value: unknown;
    try {
      value = JSON.parse(json.text);
    } catch (error) {
      findings.push(jsonFinding(json.offset, json.line, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    const unfit = jsonValueProblem(value, limits.maxDepth);
    if (unfit) {
      findings.push(jsonFinding(json.offset, json.line, unfit.message, unfit.code));
      return;
    }
    // The same text as a YAML chunk, indented so that columns on its first line stay right.
    const chunk: ManifestChunk = { index, offset: json.offset, line: json.line, text: " ".repeat(columnOf(json.offset) - 1) + json.text };
    let read: ReadDocument | undefined;
    try {
      read = readChunk(chunk, limits);
    } catch (error) {
      if (!(error instanceof YamlError)) throw error;
      if (error.code === "duplicate-key" || error.code === "yaml-value") {
        findings.push(yamlFinding(error, chunk, file));
        return;
      }
    }
    if (value === null) return;
    if (read) {
      for (const document of fullSourceDocuments({ root: read.root, value }, chunk, file)) documents.push(document);
    } else {
      const start = { file, line: json.line + 1, column: columnOf(json.offset) };
      for (const document of sourceDocuments(value, index, () => () => start, start, file)) documents.push(document);
    }
  });
  if (problem) findings.push(jsonFinding(problem.offset, problem.line, problem.message));
  return { documents, findings };
}

/** What kubectl's JSON decoding refuses in a parsed value: numbers JSON.parse turned into infinity, too deep nesting. */
function jsonValueProblem(value: unknown, maxDepth: number): { message: string; code: Finding["code"] } | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node === "number" && !Number.isFinite(node))
      return { message: "a number is too large for a 64-bit float; kubectl rejects it", code: "yaml-value" };
    if (typeof node === "object" && node !== null) {
      if (depth >= maxDepth) return { message: `document nests deeper than ${maxDepth} levels; refusing to read it`, code: "depth-limit" };
      for (const child of Object.values(node)) stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

export interface ReadDocument {
  root: YamlNode;
  value: unknown;
}

/**
 * The first YAML document of `text` as kubectl reads it (go-yaml v2: YAML 1.1, merge keys), as a node and a JSON
 * value; undefined when there is no node. Throws YamlError.
 */
export function readFirstDocument(text: string, limits: ReadLimits = defaultReadLimits): ReadDocument | undefined {
  const { root } = composeFirstDocument(text, limits.maxDepth);
  return root ? { root, value: documentToJson(root, limits) } : undefined;
}

/** One document read by the full reader; undefined when it holds nothing (no node, or null). Throws YamlError. */
function readChunk(chunk: ManifestChunk, limits: ReadLimits): ReadDocument | undefined {
  const read = readFirstDocument(chunk.text, limits);
  return read?.value === null ? undefined : read;
}

function yamlFinding(error: YamlError, chunk: ManifestChunk, file: string): Finding {
  return {
    severity: "error",
    code: error.code,
    origin: "yaml",
    message: error.message,
    file,
    line: chunk.line + error.mark.line + 1,
    column: error.mark.column + 1,
  };
}

function chunkPosition(chunk: ManifestChunk, file: string) {
  return (mark: { line: number; column: number }): SourcePosition => ({ file, line: chunk.line + mark.line + 1, column: mark.column + 1 });
}

function fullSourceDocuments(read: ReadDocument, chunk: ManifestChunk, file: string): SourceDocument[] {
  const position = chunkPosition(chunk, file);
  const locateIn = (basePath: FieldPath) => (path: FieldPath) => position(locateNode(read.root, [...basePath, ...path]));
  return sourceDocuments(read.value, chunk.index, locateIn, position(read.root.start), file);
}

/** Where fields of a document are, relative to the document's root: one function per document read by the fast reader. */
type Locator = (path: readonly (string | number)[]) => { line: number; column: number };

/**
 * A document read by the fast reader. It carries no node positions: the first `locate` scans the lines along the path,
 * else reads the document again with the fast reader recording positions, else with the full reader; only documents
 * with findings pay for it. One object per document rather than closures, since every document survives the run.
 */
class FastSourceDocument implements SourceDocument {
  private scan: ReturnType<typeof scanLocator> | undefined;
  private root: YamlNode | undefined;
  constructor(
    readonly file: string,
    readonly index: number,
    readonly line: number,
    readonly column: number,
    readonly object: unknown,
    readonly identity: ResourceIdentity,
    readonly basePath: FieldPath,
    private readonly source: FastDocument,
    private readonly maxDepth: number,
    /** Positions recorded while reading; null until asked for, undefined when only the full reader can tell. */
    private recorded: Locator | null | undefined,
  ) {}

  locate(path: FieldPath): SourcePosition {
    const full = this.basePath.length === 0 ? path : [...this.basePath, ...path];
    if (this.recorded === null) {
      // Most documents are asked for a few positions: the lines along each path are cheaper than reading them again.
      this.scan ??= scanLocator(this.source);
      const scanned = this.scan(full);
      if (scanned) return { file: this.file, ...scanned };
      this.recorded = fastLocator(this.source);
    }
    if (this.recorded) return { file: this.file, ...this.recorded(full) };
    this.root ??= composeFirstDocument(this.source.text, this.maxDepth).root!;
    const at = locateNode(this.root, full);
    return { file: this.file, line: this.source.firstLine + at.line + 1, column: at.column + 1 };
  }
}

function fastSourceDocuments(
  document: FastDocument,
  file: string,
  limits: ReadLimits,
  recorded: Locator | null | undefined,
): SourceDocument[] {
  const value = document.value;
  if (isListKind(value)) {
    return value.items.map((item, itemIndex) => {
      const basePath = ["items", itemIndex];
      const at = new FastSourceDocument(file, 0, 0, 0, null, {}, basePath, document, limits.maxDepth, recorded).locate([]);
      return new FastSourceDocument(
        file,
        document.index,
        at.line,
        at.column,
        item,
        identityOf(item),
        basePath,
        document,
        limits.maxDepth,
        recorded,
      );
    });
  }
  return [
    new FastSourceDocument(
      file,
      document.index,
      document.line,
      document.column,
      value,
      identityOf(value),
      noPath,
      document,
      limits.maxDepth,
      recorded,
    ),
  ];
}

const noPath: FieldPath = [];

function sourceDocuments(
  value: unknown,
  index: number,
  locateIn: (basePath: FieldPath) => (path: FieldPath) => SourcePosition,
  start: SourcePosition,
  file: string,
): SourceDocument[] {
  if (isListKind(value)) {
    return value.items.map((item, itemIndex) => {
      const basePath = ["items", itemIndex];
      const locate = locateIn(basePath);
      const at = locate([]);
      return { file, index, line: at.line, column: at.column, object: item, identity: identityOf(item), basePath, locate };
    });
  }
  return [
    { file, index, line: start.line, column: start.column, object: value, identity: identityOf(value), basePath: [], locate: locateIn([]) },
  ];
}

function isListKind(value: unknown): value is { items: unknown[] } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate.apiVersion === "v1" && typeof candidate.kind === "string" && candidate.kind.endsWith("List") && Array.isArray(candidate.items)
  );
}

export function identityOf(value: unknown): ResourceIdentity {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const object = value as Record<string, unknown>;
  const metadata = (typeof object.metadata === "object" && object.metadata !== null ? object.metadata : {}) as Record<string, unknown>;
  const identity: ResourceIdentity = {};
  if (typeof object.apiVersion === "string") identity.apiVersion = object.apiVersion;
  if (typeof object.kind === "string") identity.kind = object.kind;
  if (typeof metadata.namespace === "string") identity.namespace = metadata.namespace;
  if (typeof metadata.name === "string") identity.name = metadata.name;
  return identity;
}

/** Where the node at `path` starts: a map field at its key, a list item at the item, else the closest existing ancestor. */
function locateNode(root: YamlNode, path: FieldPath): { line: number; column: number } {
  let node: YamlNode = root;
  let best = root.start;
  for (const segment of path) {
    while (node.kind === "alias") node = node.target;
    if (node.kind === "mapping") {
      let found = -1;
      for (let i = 0; i < node.entries.length; i += 2) {
        if (jsonKeyOf(node.entries[i]!) === String(segment)) found = i;
      }
      if (found === -1) break;
      best = node.entries[found]!.start;
      node = node.entries[found + 1]!;
    } else if (node.kind === "sequence" && typeof segment === "number") {
      const item = node.items[segment];
      if (!item) break;
      best = item.start;
      node = item;
    } else break;
  }
  return best;
}
