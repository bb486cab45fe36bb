import { toYaml } from "../documents/index.js";

/**
 * A fast writer for converted objects, byte-compatible with `toYamlStream` (documents layer) for the
 * data converters produce: 2-space indent, sequences indented under their key, plain scalars where
 * YAML 1.1 reads them back as the same string, otherwise JSON-style double quotes (always a valid
 * YAML double-quoted scalar). The `yaml` package spends most of `mesh convert`'s time on output for
 * large inputs; documents with anything unusual (multi-line text) still go through it.
 */
export function objectsToYaml(objects: readonly unknown[]): string {
  return objects.map(documentYaml).join("---\n");
}

function documentYaml(object: unknown): string {
  const lines: string[] = [];
  if (!isMap(object) || !writeMap(object, 0, lines, undefined)) return toYaml(object);
  return `${lines.join("\n")}\n`;
}

type JsonMap = Record<string, unknown>;

function isMap(value: unknown): value is JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Returns false when the data needs the general writer. */
function writeMap(map: JsonMap, indent: number, lines: string[], firstLead: string | undefined): boolean {
  const pad = " ".repeat(indent);
  let first = true;
  for (const key in map) {
    const value = map[key];
    if (value === undefined) continue;
    const keyText = scalar(key);
    if (keyText === undefined) return false;
    const head = `${first && firstLead !== undefined ? firstLead : pad}${keyText}:`;
    first = false;
    if (!writeValue(value, head, indent, lines)) return false;
  }
  return !first || firstLead === undefined ? true : (lines.push(`${firstLead}{}`), true);
}

function writeValue(value: unknown, head: string, indent: number, lines: string[]): boolean {
  if (isMap(value)) {
    if (Object.keys(value).length === 0) {
      lines.push(`${head} {}`);
      return true;
    }
    lines.push(head);
    return writeMap(value, indent + 2, lines, undefined);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      lines.push(`${head} []`);
      return true;
    }
    lines.push(head);
    return writeList(value, indent + 2, lines);
  }
  const text = scalar(value);
  if (text === undefined) return false;
  lines.push(`${head} ${text}`);
  return true;
}

function writeList(list: readonly unknown[], indent: number, lines: string[]): boolean {
  const pad = " ".repeat(indent);
  for (const item of list) {
    if (isMap(item) && Object.keys(item).length > 0) {
      if (!writeMap(item, indent + 2, lines, `${pad}- `)) return false;
    } else if (Array.isArray(item) || isMap(item)) {
      return false;
    } else {
      const text = scalar(item);
      if (text === undefined) return false;
      lines.push(`${pad}- ${text}`);
    }
  }
  return true;
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

/** A scalar's text, or undefined when the general writer must decide (multi-line, quotes, non-ASCII). */
function scalar(value: unknown): string | undefined {
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
