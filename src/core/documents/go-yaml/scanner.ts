/**
 * The token scanner of kubectl's YAML reader (go-yaml v2, itself a port of libyaml), re-implemented so
 * that mesh accepts and rejects exactly what kubectl does: the same simple-key rules (a key and its `:`
 * on one line, at most 1,024 characters apart), the same plain-scalar ends in flow collections (`:` ends
 * one only before a blank; `?` and flow indicators always do), the same line breaks (LF, CR, CRLF, NEL,
 * U+2028, U+2029) and the same printable-character check.
 */

import { YamlError, type Mark } from "./errors.js";

export type { Mark };

export type ScalarStyle = "plain" | "single" | "double" | "literal" | "folded";

export type TokenType =
  | "stream-start"
  | "stream-end"
  | "version-directive"
  | "tag-directive"
  | "document-start"
  | "document-end"
  | "block-sequence-start"
  | "block-mapping-start"
  | "block-end"
  | "flow-sequence-start"
  | "flow-sequence-end"
  | "flow-mapping-start"
  | "flow-mapping-end"
  | "block-entry"
  | "flow-entry"
  | "key"
  | "value"
  | "alias"
  | "anchor"
  | "tag"
  | "scalar";

export interface Token {
  type: TokenType;
  start: Mark;
  end: Mark;
  /** Scalar text, anchor or alias name, tag handle, %TAG handle. */
  value?: string;
  /** Tag suffix, %TAG prefix. */
  suffix?: string;
  style?: ScalarStyle;
  major?: number;
  minor?: number;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

/** Longest distance, in characters, between the start of a simple (implicit) key and its `:`. */
export const MAX_SIMPLE_KEY_LENGTH = 1024;

const maxFlowLevel = 10_000;
const maxIndents = 10_000;

function isBreakCode(code: number): boolean {
  return code === 10 || code === 13 || code === 0x85 || code === 0x2028 || code === 0x2029;
}
function isBlankCode(code: number): boolean {
  return code === 32 || code === 9;
}
function isAlphaCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45;
}
function isHexCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

const notPrintable = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Offset of the first character go-yaml refuses to read ("control characters are not allowed"), or -1. */
export function firstNonPrintable(text: string): number {
  const match = notPrintable.exec(text);
  return match ? match.index : -1;
}

/**
 * What separates two words of a quoted or plain scalar: blanks on one line, or a first line break (`leadingBreak`)
 * and any further empty lines (`trailingBreaks`), which YAML folds into a space or keeps as newlines.
 */
class ScalarGap {
  leadingBlanks = false;
  whitespaces = "";
  leadingBreak = "";
  trailingBreaks = "";

  pending(): boolean {
    return this.leadingBlanks || this.whitespaces !== "";
  }

  /** The text the gap stands for in the scalar's value; empties the gap. */
  fold(): string {
    let text = this.whitespaces;
    if (this.leadingBlanks) {
      if (this.leadingBreak.startsWith("\n")) text = this.trailingBreaks === "" ? " " : this.trailingBreaks;
      else text = this.leadingBreak + this.trailingBreaks;
    }
    this.leadingBlanks = false;
    this.whitespaces = "";
    this.leadingBreak = "";
    this.trailingBreaks = "";
    return text;
  }
}

export class Scanner {
  private pos = 0;
  private index = 0;
  private line = 0;
  private column = 0;
  private readonly tokens: Token[] = [];
  private head = 0;
  private tokensParsed = 0;
  private tokenAvailable = false;
  private streamStartProduced = false;
  private streamEndProduced = false;
  private indent = -1;
  private readonly indents: number[] = [];
  private simpleKeyAllowed = false;
  private readonly simpleKeys: SimpleKey[] = [];
  private flowLevel = 0;
  /** Where go-yaml would stop reading with "control characters are not allowed". */
  private readonly badCharacter: number;

