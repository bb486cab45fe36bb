/**
 * A small, fast YAML writer for JSON-like data, in two layouts:
 *
 * - istioctl's (`emitYaml`, manifests and profiles): keys sorted, lists at their key's column, strings quoted only
 *   when YAML 1.1 would read them as something else, multi-line text as literal blocks. The general-purpose `yaml`
 *   package takes ~0.5 s for a demo manifest; this takes a few milliseconds.
 * - the documents layer's (`objectsToYaml`, converted objects): keys in insertion order, lists indented under their
 *   key, byte for byte what `toYamlStream` writes. Where it cannot be sure (multi-line text, quotes, non-ASCII, lists
 *   in lists) it leaves the document to `toYamlStream`'s writer.
 */
import { toYaml } from "./write.js";

type JsonMap = Record<string, unknown>;

interface Layout {
  /** A map's keys with a value, in output order. */
  keys(map: JsonMap): string[];
  /** How much deeper than its key a list under a key starts. */
  listIndent: number;
  /** A scalar's inline text; undefined when this layout cannot be sure how to write it. */
  scalar(value: unknown): string | undefined;
  /** Multi-line strings as literal blocks (`|`). */
  literalBlocks: boolean;
  /** Lists and empty maps as list items; without, they make the document fall back. */
  collectionsInLists: boolean;
}

/** istioctl's layout of a manifest document. */
export function emitYaml(value: unknown): string {
  return writeDocument(value, istioctlLayout)!;
}

/** Converted objects as a YAML stream, the bytes `toYamlStream` would write. */
export function objectsToYaml(objects: readonly unknown[]): string {
  return objects.map((object) => (isPlainMap(object) ? writeDocument(object, documentsLayout) : undefined) ?? toYaml(object)).join("---\n");
}

function isPlainMap(value: unknown): value is JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Undefined when the layout cannot write part of the value. */
function writeDocument(value: unknown, layout: Layout): string | undefined {
  const lines: string[] = [];
  if (isPlainMap(value)) {
    const keys = layout.keys(value);
    if (keys.length === 0) return "{}\n";
    if (!writeMap(value, keys, 0, lines, undefined, layout)) return undefined;
  } else if (Array.isArray(value)) {
    if (value.length === 0) return "[]\n";
    if (!writeList(value, 0, lines, undefined, layout)) return undefined;
  } else {
    const text = layout.scalar(value);
    if (text === undefined) return undefined;
    lines.push(text);
  }
  return `${lines.join("\n")}\n`;
}

const pads: string[] = [];

/** `indent` spaces, made once per depth. */
function padOf(indent: number): string {
  return (pads[indent] ??= " ".repeat(indent));
}

/** `firstLead` replaces the indentation of the first key (`- ` for a map that is a list item). */
function writeMap(map: JsonMap, keys: string[], indent: number, lines: string[], firstLead: string | undefined, layout: Layout): boolean {
  const pad = padOf(indent);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const keyText = layout.scalar(key);
    if (keyText === undefined) return false;
    const lead = index === 0 && firstLead !== undefined ? firstLead : pad;
    const value = map[key];
    // Most values are one-line scalars: their line is made at once, without a `key:` head string first.
    if (typeof value !== "object" && !(layout.literalBlocks && typeof value === "string" && value.includes("\n"))) {
      const text = layout.scalar(value);
      if (text === undefined) return false;
      lines.push(`${lead}${keyText}: ${text}`);
    } else if (!writeValue(value, `${lead}${keyText}:`, indent, lines, layout)) return false;
  }
  return true;
}

const dashes: string[] = [];
const dashLeads: string[] = [];

function writeList(list: readonly unknown[], indent: number, lines: string[], firstLead: string | undefined, layout: Layout): boolean {
  const pad = padOf(indent);
  for (let index = 0; index < list.length; index++) {
    const item = list[index];
    const first = index === 0 && firstLead !== undefined;
    const head = first ? `${firstLead}-` : (dashes[indent] ??= `${pad}-`);
    const keys = isPlainMap(item) ? layout.keys(item) : undefined;
    if (keys && keys.length > 0) {
      if (!writeMap(item as JsonMap, keys, indent + 2, lines, first ? `${head} ` : (dashLeads[indent] ??= `${pad}- `), layout))
        return false;
    } else if (keys || Array.isArray(item)) {
      if (!layout.collectionsInLists) return false;
      if (Array.isArray(item) && item.length > 0) {
        if (!writeList(item, indent + 2, lines, `${head} `, layout)) return false;
      } else if (!writeValue(item, head, indent, lines, layout)) return false;
    } else if (!writeValue(item, head, indent, lines, layout)) return false;
  }
  return true;
}

/** `head` is `key:` or `-`; children of a map value go 2 deeper. */
function writeValue(value: unknown, head: string, indent: number, lines: string[], layout: Layout): boolean {
  if (isPlainMap(value)) {
    const keys = layout.keys(value);
    if (keys.length === 0) {
      lines.push(`${head} {}`);
      return true;
    }
    lines.push(head);
    return writeMap(value, keys, indent + 2, lines, undefined, layout);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      lines.push(`${head} []`);
      return true;
    }
    lines.push(head);
    return writeList(value, indent + layout.listIndent, lines, undefined, layout);
  }
  if (layout.literalBlocks && typeof value === "string" && value.includes("\n") && blockable(value)) {
    const chomp = value.endsWith("\n\n") ? "+" : value.endsWith("\n") ? "" : "-";
    lines.push(`${head} |${chomp}`);
    const body = chomp === "-" ? value : value.slice(0, -1);
    const pad = " ".repeat(indent + 2);
    for (const line of body.split("\n")) lines.push(line === "" ? "" : `${pad}${line}`);
    return true;
  }
  const text = layout.scalar(value);
  if (text === undefined) return false;
  lines.push(`${head} ${text}`);
  return true;
}

