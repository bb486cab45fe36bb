/**
 * Flow collections for the fast reader (fast-parse.ts): `[a, "b"]`, `{k: v, n: {m: 1}}`, `[]`, `{}`,
 * trailing commas, comments, spread over one or more lines. Scalars inside stay on one line. Every form
 * where go-yaml v2 and the `yaml` package could disagree, or that needs the full parser's rules, throws
 * `unsupported`: implicit single-pair maps in sequences (`[a: b]`), a plain scalar ending in `:` (`[001:db8::]`,
 * see go-yaml-flow.ts), keys without `: ` (`{a:b}`, `{"a":1}`), empty values, non-string keys, duplicate keys,
 * `?`/`:`-led scalars, anchors, aliases and tags.
 */

import { doubleQuoted, resolvePlain, singleQuoted, trimSpaces, unsupported } from "./fast-scalars.js";
import { MAX_SIMPLE_KEY_LENGTH } from "./go-yaml/scanner.js";

/** The meaningful lines of the document, as the block reader keeps them (by index). */
export interface FlowLines {
  readonly count: number;
  indent(index: number): number;
  /** What the line holds after its indentation. */
  content(index: number): string;
  /** 0-based line number in the file. */
  number(index: number): number;
}

/** Collects where each map key and sequence item starts (1-based column, 0-based line), when asked for. */
export class PositionRecorder {
  /**
   * Per collection, what was noted in it as key, line, column triples in the order noted: one array per collection
   * instead of a map and an object per entry, since most documents read again for a position ask for a few only.
   */
  private readonly entries = new Map<object, (string | number)[]>();
  /** Set when some position cannot be derived here and the full parser has to be asked. */
  incomplete = false;

  note(collection: object, key: string | number, line: number, column: number): void {
    const entries = this.entries.get(collection);
    if (entries) entries.push(key, line, column);
    else this.entries.set(collection, [key, line, column]);
  }

  /** Where the entry `key` of `collection` was last noted (0-based line, 1-based column), or undefined. */
  positionOf(collection: object, key: string | number): { line: number; column: number } | undefined {
    const entries = this.entries.get(collection);
    if (!entries) return undefined;
    for (let at = entries.length - 3; at >= 0; at -= 3) {
      if (entries[at] === key) return { line: entries[at + 1] as number, column: entries[at + 2] as number };
    }
    return undefined;
  }
}

export interface FlowResult {
  value: unknown;
  /** Index of the first line after the collection. */
  nextLine: number;
  /** What follows the closing bracket on the collection's last line. */
  rest: string;
}

const flowIndicators = ",[]{}";
const plainFirstForbidden = new Set(["&", "*", "!", "|", ">", "%", "@", "`", "#", ",", "[", "]", "{", "}", "?", ":", "'", '"']);

/**
 * Reads the flow collection that starts `first` (the rest of a block line). Continuation lines are taken
 * from `lines` at `nextLine` on and must be indented deeper than `blockIndent`, as the block collection
 * around the flow collection requires. `depth` is the collection's nesting depth (the document root is 0).
 */
export function readFlowCollection(
  first: string,
  start: { lineNumber: number; column: number },
  lines: FlowLines,
  nextLine: number,
  blockIndent: number,
  depth: number,
  maxDepth: number,
  canonicalKey: (key: string) => string,
  recorder?: PositionRecorder,
): FlowResult {
  const reader = new FlowReader(first, lines, nextLine, blockIndent, maxDepth, canonicalKey, recorder);
  reader.lineNumber = start.lineNumber;
  reader.column = start.column;
  const value = reader.collection(depth);
  return { value, nextLine: reader.lineIndex, rest: reader.text.slice(reader.offset) };
}

class FlowReader {
  offset = 0;
  /** Line (0-based) and column (1-based) of `text[0]`. */
  lineNumber = 0;
  column = 1;
  constructor(
    public text: string,
    private readonly lines: FlowLines,
    public lineIndex: number,
    private readonly blockIndent: number,
    private readonly maxDepth: number,
    private readonly canonicalKey: (key: string) => string,
    private readonly recorder?: PositionRecorder,
  ) {}

  collection(depth: number): unknown {
    if (depth >= this.maxDepth) throw unsupported;
    return this.text[this.offset] === "[" ? this.sequence(depth) : this.mapping(depth);
  }

