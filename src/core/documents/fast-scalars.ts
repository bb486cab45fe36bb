/** Scalars for the fast parse path (fast-parse.ts): YAML 1.1 plain scalars and one-line quoted scalars. */

/** Thrown when the input leaves the fast path's subset; the caller then uses the full parser. */
export class Unsupported extends Error {}
export const unsupported = new Unsupported("unsupported");

// YAML 1.1 plain-scalar resolution in the order of the yaml package's yaml-1.1 schema (null, bool,
// int bin/oct/dec/hex, float nan/exp/fixed), without timestamps and sexagesimal numbers, which kubectl
// (go-yaml v2) keeps as strings. The parse-paths tests compare every form with the yaml package.
const nullPlain = /^(?:~|[Nn]ull|NULL)?$/;
const truePlain = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const falsePlain = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const binaryPlain = /^[-+]?0b[0-1_]+$/;
const octalPlain = /^[-+]?0[0-7_]+$/;
const decimalPlain = /^[-+]?[0-9][0-9_]*$/;
const hexPlain = /^[-+]?0x[0-9a-fA-F_]+$/;
const specialFloatPlain = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const exponentPlain = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/;
const fixedPlain = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;

function integer(text: string, offset: number, radix: number): number {
  const sign = text[0];
  const digits = text.substring(sign === "-" || sign === "+" ? offset + 1 : offset).replace(/_/g, "");
  const value = parseInt(digits, radix);
  return sign === "-" ? -1 * value : value;
}

export function resolvePlain(text: string): unknown {
  const first = text.charCodeAt(0);
  // Fast exit for the common case: plain words that cannot be null, bool or a number.
  if (text.length > 5 && ((first >= 97 && first <= 122) || (first >= 65 && first <= 90)) && first !== 46) return text;
  if (nullPlain.test(text)) return null;
  if (truePlain.test(text)) return true;
  if (falsePlain.test(text)) return false;
  if (binaryPlain.test(text)) return integer(text, 2, 2);
  if (octalPlain.test(text)) return integer(text, 1, 8);
  if (decimalPlain.test(text)) return integer(text, 0, 10);
  if (hexPlain.test(text)) return integer(text, 2, 16);
  if (specialFloatPlain.test(text))
    return text.slice(-3).toLowerCase() === "nan" ? NaN : text[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (exponentPlain.test(text) || fixedPlain.test(text)) return parseFloat(text.replace(/_/g, ""));
  return text;
}

const simpleEscapes: Record<string, string> = {
  "\\": "\\",
  '"': '"',
  "/": "/",
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

/** A double-quoted scalar that closes on this line: its value and the index after the closing quote. */
export function doubleQuoted(text: string): [string, number] {
  let out = "";
  for (let i = 1; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') return [out, i + 1];
    if (char !== "\\") {
      out += char;
      continue;
    }
    const next = text[++i];
    if (next === undefined) throw unsupported;
    if (next in simpleEscapes) out += simpleEscapes[next];
    else if (next === "x" || next === "u" || next === "U") {
      const length = next === "x" ? 2 : next === "u" ? 4 : 8;
      const hex = text.slice(i + 1, i + 1 + length);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) throw unsupported;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += length;
    } else throw unsupported;
  }
  throw unsupported;
}

export function singleQuoted(text: string): [string, number] {
  let out = "";
  for (let i = 1; i < text.length; i++) {
    const char = text[i]!;
    if (char === "'") {
      if (text[i + 1] === "'") {
        out += "'";
        i++;
        continue;
      }
      return [out, i + 1];
    }
    out += char;
  }
  throw unsupported;
}