/** Literal blocks cannot start with a space (it would need an indentation indicator) or keep trailing spaces. */
function blockable(text: string): boolean {
  return (
    !text.startsWith(" ") && !text.startsWith("\n") && !/[ \t]\n|[ \t]$/.test(text) && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)
  );
}

// ---- istioctl's layout: Go's YAML writer ----

const istioctlLayout: Layout = {
  keys: sortedKeys,
  listIndent: 0,
  scalar: goScalar,
  literalBlocks: true,
  collectionsInLists: true,
};

/** Keys with a value, in code-unit order (what Go's sort of map keys gives for ASCII keys). */
function sortedKeys(map: JsonMap): string[] {
  const keys = Object.keys(map).sort();
  for (const key of keys) if (map[key] === undefined) return keys.filter((candidate) => map[candidate] !== undefined);
  return keys;
}

function goScalar(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : value > 0 ? ".inf" : value < 0 ? "-.inf" : ".nan";
  if (typeof value === "string") return goStringText(value);
  return JSON.stringify(value);
}

const yaml11Special =
  /^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|<<|=|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const numberLike =
  /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?)$/;
const dateLike = /^\d{4}-\d\d?-\d\d?/;
const plainSafe = /^[^\s\-?:,[\]{}#&*!|>'"%@`][^\t\n\r]*$|^[-?:][^\s,[\]{}][^\t\n\r]*$/;

/**
 * A string as a plain scalar when that reads back as the same string in YAML 1.1. Otherwise, as Go's YAML
 * writer does: double quotes when the text would read as another type ("15014", "true"), single quotes
 * for other texts that cannot be plain, double quotes with escapes for control characters.
 */
function goStringText(text: string): string {
  let written = goStringCache.get(text);
  if (written === undefined) {
    written = goQuotedIfNeeded(text);
    if (goStringCache.size < 50_000) goStringCache.set(text, written);
  }
  return written;
}

// Manifests repeat the same keys and values thousands of times (type, object, description-free schemas).
const goStringCache = new Map<string, string>();

function goQuotedIfNeeded(text: string): string {
  if (text === "" || yaml11Special.test(text) || (numberLike.test(text) && /[0-9]/.test(text)) || dateLike.test(text))
    return JSON.stringify(text);
  if (/[\u0000-\u001f\u007f\u0085\u00a0\u2028\u2029\ufeff]/.test(text)) return JSON.stringify(text);
  if (!plainSafe.test(text) || text.endsWith(" ") || text.endsWith(":") || text.includes(": ") || text.includes(" #"))
    return `'${text.replace(/'/g, "''")}'`;
  return text;
}

/** A copy with map keys sorted at every level (Go's JSON and YAML writers sort map keys). */
export function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (isPlainMap(value)) {
    const out: JsonMap = {};
    for (const key of sortedKeys(value)) out[key] = sortedDeep(value[key]);
    return out;
  }
  return value;
}

// ---- the documents layer's layout: the `yaml` package as write.ts configures it ----

const documentsLayout: Layout = {
  keys: insertionKeys,
  listIndent: 2,
  scalar: documentsScalarCached,
  literalBlocks: false,
  collectionsInLists: false,
};

function insertionKeys(map: JsonMap): string[] {
  const keys: string[] = [];
  for (const key in map) if (map[key] !== undefined) keys.push(key);
  return keys;
}

/** Texts the `yaml` package will not write plain (indicators, `: `, ` #`, document markers, …). */
const notPlain = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$|^(?:---|\.\.\.)/;
/** Scalars YAML 1.1 reads as something other than a string (the tags of the documents layer's schema). */
const otherTypes = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
];

const simpleName = /^[A-Za-z][A-Za-z0-9./-]*$/;

// Converted objects repeat the same keys and many values (kinds, groups, types) thousands of times.
const documentsStringCache = new Map<string, string | undefined>();

function documentsScalarCached(value: unknown): string | undefined {
  if (typeof value !== "string") return documentsScalar(value);
  let written = documentsStringCache.get(value);
  if (written === undefined && !documentsStringCache.has(value)) {
    written = documentsScalar(value);
    if (documentsStringCache.size < 50_000) documentsStringCache.set(value, written);
  }
  return written;
}

/** A scalar's text, or undefined when the general writer must decide (multi-line, quotes, non-ASCII). */
function documentsScalar(value: unknown): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value !== "string") return undefined;
  // Fast path for the common case (names, hosts, paths): a letter, then name characters.
  if (
    simpleName.test(value) &&
    !otherTypes[1]!.test(value) &&
    !otherTypes[2]!.test(value) &&
    !otherTypes[0]!.test(value) &&
    !/^[eE][0-9]+$/.test(value)
  )
    return value;
  if (!/^[\x20-\x7e]*$/.test(value) || value.includes('"') || value.includes("\\")) return undefined;
  if (!notPlain.test(value) && !otherTypes.some((pattern) => pattern.test(value))) return value;
  return JSON.stringify(value);
}
