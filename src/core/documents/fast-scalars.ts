import { resolvePlainJson } from "./go-yaml/resolve.js";

/** Scalars for the fast parse path (fast-parse.ts): YAML 1.1 plain scalars and one-line quoted scalars. */

/** Thrown when the input leaves the fast path's subset; the caller then uses the full parser. */
export class Unsupported extends Error {}
export const unsupported = new Unsupported("unsupported");

/** A plain scalar's JSON value, read as kubectl reads it (go-yaml/resolve.ts); what only the full reader may judge is unsupported. */
export function resolvePlain(text: string): unknown {
  const first = text.charCodeAt(0);
  // Fast exit for the common case: plain words that cannot be null, bool or a number.
  if (text.length > 5 && ((first >= 97 && first <= 122) || (first >= 65 && first <= 90))) return text;
  const value = resolvePlainJson(text);
  if (value === undefined) throw unsupported;
  return value;
}

/** Drops trailing spaces only: YAML's blanks are space and tab, so a no-break space stays part of the scalar. */
export function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return end === text.length ? text : text.slice(0, end);
}

const simpleEscapes: Record<string, string> = {
  "\\": "\\",
  '"': '"',
  n: "\n",
  t: "\t",
  r: "\r",
  "0": "\0",
  " ": " ",
  b: "\b",
  e: "\x1b",
  f: "\f",
  v: "\v",
  a: "\x07",
};

/**
 * A double-quoted scalar that starts at `start` and closes before `end` (the end of its line): its value and the
 * index after the closing quote.
 */
export function doubleQuoted(text: string, start = 0, end = text.length): [string, number] {
  // Most quoted scalars hold no escape: one slice of the text instead of a string built up character by character.
  for (let i = start + 1; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 34 /* " */) return [text.slice(start + 1, i), i + 1];
    if (code === 92 /* \ */) break;
  }
  let out = "";
  for (let i = start + 1; i < end; i++) {
    const char = text[i]!;
    if (char === '"') return [out, i + 1];
    if (char !== "\\") {
      out += char;
      continue;
    }
    if (++i === end) throw unsupported;
    const next = text[i]!;
    if (next in simpleEscapes) out += simpleEscapes[next];
    else if (next === "x" || next === "u" || next === "U") {
      const length = next === "x" ? 2 : next === "u" ? 4 : 8;
      const hex = text.slice(i + 1, Math.min(i + 1 + length, end));
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) throw unsupported;
      const code = parseInt(hex, 16);
      // go-yaml refuses escapes of surrogates and beyond U+10FFFF; the full reader reports them.
      if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) throw unsupported;
      out += String.fromCodePoint(code);
      i += length;
    } else throw unsupported;
  }
  throw unsupported;
}

/** A single-quoted scalar that starts at `start` and closes before `end`: its value and the index after the closing quote. */
export function singleQuoted(text: string, start = 0, end = text.length): [string, number] {
  let out = "";
  let from = start + 1;
  for (let i = from; i < end; i++) {
    if (text.charCodeAt(i) !== 39 /* ' */) continue;
    if (i + 1 < end && text.charCodeAt(i + 1) === 39) {
      out += text.slice(from, i + 1);
      from = ++i + 1;
      continue;
    }
    return [out + text.slice(from, i), i + 1];
  }
  throw unsupported;
}
