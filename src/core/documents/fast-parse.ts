import { Unsupported, doubleQuoted, resolvePlain, singleQuoted, trimSpaces, unsupported } from "./fast-scalars.js";
import { firstNonPrintable, MAX_SIMPLE_KEY_LENGTH } from "./go-yaml/scanner.js";
import { splitManifest, type ManifestChunk } from "./kubectl-split.js";
import { PositionRecorder, readFlowCollection } from "./fast-flow.js";

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

interface Line {
  indent: number;
  content: string;
  number: number;
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
    if (lines.length === 0) return null;
    // Taken before reading: the reader rewrites a compact first line ("- key: value") at its body's column.
    const line = lines[0]!.number + 1;
    const column = lines[0]!.indent + 1;
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
  const lines = meaningfulLines(document.text, document.firstLine);
  if (lines.length === 0 || hasEmptyItem(lines)) return () => undefined;
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

/** Whether some list item is empty with no deeper line after it (fastLocator's `incomplete`). */
function hasEmptyItem(lines: readonly Line[]): boolean {
  for (let index = 0; index < lines.length; index++) {
    let content = lines[index]!.content;
    let column = lines[index]!.indent;
    while (isSequenceEntry(content)) {
      let spaces = 1;
      while (content.charCodeAt(spaces) === 32) spaces++;
      const body = content.slice(spaces);
      if (body === "" || body.startsWith("#")) {
        const next = lines[index + 1];
        if (!next || next.indent <= column) return true;
        break;
      }
      column += spaces;
      content = body;
    }
  }
  return false;
}

function scanPath(lines: readonly Line[], path: readonly (string | number)[], root: Position): Position | undefined {
  let best = root;
  // The node the path has reached: its first line, the column it starts at and what it holds from there.
  let at = 0;
  let indent = lines[0]!.indent;
  let content = lines[0]!.content;
  for (let step = 0; step < path.length; step++) {
    const segment = path[step]!;
    const last = step === path.length - 1;
    if (isSequenceEntry(content)) {
      if (typeof segment !== "number") return best;
      let item = -1;
      let index = at;
      let itemContent = content;
      for (; index < lines.length; index++) {
        const line = lines[index]!;
        if (index !== at) {
          if (line.indent > indent) continue;
          if (line.indent < indent || !isSequenceEntry(line.content)) return best;
          itemContent = line.content;
        }
        if (++item === segment) break;
      }
      if (index === lines.length) return best;
      let spaces = 1;
      while (itemContent.charCodeAt(spaces) === 32) spaces++;
      const body = itemContent.slice(spaces);
      const line = lines[index]!;
      if (body === "" || body.startsWith("#")) {
        // hasEmptyItem made sure a deeper line follows.
        const next = lines[index + 1]!;
        best = { line: next.number + 1, column: next.indent + 1 };
        at = index + 1;
        indent = next.indent;
        content = next.content;
        continue;
      }
      best = { line: line.number + 1, column: indent + 1 + spaces };
      if (isSequenceEntry(body) || keyEnd(body) !== -1) {
        at = index;
        indent += spaces;
        content = body;
        continue;
      }
      // A value on the item's line: a scalar ends the path here; a path into a flow collection is fastLocator's.
      return !last && (body[0] === "[" || body[0] === "{") ? undefined : best;
    }
    if (keyEnd(content) === -1) return undefined;
    const key = String(segment);
    let index = at;
    let keyContent = content;
    let end = -1;
    for (; index < lines.length; index++) {
      const line = lines[index]!;
      if (index !== at) {
        if (line.indent > indent) continue;
        if (line.indent < indent) return best;
        // A list at the mapping's own indentation is the value of the key before it.
        if (isSequenceEntry(line.content)) continue;
        keyContent = line.content;
      }
      end = keyEnd(keyContent);
      if (end === -1) return undefined;
      if (parseKey(keyContent.slice(0, end)) === key) break;
    }
    if (index === lines.length) return best;
    const line = lines[index]!;
    best = { line: line.number + 1, column: indent + 1 };
    let rest = keyContent.slice(end + 1);
    let spaces = 0;
    while (rest.charCodeAt(spaces) === 32) spaces++;
    rest = rest.slice(spaces);
    if (rest === "" || rest.startsWith("#")) {
      const next = lines[index + 1];
      if (next && (next.indent > indent || (next.indent === indent && isSequenceEntry(next.content)))) {
        at = index + 1;
        indent = next.indent;
        content = next.content;
        continue;
      }
      return best;
    }
    return !last && (rest[0] === "[" || rest[0] === "{") ? undefined : best;
  }
  return best;
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

/** The lines of `text` that hold something (not blank, not only a comment), numbered from `firstNumber`. */
function meaningfulLines(text: string, firstNumber: number): Line[] {
  const lines: Line[] = [];
  let number = firstNumber;
  for (let start = 0; start <= text.length; number++) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    let content = start;
    while (content < end && text.charCodeAt(content) === 32) content++;
    if (content < end && text.charCodeAt(content) !== 35)
      lines.push({ indent: content - start, content: text.slice(content, end), number });
    start = end + 1;
  }
  return lines;
}

const plainStartForbidden = new Set(["&", "*", "!", "|", ">", "%", "@", "`", "#", ",", "]", "}", "?", ":"]);

class BlockParser {
  private position = 0;
  constructor(
    private readonly lines: Line[],
    private readonly maxDepth: number,
    private readonly recorder?: PositionRecorder,
  ) {}

