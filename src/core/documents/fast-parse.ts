import { Unsupported, doubleQuoted, resolvePlain, singleQuoted, trimSpaces, unsupported } from "./fast-scalars.js";
import { firstNonPrintable, MAX_SIMPLE_KEY_LENGTH } from "./go-yaml/scanner.js";
import { splitManifest, type ManifestChunk } from "./kubectl-split.js";
import { PositionRecorder, readFlowCollection, type FlowLines } from "./fast-flow.js";

/**
 * A fast reader for the block-style YAML that manifests are almost always written in: block mappings and
 * sequences, plain and one-line quoted scalars, flow collections (fast-flow.ts), comments.
 * Plain scalars are resolved with the rules (and order) of the `yaml` package's YAML 1.1 schema configured
 * as kubectl reads YAML, so values are identical to the full parser's. Anything outside that subset
 * (anchors, aliases, tags, block scalars, multi-line scalars, tabs, CR, duplicate keys, `...`, directives)
 * makes it give up on the whole file, and the caller parses the file with the `yaml` package instead.
 */
export interface FastDocument {
  /** 0-based index of the YAML document in its file (as `parseAllDocuments` counts them). */
  index: number;
  value: unknown;
  /** 1-based line and column of the document's first node. */
  line: number;
  column: number;
  /** 0-based line where the document's text starts, and its text (for locating fields later). */
  firstLine: number;
  text: string;
}

// Characters that make the fast reader hand a document to the full reader: tabs, the line breaks other than
// LF (CR, NEL, U+2028, U+2029), byte order marks, and anything go-yaml refuses as a control character.
const leaveToFullReader = /[\t\r\x85\u2028\u2029\ufeff]|^(?:%|\.\.\.)/m;

/**
 * The fast reading of one document as kubectl splits a file (kubectl-split.ts): its value, null when it
 * holds no node (only comments and blank lines), or undefined when the full reader has to decide.
 */