  constructor(private readonly text: string) {
    const bad = firstNonPrintable(text);
    this.badCharacter = bad === -1 ? Number.POSITIVE_INFINITY : bad;
    // The reader drops a byte order mark at the start of the stream.
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** The furthest offset the scanner has looked at. */
  get offset(): number {
    return this.pos;
  }

  peek(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.head]!;
  }

  skip(): void {
    const token = this.tokens[this.head]!;
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = token.type === "stream-end";
    this.head++;
    if (this.head > 64 && this.head * 2 > this.tokens.length) {
      this.tokens.splice(0, this.head);
      this.head = 0;
    }
  }

  // ---- characters ----

  private code(ahead = 0): number {
    const at = this.pos + ahead;
    if (at >= this.text.length) return 0;
    if (at >= this.badCharacter) this.fail("", this.mark(), "control characters are not allowed");
    return this.text.charCodeAt(at);
  }
  private isZ(ahead = 0): boolean {
    return this.pos + ahead >= this.text.length;
  }
  private isBreak(ahead = 0): boolean {
    return isBreakCode(this.code(ahead));
  }
  private isBlank(ahead = 0): boolean {
    return isBlankCode(this.code(ahead));
  }
  private isBlankZ(ahead = 0): boolean {
    return this.isZ(ahead) || this.isBlank(ahead) || this.isBreak(ahead);
  }
  private isBreakZ(ahead = 0): boolean {
    return this.isZ(ahead) || this.isBreak(ahead);
  }

  private mark(): Mark {
    return { offset: this.pos, index: this.index, line: this.line, column: this.column };
  }

  /** Advances over one character (a surrogate pair counts as one). */
  private advance(): void {
    const code = this.text.charCodeAt(this.pos);
    this.pos += code >= 0xd800 && code <= 0xdbff && this.pos + 1 < this.text.length ? 2 : 1;
    this.index++;
    this.column++;
  }

  private read(): string {
    const start = this.pos;
    this.code();
    this.advance();
    return this.text.slice(start, this.pos);
  }

  private skipLine(): void {
    const code = this.code();
    if (code === 13 && this.code(1) === 10) {
      this.pos += 2;
      this.index += 2;
    } else if (isBreakCode(code)) {
      this.pos += 1;
      this.index += 1;
    } else return;
    this.column = 0;
    this.line++;
  }

  /** A line break as go-yaml copies it into a scalar: CR, LF, CRLF and NEL become "\n"; LS and PS stay. */
  private readLine(): string {
    const code = this.code();
    let out: string;
    if (code === 13 || code === 10 || code === 0x85) out = "\n";
    else if (code === 0x2028 || code === 0x2029) out = String.fromCharCode(code);
    else return "";
    this.skipLine();
    return out;
  }

  private fail(context: string, contextMark: Mark, problem: string, at: Mark = this.mark()): never {
    throw new YamlError(problem, at, context, contextMark);
  }

  // ---- token queue ----

  private insertToken(position: number, token: Token): void {
    if (position < 0) this.tokens.push(token);
    else this.tokens.splice(this.head + position, 0, token);
  }