  parseDocument(): unknown {
    const first = this.lines[0]!;
    const value = this.parseNode(first.indent, 0);
    if (this.position < this.lines.length) throw unsupported;
    return value;
  }

  private parseNode(indent: number, depth: number): unknown {
    // The root is depth 0 here and 1 for the full parser's limit check.
    if (depth >= this.maxDepth) throw unsupported;
    const line = this.lines[this.position]!;
    if (isSequenceEntry(line.content)) return this.parseSequence(line.indent, depth);
    if (keyEnd(line.content) !== -1) return this.parseMapping(line.indent, depth);
    void indent;
    throw unsupported;
  }

  private parseSequence(indent: number, depth: number): unknown[] {
    const items: unknown[] = [];
    while (this.position < this.lines.length) {
      const line = this.lines[this.position]!;
      if (line.indent !== indent || !isSequenceEntry(line.content)) break;
      const rest = line.content.slice(1);
      let spaces = 0;
      while (rest.charCodeAt(spaces) === 32) spaces++;
      const body = rest.slice(spaces);
      if (body === "" || body.startsWith("#")) {
        this.position++;
        const next = this.lines[this.position];
        if (next && next.indent > indent) {
          this.recorder?.note(items, items.length, next.number, next.indent + 1);
          items.push(this.parseNode(next.indent, depth + 1));
        } else {
          // An empty item's position is the full parser's business.
          if (this.recorder) this.recorder.incomplete = true;
          items.push(null);
        }
        continue;
      }
      this.recorder?.note(items, items.length, line.number, indent + 2 + spaces);
      if (isSequenceEntry(body) || keyEnd(body) !== -1) {
        // A compact nested node ("- key: value" or "- - item"): the same line, re-read at the body's column.
        this.lines[this.position] = { indent: indent + 1 + spaces, content: body, number: line.number };
        items.push(this.parseNode(indent + 1 + spaces, depth + 1));
        continue;
      }
      this.position++;
      items.push(this.inlineValue(body, indent, depth, line.number, indent + 2 + spaces));
    }
    return items;
  }