export function parseFastChunk(chunk: ManifestChunk, maxDepth: number, recorder?: PositionRecorder): FastDocument | null | undefined {
  if (leaveToFullReader.test(chunk.text) || firstNonPrintable(chunk.text) !== -1) return undefined;
  try {
    const lines = meaningfulLines(chunk.text, chunk.line);
    if (lines.count === 0) return null;
    // Taken before reading: the reader moves a compact first line ("- key: value") to its body's column.
    const line = lines.number(0) + 1;
    const column = lines.indent(0) + 1;
    const value = new BlockParser(lines, maxDepth, recorder).parseDocument();
    if (value === null) return undefined;
    return {
      index: chunk.index,
      value,
      line,
      column,
      firstLine: chunk.line,
      text: chunk.text,
    };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** Every document of a file read by the fast reader, or undefined when any of them needs the full reader. */
export function parseFast(text: string, maxDepth: number): FastDocument[] | undefined {
  const split = splitManifest(text);
  if (split.problems.length > 0) return undefined;
  const documents: FastDocument[] = [];
  for (const chunk of split.chunks) {
    const document = parseFastChunk(chunk, maxDepth);
    if (document === undefined) return undefined;
    if (document) documents.push(document);
  }
  return documents;
}

/**
 * Where each field of an accepted document starts, found by reading its text once more while recording
 * positions: the rules of `locate` (map fields at their key, list items at the item, a missing path at its
 * closest existing ancestor) on the fast reader's own values. Undefined when a position needs the full parser.
 */
export function fastLocator(
  document: FastDocument,
): ((path: readonly (string | number)[]) => { line: number; column: number }) | undefined {
  const lines = meaningfulLines(document.text, document.firstLine);
  const recorder = new PositionRecorder();
  let value: unknown;
  try {
    value = new BlockParser(lines, Number.POSITIVE_INFINITY, recorder).parseDocument();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return recordedLocator(document, value, recorder);
}

type Position = { line: number; column: number };

/**
 * fastLocator's answers without reading the document again: the lines along the path are looked at, and only they.
 * Gives undefined where fastLocator has to decide (a path into a flow collection) and for every path of a document
 * with an item fastLocator leaves to the full reader (an empty list item).
 */
export function scanLocator(document: FastDocument): (path: readonly (string | number)[]) => Position | undefined {
  const lines = meaningfulLines(document.text, document.firstLine, true);
  if (lines.count === 0 || hasEmptyItem(lines)) return () => undefined;
  const root = { line: document.line, column: document.column };
  return (path) => {
    try {
      return scanPath(lines, path, root);
    } catch (error) {
      if (error instanceof Unsupported) return undefined;
      throw error;
    }
  };
}

/** Where the body of the list item that starts at `start` begins: after its `-` and the spaces that follow. */
function itemBody(text: string, start: number, end: number): number {
  let body = start + 1;
  while (body < end && text.charCodeAt(body) === 32) body++;
  return body;
}

/** Whether the text from `start` to `end` is empty or a comment. */
function isBlank(text: string, start: number, end: number): boolean {
  return start === end || text.charCodeAt(start) === 35;
}

/** Whether some list item is empty with no deeper line after it (fastLocator's `incomplete`). */
function hasEmptyItem(lines: LineTable): boolean {
  const text = lines.text;
  for (let index = 0; index < lines.count; index++) {
    let start = lines.start(index);
    const end = lines.end(index);
    let column = lines.indent(index);
    while (isSequenceEntryAt(text, start, end)) {
      const body = itemBody(text, start, end);
      if (isBlank(text, body, end)) {
        if (index + 1 === lines.count || lines.indent(index + 1) <= column) return true;
        break;
      }
      column += body - start;
      start = body;
    }
  }
  return false;
}

function scanPath(lines: LineTable, path: readonly (string | number)[], root: Position): Position | undefined {
  const text = lines.text;
  let best = root;
  // The node the path has reached: its first line, the column it starts at and where on that line it starts.
  let at = 0;
  let indent = lines.indent(0);
  let start = lines.start(0);
  for (let step = 0; step < path.length; step++) {
    const segment = path[step]!;
    const last = step === path.length - 1;
    if (isSequenceEntryAt(text, start, lines.end(at))) {
      if (typeof segment !== "number") return best;
      let item = -1;
      let index = at;
      let itemStart = start;
      for (; index < lines.count; index++) {
        if (index !== at) {
          if (lines.indent(index) > indent) continue;
          if (lines.indent(index) < indent || !lines.isSequenceEntry(index)) return best;
          itemStart = lines.start(index);
        }
        if (++item === segment) break;
      }
      if (index === lines.count) return best;
      const end = lines.end(index);
      const body = itemBody(text, itemStart, end);
      if (isBlank(text, body, end)) {
        // hasEmptyItem made sure a deeper line follows.
        at = index + 1;
        indent = lines.indent(at);
        start = lines.start(at);
        best = { line: lines.number(at) + 1, column: indent + 1 };
        continue;
      }
      best = { line: lines.number(index) + 1, column: indent + 1 + body - itemStart };
      if (isSequenceEntryAt(text, body, end) || keyEnd(text, body, end) !== -1) {
        at = index;
        indent += body - itemStart;
        start = body;
        continue;
      }
      // A value on the item's line: a scalar ends the path here; a path into a flow collection is fastLocator's.
      return !last && isFlowStart(text.charCodeAt(body)) ? undefined : best;
    }
    if (keyEnd(text, start, lines.end(at)) === -1) return undefined;
    const key = String(segment);
    let index = at;
    let keyStart = start;
    let colon = -1;
    for (; index < lines.count; index++) {
      if (index !== at) {
        if (lines.indent(index) > indent) continue;
        if (lines.indent(index) < indent) return best;
        // A list at the mapping's own indentation is the value of the key before it.
        if (lines.isSequenceEntry(index)) continue;
        keyStart = lines.start(index);
      }
      colon = keyEnd(text, keyStart, lines.end(index));
      if (colon === -1) return undefined;
      if (parseKey(text.slice(keyStart, colon)) === key) break;
    }
    if (index === lines.count) return best;
    best = { line: lines.number(index) + 1, column: indent + 1 };
    const end = lines.end(index);
    let rest = colon + 1;
    while (rest < end && text.charCodeAt(rest) === 32) rest++;
    if (isBlank(text, rest, end)) {
      const next = index + 1;
      if (next < lines.count && (lines.indent(next) > indent || (lines.indent(next) === indent && lines.isSequenceEntry(next)))) {
        at = next;
        indent = lines.indent(next);
        start = lines.start(next);
        continue;
      }
      return best;
    }
    return !last && isFlowStart(text.charCodeAt(rest)) ? undefined : best;
  }
  return best;
}

function isFlowStart(code: number): boolean {
  return code === 91 /* [ */ || code === 123; /* { */
}

/** fastLocator's answer from positions recorded while reading the document (parseFastChunk with a recorder). */
export function recordedLocator(
  document: FastDocument,
  value: unknown,
  recorder: PositionRecorder,
): ((path: readonly (string | number)[]) => { line: number; column: number }) | undefined {
  if (recorder.incomplete) return undefined;
  const root = { line: document.line, column: document.column };
  return (path) => {
    let node = value;
    let best = root;
    for (const segment of path) {
      if (typeof node !== "object" || node === null) break;
      const isList = Array.isArray(node);
      if (isList && typeof segment !== "number") break;
      const key = isList ? segment : String(segment);
      const at = recorder.positionOf(node, key);
      if (at === undefined) break;
      best = { line: at.line + 1, column: at.column };
      node = (node as Record<string | number, unknown>)[key];
    }
    return best;
  };
}

/**
 * The lines of a document that hold something (not blank, not only a comment), as offsets into its text rather than
 * an object and a string per line: four integers per line, the start and end of its content, its indentation and its
 * 0-based number in the file. The reader re-reads a compact line ("- key: value") by moving its start and indentation.
 */
class LineTable implements FlowLines {
  count = 0;
  constructor(
    readonly text: string,
    public data: Int32Array,
  ) {}

  start(index: number): number {
    return this.data[index * 4]!;
  }
  end(index: number): number {
    return this.data[index * 4 + 1]!;
  }
  indent(index: number): number {
    return this.data[index * 4 + 2]!;
  }
  number(index: number): number {
    return this.data[index * 4 + 3]!;
  }
  content(index: number): string {
    return this.text.slice(this.start(index), this.end(index));
  }
  isSequenceEntry(index: number): boolean {
    return isSequenceEntryAt(this.text, this.start(index), this.end(index));
  }
  /** Moves the line's start to `start`, `indent` columns from the line's beginning. */
  moveStart(index: number, start: number, indent: number): void {
    this.data[index * 4] = start;
    this.data[index * 4 + 2] = indent;
  }

  push(start: number, end: number, indent: number, number: number): void {
    let at = this.count * 4;
    if (at === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[at++] = start;
    this.data[at++] = end;
    this.data[at++] = indent;
    this.data[at] = number;
    this.count++;
  }
}

// The reader reads one document at a time and keeps nothing of its lines: one table serves them all.
let sharedLines: Int32Array = new Int32Array(4 * 1024);

/** The meaningful lines of `text`, numbered from `firstNumber`; in the shared table unless the caller keeps them. */
function meaningfulLines(text: string, firstNumber: number, kept = false): LineTable {
  const lines = new LineTable(text, sharedLines);
  let number = firstNumber;
  for (let start = 0; start <= text.length; number++) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    let content = start;
    while (content < end && text.charCodeAt(content) === 32) content++;
    if (content < end && text.charCodeAt(content) !== 35) lines.push(content, end, content - start, number);
    start = end + 1;
  }
  sharedLines = lines.data;
  if (kept) lines.data = lines.data.slice(0, lines.count * 4);
  return lines;
}

class BlockParser {
  private position = 0;
  private readonly text: string;
  constructor(
    private readonly lines: LineTable,
    private readonly maxDepth: number,
    private readonly recorder?: PositionRecorder,
  ) {
    this.text = lines.text;
  }

  parseDocument(): unknown {
    const value = this.parseNode(0);
    if (this.position < this.lines.count) throw unsupported;
    return value;
  }

  private parseNode(depth: number): unknown {
    // The root is depth 0 here and 1 for the full parser's limit check.
    if (depth >= this.maxDepth) throw unsupported;
    const lines = this.lines;
    const at = this.position;
    if (lines.isSequenceEntry(at)) return this.parseSequence(lines.indent(at), depth);
    if (keyEnd(this.text, lines.start(at), lines.end(at)) !== -1) return this.parseMapping(lines.indent(at), depth);
    throw unsupported;
  }

  private parseSequence(indent: number, depth: number): unknown[] {
    const items: unknown[] = [];
    const lines = this.lines;
    const text = this.text;
    while (this.position < lines.count) {
      const at = this.position;
      if (lines.indent(at) !== indent || !lines.isSequenceEntry(at)) break;
      const end = lines.end(at);
      let body = lines.start(at) + 1;
      while (body < end && text.charCodeAt(body) === 32) body++;
      if (body === end || text.charCodeAt(body) === 35 /* # */) {
        const next = ++this.position;
        if (next < lines.count && lines.indent(next) > indent) {
          this.recorder?.note(items, items.length, lines.number(next), lines.indent(next) + 1);
          items.push(this.parseNode(depth + 1));
        } else {
          // An empty item's position is the full parser's business.
          if (this.recorder) this.recorder.incomplete = true;
          items.push(null);
        }
        continue;
      }
      const column = indent + body - lines.start(at);
      this.recorder?.note(items, items.length, lines.number(at), column + 1);
      if (isSequenceEntryAt(text, body, end) || keyEnd(text, body, end) !== -1) {
        // A compact nested node ("- key: value" or "- - item"): the same line, re-read at the body's column.
        lines.moveStart(at, body, column);
        items.push(this.parseNode(depth + 1));
        continue;
      }
      this.position++;
      items.push(this.inlineValue(body, end, indent, depth, lines.number(at), column + 1));
    }
    // A list grown by push keeps room for 16 items, and every list read survives the run: most hold one to three,
    // and a copy holds exactly its items. The recorder knows lists by identity, so its lists stay as they are.
    return this.recorder || items.length > 12 ? items : items.slice();
  }

  private parseMapping(indent: number, depth: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    const lines = this.lines;
    const text = this.text;
    while (this.position < lines.count) {
      const at = this.position;
      const lineIndent = lines.indent(at);
      if (lineIndent !== indent) {
        if (lineIndent > indent) throw unsupported;
        break;
      }
      if (lines.isSequenceEntry(at)) break;
      const start = lines.start(at);
      const end = lines.end(at);
      const colon = keyEnd(text, start, end);
      if (colon === -1) throw unsupported;
      const key = parseKey(text.slice(start, colon));
      if (key === "__proto__" || key === "<<" || Object.prototype.hasOwnProperty.call(map, key)) throw unsupported;
      this.recorder?.note(map, key, lines.number(at), indent + 1);
      let rest = colon + 1;
      while (rest < end && text.charCodeAt(rest) === 32) rest++;
      const next = ++this.position;
      if (rest === end || text.charCodeAt(rest) === 35 /* # */) {
        if (next < lines.count && lines.indent(next) > indent) map[key] = this.parseNode(depth + 1);
        else if (next < lines.count && lines.indent(next) === indent && lines.isSequenceEntry(next))
          map[key] = this.parseSequence(indent, depth + 1);
        else map[key] = null;
      } else {
        map[key] = this.inlineValue(rest, end, indent, depth, lines.number(at), rest - start + indent + 1);
      }
    }
    return map;
  }

  /**
   * The value from `start` to `end` (the rest of a line); a following more-indented line would continue it, which is
   * not supported.
   */
  private inlineValue(start: number, end: number, indent: number, depth: number, lineNumber: number, column: number): unknown {
    const text = this.text;
    const lines = this.lines;
    const first = text.charCodeAt(start);
    if (first === 91 /* [ */ || first === 123 /* { */) {
      // A flow collection may go on over the following, deeper-indented lines.
      const flow = readFlowCollection(
        text.slice(start, end),
        { lineNumber, column },
        lines,
        this.position,
        indent,
        depth + 1,
        this.maxDepth,
        canonicalKey,
        this.recorder,
      );
      this.position = flow.nextLine;
      expectLineEnd(flow.rest);
      if (this.position < lines.count && lines.indent(this.position) > indent) throw unsupported;
      return flow.value;
    }
    if (this.position < lines.count && lines.indent(this.position) > indent) throw unsupported;
    if (first === 34 /* " */ || first === 39 /* ' */) {
      const [value, after] = first === 34 ? doubleQuoted(text, start, end) : singleQuoted(text, start, end);
      if (after < end) expectLineEnd(text.slice(after, end));
      return value.length < SHARED_LENGTH ? sharedString(value) : value;
    }
    if (plainStartForbidden(first) || (first === 45 /* - */ && (start + 1 === end || text.charCodeAt(start + 1) === 32))) throw unsupported;
    // The scalar ends at a comment (" #") and drops trailing spaces.
    let stop = end;
    for (let i = start; i + 1 < end; i++) {
      if (text.charCodeAt(i) === 32 && text.charCodeAt(i + 1) === 35) {
        stop = i;
        break;
      }
    }
    while (stop > start && text.charCodeAt(stop - 1) === 32) stop--;
    for (let i = start; i < stop; i++) {
      if (text.charCodeAt(i) === 58 /* : */ && (i + 1 === stop || text.charCodeAt(i + 1) === 32)) throw unsupported;
    }
    return stop - start < SHARED_LENGTH ? sharedPlain(text.slice(start, stop)) : resolvePlain(text.slice(start, stop));
  }
}

// What may not start a plain scalar: & * ! | > % @ ` # , ] } ? :
const forbiddenFirst = new Uint8Array(128);
for (const char of "&*!|>%@`#,]}?:") forbiddenFirst[char.charCodeAt(0)] = 1;

function plainStartForbidden(code: number): boolean {
  return code < 128 && forbiddenFirst[code] === 1;
}

function isSequenceEntryAt(text: string, start: number, end: number): boolean {
  return text.charCodeAt(start) === 45 && (start + 1 === end || text.charCodeAt(start + 1) === 32);
}

/** Index of the `:` that ends a plain or quoted key on the line from `start` to `end`, or -1 when it is no `key:` line. */
function keyEnd(text: string, start: number, end: number): number {
  const first = text.charCodeAt(start);
  if (first === 34 /* " */ || first === 39 /* ' */) {
    const [, after] = first === 34 ? doubleQuoted(text, start, end) : singleQuoted(text, start, end);
    if (!(after < end && text.charCodeAt(after) === 58 && (after + 1 === end || text.charCodeAt(after + 1) === 32))) return -1;
    if (after - start > MAX_SIMPLE_KEY_LENGTH) throw unsupported;
    return after;
  }
  if (start === end || plainStartForbidden(first) || first === 91 || first === 123 || isSequenceEntryAt(text, start, end)) return -1;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 58 /* : */ && (i + 1 === end || text.charCodeAt(i + 1) === 32)) {
      // go-yaml takes a key only when its `:` is at most 1,024 characters from its start; longer ones go to the full reader.
      if (i - start > MAX_SIMPLE_KEY_LENGTH) throw unsupported;
      return i;
    }
    if (code === 35 /* # */ && i > start && text.charCodeAt(i - 1) === 32) return -1;
  }
  return -1;
}

// Short scalars repeat across documents (`http`, `v1`, `PathPrefix`, `80`) and every document read survives the run:
// one value per text, shared by all documents, instead of a fresh copy per occurrence. V8 copies substrings shorter
// than 13 characters; longer ones are slices of the file and cost little each.
const SHARED_LENGTH = 13;
const plainValues = new Map<string, unknown>();
const quotedValues = new Map<string, string>();

/** resolvePlain's value for `text`, the same value for every occurrence of the text. */
function sharedPlain(text: string): unknown {
  const known = plainValues.get(text);
  if (known !== undefined) return known;
  const value = resolvePlain(text);
  if (plainValues.size < 10_000) plainValues.set(text, value);
  return value;
}

function sharedString(value: string): string {
  const known = quotedValues.get(value);
  if (known !== undefined) return known;
  if (quotedValues.size < 10_000) quotedValues.set(value, value);
  return value;
}

// Keys repeat across documents (apiVersion, metadata, name, …). Returning one canonical string per key
// spares V8 hashing and internalizing a fresh slice of the file at every property lookup later on.
const canonicalKeys = new Map<string, string>();

function canonicalKey(key: string): string {
  const known = canonicalKeys.get(key);
  if (known !== undefined) return known;
  if (canonicalKeys.size < 10_000) canonicalKeys.set(key, key);
  return key;
}

// The key each key text reads as: the same few texts (`name`, `port`, …) are read over and over.
const keysByText = new Map<string, string>();

function parseKey(text: string): string {
  const known = keysByText.get(text);
  if (known !== undefined) return known;
  const key = canonicalKey(readKey(text));
  if (keysByText.size < 10_000) keysByText.set(text, key);
  return key;
}

function readKey(text: string): string {
  const first = text[0];
  if (first === '"') return doubleQuoted(text)[0];
  if (first === "'") return singleQuoted(text)[0];
  const key = trimSpaces(text);
  const value = resolvePlain(key);
  if (typeof value !== "string") throw unsupported;
  return value;
}

function expectLineEnd(rest: string): void {
  const trimmed = rest.trimStart();
  if (trimmed !== "" && !(trimmed.startsWith("#") && rest.length > trimmed.length)) throw unsupported;
}