  private fetchMoreTokens(): void {
    for (;;) {
      let needMore = false;
      if (this.head === this.tokens.length) needMore = true;
      else {
        for (const key of this.simpleKeys) {
          if (key.possible && key.tokenNumber === this.tokensParsed && this.simpleKeyIsValid(key)) {
            needMore = true;
            break;
          }
        }
      }
      if (!needMore) break;
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private fetchNextToken(): void {
    if (!this.streamStartProduced) return this.fetchStreamStart();
    this.scanToNextToken();
    this.unrollIndent(this.column);
    if (this.isZ()) return this.fetchStreamEnd();
    const c = this.code();
    if (this.column === 0 && c === 37 /* % */) return this.fetchDirective();
    if (this.column === 0 && c === 45 && this.code(1) === 45 && this.code(2) === 45 && this.isBlankZ(3))
      return this.fetchDocumentIndicator("document-start");
    if (this.column === 0 && c === 46 && this.code(1) === 46 && this.code(2) === 46 && this.isBlankZ(3))
      return this.fetchDocumentIndicator("document-end");
    switch (c) {
      case 91:
        return this.fetchFlowCollectionStart("flow-sequence-start");
      case 123:
        return this.fetchFlowCollectionStart("flow-mapping-start");
      case 93:
        return this.fetchFlowCollectionEnd("flow-sequence-end");
      case 125:
        return this.fetchFlowCollectionEnd("flow-mapping-end");
      case 44:
        return this.fetchFlowEntry();
    }
    if (c === 45 && this.isBlankZ(1)) return this.fetchBlockEntry();
    if (c === 63 && (this.flowLevel > 0 || this.isBlankZ(1))) return this.fetchKey();
    if (c === 58 && (this.flowLevel > 0 || this.isBlankZ(1))) return this.fetchValue();
    if (c === 42) return this.fetchPossibleKey(() => this.scanAnchor("alias"));
    if (c === 38) return this.fetchPossibleKey(() => this.scanAnchor("anchor"));
    if (c === 33) return this.fetchPossibleKey(() => this.scanTag());
    if (c === 124 && this.flowLevel === 0) return this.fetchBlockScalar(true);
    if (c === 62 && this.flowLevel === 0) return this.fetchBlockScalar(false);
    if (c === 39) return this.fetchPossibleKey(() => this.scanFlowScalar(true));
    if (c === 34) return this.fetchPossibleKey(() => this.scanFlowScalar(false));
    const indicator = "-?:,[]{}#&*!|>'\"%@`".includes(String.fromCharCode(c));
    if (
      !(this.isBlankZ() || indicator) ||
      (c === 45 && !this.isBlank(1)) ||
      (this.flowLevel === 0 && (c === 63 || c === 58) && !this.isBlankZ(1))
    )
      return this.fetchPossibleKey(() => this.scanPlainScalar());
    this.fail("while scanning for the next token", this.mark(), "found character that cannot start any token");
  }

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.mark.line < this.line || key.mark.index + MAX_SIMPLE_KEY_LENGTH < this.index) {
      if (key.required) this.fail("while scanning a simple key", key.mark, "could not find expected ':'");
      key.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.column;
    if (!this.simpleKeyAllowed) return;
    const key: SimpleKey = {
      possible: true,
      required,
      tokenNumber: this.tokensParsed + (this.tokens.length - this.head),
      mark: this.mark(),
    };
    this.removeSimpleKey();
    this.simpleKeys[this.simpleKeys.length - 1] = key;
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (key.possible) {
      if (key.required) this.fail("while scanning a simple key", key.mark, "could not find expected ':'");
      key.possible = false;
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({
      possible: false,
      required: false,
      tokenNumber: this.tokensParsed + (this.tokens.length - this.head),
      mark: this.mark(),
    });
    this.flowLevel++;
    if (this.flowLevel > maxFlowLevel) this.fail("while increasing flow level", this.mark(), `exceeded max depth of ${maxFlowLevel}`);
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      this.simpleKeys.pop();
    }
  }

  private rollIndent(column: number, tokenNumber: number, type: TokenType, mark: Mark): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > maxIndents) this.fail("while increasing indent level", mark, `exceeded max depth of ${maxIndents}`);
      const token: Token = { type, start: mark, end: mark };
      this.insertToken(tokenNumber > -1 ? tokenNumber - this.tokensParsed : -1, token);
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      const mark = this.mark();
      this.insertToken(-1, { type: "block-end", start: mark, end: mark });
      this.indent = this.indents.pop()!;
    }
  }

  private fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: this.mark() });
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    const mark = this.mark();
    this.insertToken(-1, { type: "stream-start", start: mark, end: mark });
  }

  private fetchStreamEnd(): void {
    if (this.column !== 0) {
      this.column = 0;
      this.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const mark = this.mark();
    this.insertToken(-1, { type: "stream-end", start: mark, end: mark });
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: TokenType): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.mark();
    this.advance();
    this.advance();
    this.advance();
    this.insertToken(-1, { type, start, end: this.mark() });
  }

  /** Consumes a one-character indicator as a token of `type`. */
  private takeIndicator(type: TokenType): void {
    const start = this.mark();
    this.advance();
    this.insertToken(-1, { type, start, end: this.mark() });
  }

  private fetchFlowCollectionStart(type: TokenType): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    this.takeIndicator(type);
  }

  private fetchFlowCollectionEnd(type: TokenType): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    this.takeIndicator(type);
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.takeIndicator("flow-entry");
  }

  /** In block context a `-` or `?` may open a collection at its column, where a simple key could start. */
  private openBlockCollection(entries: string, type: TokenType): void {
    if (this.flowLevel !== 0) return;
    if (!this.simpleKeyAllowed) this.fail("", this.mark(), `${entries} are not allowed in this context`);
    this.rollIndent(this.column, -1, type, this.mark());
  }

  private fetchBlockEntry(): void {
    this.openBlockCollection("block sequence entries", "block-sequence-start");
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.takeIndicator("block-entry");
  }

  private fetchKey(): void {
    this.openBlockCollection("mapping keys", "block-mapping-start");
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    this.takeIndicator("key");
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (this.simpleKeyIsValid(key)) {
      this.insertToken(key.tokenNumber - this.tokensParsed, { type: "key", start: key.mark, end: key.mark });
      this.rollIndent(key.mark.column, key.tokenNumber, "block-mapping-start", key.mark);
      key.possible = false;
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) this.fail("", this.mark(), "mapping values are not allowed in this context");
        this.rollIndent(this.column, -1, "block-mapping-start", this.mark());
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.takeIndicator("value");
  }

  /**
   * go-yaml's fetch of an alias, anchor, tag, quoted or plain scalar: the token may start a simple key, and no
   * other simple key can start right after it. `scan` runs after the possible key is saved at the current mark.
   */
  private fetchPossibleKey(scan: () => Token): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, scan());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  private scanToNextToken(): void {
    for (;;) {
      while (this.code() === 32 || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.code() === 9)) this.advance();
      if (this.code() === 35) {
        while (!this.isBreakZ()) this.advance();
      }
      if (this.isBreak()) {
        this.skipLine();
        if (this.flowLevel === 0) this.simpleKeyAllowed = true;
      } else break;
    }
  }

  // ---- directives ----

  private scanDirective(): Token {
    const start = this.mark();
    this.advance();
    const name = this.scanDirectiveName(start);
    let token: Token;
    if (name === "YAML") {
      this.skipBlanks();
      const major = this.scanVersionNumber(start);
      if (this.code() !== 46) this.fail("while scanning a %YAML directive", start, "did not find expected digit or '.' character");
      this.advance();
      const minor = this.scanVersionNumber(start);
      token = { type: "version-directive", start, end: this.mark(), major, minor };
    } else if (name === "TAG") {
      this.skipBlanks();
      const handle = this.scanTagHandle(true, start);
      if (!this.isBlank()) this.fail("while scanning a %TAG directive", start, "did not find expected whitespace");
      this.skipBlanks();
      const prefix = this.scanTagUri(true, "", start);
      if (!this.isBlankZ()) this.fail("while scanning a %TAG directive", start, "did not find expected whitespace or line break");
      token = { type: "tag-directive", start, end: this.mark(), value: handle, suffix: prefix };
    } else {
      this.fail("while scanning a directive", start, "found unknown directive name");
    }
    this.skipBlanks();
    if (this.code() === 35) while (!this.isBreakZ()) this.advance();
    if (!this.isBreakZ()) this.fail("while scanning a directive", start, "did not find expected comment or line break");
    if (this.isBreak()) this.skipLine();
    return token;
  }

  private skipBlanks(): void {
    while (this.isBlank()) this.advance();
  }

  private scanDirectiveName(start: Mark): string {
    let name = "";
    while (isAlphaCode(this.code())) name += this.read();
    if (name === "") this.fail("while scanning a directive", start, "could not find expected directive name");
    if (!this.isBlankZ()) this.fail("while scanning a directive", start, "found unexpected non-alphabetical character");
    return name;
  }

  private scanVersionNumber(start: Mark): number {
    let value = 0;
    let length = 0;
    while (this.code() >= 48 && this.code() <= 57) {
      if (++length > 9) this.fail("while scanning a %YAML directive", start, "found extremely long version number");
      value = value * 10 + (this.code() - 48);
      this.advance();
    }
    if (length === 0) this.fail("while scanning a %YAML directive", start, "did not find expected version number");
    return value;
  }

  // ---- anchors and tags ----

  private scanAnchor(type: "alias" | "anchor"): Token {
    const start = this.mark();
    this.advance();
    let name = "";
    while (isAlphaCode(this.code())) name += this.read();
    const end = this.mark();
    const c = this.code();
    if (name === "" || !(this.isBlankZ() || c === 63 || c === 58 || c === 44 || c === 93 || c === 125 || c === 37 || c === 64 || c === 96))
      this.fail(
        type === "anchor" ? "while scanning an anchor" : "while scanning an alias",
        start,
        "did not find expected alphabetic or numeric character",
      );
    return { type, start, end, value: name };
  }

  private scanTag(): Token {
    const start = this.mark();
    let handle: string;
    let suffix: string;
    if (this.code(1) === 60 /* < */) {
      handle = "";
      this.advance();
      this.advance();
      suffix = this.scanTagUri(false, "", start);
      if (this.code() !== 62) this.fail("while scanning a tag", start, "did not find the expected '>'");
      this.advance();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle.length > 1 && handle.startsWith("!") && handle.endsWith("!")) {
        suffix = this.scanTagUri(false, "", start);
      } else {
        suffix = this.scanTagUri(false, handle, start);
        handle = "!";
        if (suffix === "") {
          suffix = "!";
          handle = "";
        }
      }
    }
    if (!this.isBlankZ()) this.fail("while scanning a tag", start, "did not find expected whitespace or line break");
    return { type: "tag", start, end: this.mark(), value: handle, suffix };
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    const context = directive ? "while parsing a %TAG directive" : "while parsing a tag";
    if (this.code() !== 33) this.fail(context, start, "did not find expected '!'");
    let handle = this.read();
    while (isAlphaCode(this.code())) handle += this.read();
    if (this.code() === 33) handle += this.read();
    else if (directive && handle !== "!") this.fail(context, start, "did not find expected '!'");
    return handle;
  }

  private scanTagUri(directive: boolean, head: string, start: Mark): string {
    const context = directive ? "while parsing a %TAG directive" : "while parsing a tag";
    let uri = head.length > 1 ? head.slice(1) : "";
    let hasTag = head.length > 0;
    for (;;) {
      const c = this.code();
      if (!(isAlphaCode(c) || (";/?:@&=+$,.!~*'()[]%".includes(String.fromCharCode(c)) && c !== 0))) break;
      if (c === 37) uri += this.scanUriEscapes(context, start);
      else uri += this.read();
      hasTag = true;
    }
    if (!hasTag) this.fail(context, start, "did not find expected tag URI");
    return uri;
  }

  private scanUriEscapes(context: string, start: Mark): string {
    const bytes: number[] = [];
    let width = 1024;
    while (width > 0) {
      if (!(this.code() === 37 && isHexCode(this.code(1)) && isHexCode(this.code(2))))
        this.fail(context, start, "did not find URI escaped octet");
      const octet = parseInt(this.text.slice(this.pos + 1, this.pos + 3), 16);
      if (width === 1024) {
        width = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
        if (width === 0) this.fail(context, start, "found an incorrect leading UTF-8 octet");
      } else if ((octet & 0xc0) !== 0x80) this.fail(context, start, "found an incorrect trailing UTF-8 octet");
      bytes.push(octet);
      this.advance();
      this.advance();
      this.advance();
      width--;
    }
    return Buffer.from(bytes).toString("utf8");
  }

  // ---- scalars ----

  private scanBlockScalar(literal: boolean): Token {
    const start = this.mark();
    this.advance();
    let chomping = 0;
    let increment = 0;
    const readChomping = () => {
      if (this.code() === 43 || this.code() === 45) {
        chomping = this.code() === 43 ? 1 : -1;
        this.advance();
        return true;
      }
      return false;
    };
    const readIncrement = () => {
      const c = this.code();
      if (c >= 48 && c <= 57) {
        if (c === 48) this.fail("while scanning a block scalar", start, "found an indentation indicator equal to 0");
        increment = c - 48;
        this.advance();
      }
    };
    if (readChomping()) readIncrement();
    else if (this.code() >= 48 && this.code() <= 57) {
      readIncrement();
      readChomping();
    }
    this.skipBlanks();
    if (this.code() === 35) while (!this.isBreakZ()) this.advance();
    if (!this.isBreakZ()) this.fail("while scanning a block scalar", start, "did not find expected comment or line break");
    if (this.isBreak()) this.skipLine();
    let end = this.mark();
    let indent = increment > 0 ? (this.indent >= 0 ? this.indent + increment : increment) : 0;
    let out = "";
    let leadingBreak = "";
    let trailingBreaks = "";
    const scanBreaks = () => {
      end = this.mark();
      let maxIndent = 0;
      for (;;) {
        while ((indent === 0 || this.column < indent) && this.code() === 32) this.advance();
        if (this.column > maxIndent) maxIndent = this.column;
        if ((indent === 0 || this.column < indent) && this.code() === 9)
          this.fail("while scanning a block scalar", start, "found a tab character where an indentation space is expected");
        if (!this.isBreak()) break;
        trailingBreaks += this.readLine();
        end = this.mark();
      }
      if (indent === 0) {
        indent = Math.max(maxIndent, this.indent + 1, 1);
      }
    };
    scanBreaks();
    let leadingBlank = false;
    while (this.column === indent && !this.isZ()) {
      const trailingBlank = this.isBlank();
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.startsWith("\n")) {
        if (trailingBreaks === "") out += " ";
      } else out += leadingBreak;
      out += trailingBreaks;
      trailingBreaks = "";
      leadingBlank = this.isBlank();
      const from = this.pos;
      while (!this.isBreakZ()) this.advance();
      out += this.text.slice(from, this.pos);
      leadingBreak = this.readLine();
      scanBreaks();
    }
    if (chomping !== -1) out += leadingBreak;
    if (chomping === 1) out += trailingBreaks;
    return { type: "scalar", start, end, value: out, style: literal ? "literal" : "folded" };
  }

  private atDocumentIndicator(): boolean {
    const c = this.code();
    return (
      this.column === 0 &&
      ((c === 45 && this.code(1) === 45 && this.code(2) === 45) || (c === 46 && this.code(1) === 46 && this.code(2) === 46)) &&
      this.isBlankZ(3)
    );
  }

  private scanFlowScalar(single: boolean): Token {
    const start = this.mark();
    this.advance();
    let out = "";
    const gap = new ScalarGap();
    for (;;) {
      if (this.atDocumentIndicator()) this.fail("while scanning a quoted scalar", start, "found unexpected document indicator");
      if (this.isZ()) this.fail("while scanning a quoted scalar", start, "found unexpected end of stream");
      gap.leadingBlanks = false;
      while (!this.isBlankZ()) {
        const c = this.code();
        if (single && c === 39 && this.code(1) === 39) {
          out += "'";
          this.advance();
          this.advance();
        } else if (single && c === 39) break;
        else if (!single && c === 34) break;
        else if (!single && c === 92 && this.isBreak(1)) {
          this.advance();
          this.skipLine();
          gap.leadingBlanks = true;
          break;
        } else if (!single && c === 92) {
          out += this.scanEscape(start);
        } else out += this.read();
      }
      if (this.code() === (single ? 39 : 34)) break;
      this.scanScalarGap(gap);
      out += gap.fold();
    }
    this.advance();
    return { type: "scalar", start, end: this.mark(), value: out, style: single ? "single" : "double" };
  }

  private scanEscape(start: Mark): string {
    const escapes: Record<number, string> = {
      48: "\0",
      97: "\x07",
      98: "\b",
      116: "\t",
      9: "\t",
      110: "\n",
      118: "\v",
      102: "\f",
      114: "\r",
      101: "\x1b",
      32: " ",
      34: '"',
      39: "'",
      92: "\\",
      78: "\x85",
      95: "\xa0",
      76: "\u2028",
      80: "\u2029",
    };
    const c = this.code(1);
    const simple = escapes[c];
    const length = c === 120 ? 2 : c === 117 ? 4 : c === 85 ? 8 : 0;
    if (simple === undefined && length === 0) this.fail("while parsing a quoted scalar", start, "found unknown escape character");
    this.advance();
    this.advance();
    if (simple !== undefined) return simple;
    let value = 0;
    for (let k = 0; k < length; k++) {
      if (!isHexCode(this.code(k))) this.fail("while parsing a quoted scalar", start, "did not find expected hexdecimal number");
      value = value * 16 + parseInt(String.fromCharCode(this.code(k)), 16);
    }
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff)
      this.fail("while parsing a quoted scalar", start, "found invalid Unicode character escape code");
    for (let k = 0; k < length; k++) this.advance();
    return String.fromCodePoint(value);
  }

  private scanPlainScalar(): Token {
    let out = "";
    const gap = new ScalarGap();
    const indent = this.indent + 1;
    const start = this.mark();
    let end = this.mark();
    for (;;) {
      if (this.atDocumentIndicator()) break;
      if (this.code() === 35) break;
      while (!this.isBlankZ()) {
        const c = this.code();
        if (
          (c === 58 && this.isBlankZ(1)) ||
          (this.flowLevel > 0 && (c === 44 || c === 63 || c === 91 || c === 93 || c === 123 || c === 125))
        )
          break;
        if (gap.pending()) out += gap.fold();
        out += this.read();
        end = this.mark();
      }
      if (!(this.isBlank() || this.isBreak())) break;
      this.scanScalarGap(gap, { start, indent });
      if (this.flowLevel === 0 && this.column < indent) break;
    }
    if (gap.leadingBlanks) this.simpleKeyAllowed = true;
    return { type: "scalar", start, end, value: out, style: "plain" };
  }

  /**
   * Reads the blanks and line breaks after a scalar's word into `gap`. A plain scalar (`plain`) may not indent a
   * continuation line with a tab below its block indent.
   */
  private scanScalarGap(gap: ScalarGap, plain?: { start: Mark; indent: number }): void {
    while (this.isBlank() || this.isBreak()) {
      if (this.isBlank()) {
        if (plain && gap.leadingBlanks && this.column < plain.indent && this.code() === 9)
          this.fail("while scanning a plain scalar", plain.start, "found a tab character that violates indentation");
        if (!gap.leadingBlanks) gap.whitespaces += this.read();
        else this.advance();
      } else if (!gap.leadingBlanks) {
        gap.whitespaces = "";
        gap.leadingBreak = this.readLine();
        gap.leadingBlanks = true;
      } else gap.trailingBreaks += this.readLine();
    }
  }
}