  private parseMapping(indent: number, depth: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    while (this.position < this.lines.length) {
      const line = this.lines[this.position]!;
      if (line.indent !== indent) {
        if (line.indent > indent) throw unsupported;
        break;
      }
      if (isSequenceEntry(line.content)) break;
      const end = keyEnd(line.content);
      if (end === -1) throw unsupported;
      const key = parseKey(line.content.slice(0, end));
      if (key === "__proto__" || key === "<<" || Object.prototype.hasOwnProperty.call(map, key)) throw unsupported;
      this.recorder?.note(map, key, line.number, indent + 1);
      let rest = line.content.slice(end + 1);
      let spaces = 0;
      while (rest.charCodeAt(spaces) === 32) spaces++;
      rest = rest.slice(spaces);
      this.position++;
      if (rest === "" || rest.startsWith("#")) {
        const next = this.lines[this.position];
        if (next && next.indent > indent) map[key] = this.parseNode(next.indent, depth + 1);
        else if (next && next.indent === indent && isSequenceEntry(next.content)) map[key] = this.parseSequence(indent, depth + 1);
        else map[key] = null;
      } else {
        map[key] = this.inlineValue(rest, indent, depth, line.number, line.content.length - rest.length + indent + 1);
      }
    }
    return map;
  }

  /** A value on the rest of a line; a following more-indented line would continue it, which is not supported. */
  private inlineValue(text: string, indent: number, depth: number, lineNumber: number, column: number): unknown {
    const first = text[0]!;
    if (first === "[" || first === "{") {
      // A flow collection may go on over the following, deeper-indented lines.
      const start = { lineNumber, column };
      const flow = readFlowCollection(
        text,
        start,
        this.lines,
        this.position,
        indent,
        depth + 1,
        this.maxDepth,
        canonicalKey,
        this.recorder,
      );
      this.position = flow.nextLine;
      expectLineEnd(flow.rest);
      const after = this.lines[this.position];
      if (after && after.indent > indent) throw unsupported;
      return flow.value;
    }
    const next = this.lines[this.position];
    if (next && next.indent > indent) throw unsupported;
    if (first === '"' || first === "'") {
      const [value, end] = first === '"' ? doubleQuoted(text) : singleQuoted(text);
      expectLineEnd(text.slice(end));
      return value;
    }
    if (plainStartForbidden.has(first) || (first === "-" && (text[1] === " " || text.length === 1))) throw unsupported;
    const plain = stripComment(text);
    if (plain.includes(": ") || plain.endsWith(":")) throw unsupported;
    return resolvePlain(plain);
  }
}

function isSequenceEntry(content: string): boolean {
  return content.charCodeAt(0) === 45 && (content.length === 1 || content.charCodeAt(1) === 32);
}

/** Index of the `:` that ends a plain or quoted key on this line, or -1 when the line is no `key:` line. */
function keyEnd(content: string): number {
  const first = content[0];
  if (first === '"' || first === "'") {
    const [, end] = first === '"' ? doubleQuoted(content) : singleQuoted(content);
    if (!(content[end] === ":" && (end + 1 === content.length || content[end + 1] === " "))) return -1;
    if (end > MAX_SIMPLE_KEY_LENGTH) throw unsupported;
    return end;
  }
  if (first === undefined || plainStartForbidden.has(first) || first === "[" || first === "{" || isSequenceEntry(content)) return -1;
  for (let i = 0; i < content.length; i++) {
    const code = content.charCodeAt(i);
    if (code === 58 /* : */ && (i + 1 === content.length || content.charCodeAt(i + 1) === 32)) {
      // go-yaml takes a key only when its `:` is at most 1,024 characters from its start; longer ones go to the full reader.
      if (i > MAX_SIMPLE_KEY_LENGTH) throw unsupported;
      return i;
    }
    if (code === 35 /* # */ && content.charCodeAt(i - 1) === 32) return -1;
  }
  return -1;
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

function stripComment(text: string): string {
  const hash = text.indexOf(" #");
  return trimSpaces(hash === -1 ? text : text.slice(0, hash));
}

function expectLineEnd(rest: string): void {
  const trimmed = rest.trimStart();
  if (trimmed !== "" && !(trimmed.startsWith("#") && rest.length > trimmed.length)) throw unsupported;
}