  /** Skips spaces, comments and line breaks up to the next token. */
  private skipBlanks(): void {
    for (;;) {
      while (this.text.charCodeAt(this.offset) === 32) this.offset++;
      if (this.offset < this.text.length) {
        if (this.text[this.offset] !== "#") return;
        // A comment must be separated from the token before it.
        if (this.offset > 0 && this.text[this.offset - 1] !== " ") throw unsupported;
        this.offset = this.text.length;
      }
      const line = this.lineIndex;
      if (line >= this.lines.count || this.lines.indent(line) <= this.blockIndent) throw unsupported;
      this.lineIndex++;
      this.text = this.lines.content(line);
      this.offset = 0;
      this.lineNumber = this.lines.number(line);
      this.column = this.lines.indent(line) + 1;
    }
  }

  private value(depth: number): unknown {
    this.skipBlanks();
    const char = this.text[this.offset];
    if (char === "[" || char === "{") return this.collection(depth);
    if (char === '"' || char === "'") return this.quoted();
    return resolvePlain(this.plain());
  }

  private sequence(depth: number): unknown[] {
    this.offset++;
    const items: unknown[] = [];
    this.skipBlanks();
    if (this.text[this.offset] === "]") {
      this.offset++;
      return items;
    }
    for (;;) {
      if (this.recorder) {
        this.skipBlanks();
        this.recorder.note(items, items.length, this.lineNumber, this.column + this.offset);
      }
      items.push(this.value(depth + 1));
      this.skipBlanks();
      const char = this.text[this.offset++];
      if (char === "]") return items;
      if (char !== ",") throw unsupported;
      this.skipBlanks();
      if (this.text[this.offset] === "]") {
        this.offset++;
        return items;
      }
    }
  }

  private mapping(depth: number): Record<string, unknown> {
    this.offset++;
    const map: Record<string, unknown> = {};
    this.skipBlanks();
    if (this.text[this.offset] === "}") {
      this.offset++;
      return map;
    }
    for (;;) {
      const key = this.key(map);
      if (key === "__proto__" || key === "<<" || Object.prototype.hasOwnProperty.call(map, key)) throw unsupported;
      this.skipBlanks();
      const next = this.text[this.offset];
      if (next === "," || next === "}") throw unsupported;
      map[key] = this.value(depth + 1);
      this.skipBlanks();
      const char = this.text[this.offset++];
      if (char === "}") return map;
      if (char !== ",") throw unsupported;
      this.skipBlanks();
      if (this.text[this.offset] === "}") {
        this.offset++;
        return map;
      }
    }
  }

  /** A string key followed on its line by `: ` or `:` at the line's end. */
  private key(map: object): string {
    const char = this.text[this.offset];
    const line = this.lineNumber;
    const column = this.column + this.offset;
    const keyStart = this.offset;
    let key: string;
    if (char === '"' || char === "'") key = this.quoted();
    else {
      const value = resolvePlain(this.plain());
      if (typeof value !== "string") throw unsupported;
      key = value;
    }
    while (this.text.charCodeAt(this.offset) === 32) this.offset++;
    if (this.text[this.offset] !== ":" || this.offset - keyStart > MAX_SIMPLE_KEY_LENGTH) throw unsupported;
    const after = this.text[this.offset + 1];
    if (after !== undefined && after !== " ") throw unsupported;
    this.offset++;
    this.recorder?.note(map, key, line, column);
    return this.canonicalKey(key);
  }

  private quoted(): string {
    const [value, end] = this.text[this.offset] === '"' ? doubleQuoted(this.text, this.offset) : singleQuoted(this.text, this.offset);
    this.offset = end;
    return value;
  }

  /** A plain scalar on this line; `:` belongs to it unless a blank, a flow indicator or the line end follows. */
  private plain(): string {
    const text = this.text;
    const start = this.offset;
    const first = text[start];
    if (first === undefined || plainFirstForbidden.has(first)) throw unsupported;
    if (first === "-") {
      const second = text[start + 1];
      if (second === undefined || second === " " || flowIndicators.includes(second)) throw unsupported;
    }
    let end = start;
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end);
      if (code === 44 || code === 91 || code === 93 || code === 123 || code === 125) break;
      // go-yaml ends a plain scalar in a flow collection at `?` (then reads a key indicator); the full reader reports it.
      if (code === 63) throw unsupported;
      if (code === 58 /* : */) {
        const next = text[end + 1];
        if (next === undefined || next === " " || flowIndicators.includes(next)) break;
      } else if (code === 35 /* # */ && text.charCodeAt(end - 1) === 32) break;
    }
    this.offset = end;
    const plain = trimSpaces(text.slice(start, end));
    if (plain === "") throw unsupported;
    return plain;
  }
}
