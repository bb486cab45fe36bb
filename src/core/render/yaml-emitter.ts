/**
 * A small, fast YAML writer for JSON-like data in the layout istioctl prints (keys sorted, 2-space indent,
 * list dashes at their key's column, strings quoted only when YAML 1.1 would read them as something else).
 * The general-purpose `yaml` package takes ~0.5 s for a demo manifest; this takes a few milliseconds.
 */
export function emitYaml(value: unknown): string {
  const lines: string[] = [];
  if (isPlainMap(value)) {
    if (Object.keys(value).length === 0) return "{}\n";
    emitMap(value, 0, lines);
  } else if (Array.isArray(value)) {
    if (value.length === 0) return "[]\n";
    emitList(value, 0, lines);
  } else {
    lines.push(scalarInline(value, 0));
  }
  return `${lines.join("\n")}\n`;
}

type JsonMap = Record<string, unknown>;

function isPlainMap(value: unknown): value is JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keys with a value, in code-unit order (what Go's sort of map keys gives for ASCII keys). */
function sortedKeys(map: JsonMap): string[] {
  const keys = Object.keys(map).sort();
  for (const key of keys) if (map[key] === undefined) return keys.filter((candidate) => map[candidate] !== undefined);
  return keys;
}

function emitMap(map: JsonMap, indent: number, lines: string[], firstPrefix?: string): void {
  const pad = " ".repeat(indent);
  sortedKeys(map).forEach((key, index) => {
    const lead = index === 0 && firstPrefix !== undefined ? firstPrefix : pad;
    const head = `${lead}${scalarText(key)}:`;
    emitValue(map[key], head, indent, lines, true);
  });
}

function emitList(list: unknown[], indent: number, lines: string[], firstPrefix?: string): void {
  const pad = " ".repeat(indent);
  list.forEach((item, index) => {
    const lead = index === 0 && firstPrefix !== undefined ? firstPrefix : pad;
    const head = `${lead}-`;
    if (isPlainMap(item) && Object.keys(item).length > 0) emitMap(item, indent + 2, lines, `${head} `);
    else if (Array.isArray(item) && item.length > 0) emitList(item, indent + 2, lines, `${head} `);
    else emitValue(item, head, indent, lines, false);
  });
}

/** `head` is `key:` or `-`; children of a map value go 2 deeper, a list under a key stays at the key's column. */
function emitValue(value: unknown, head: string, indent: number, lines: string[], underKey: boolean): void {
  if (isPlainMap(value)) {
    if (sortedKeys(value).length === 0) lines.push(`${head} {}`);
    else {
      lines.push(head);
      emitMap(value, indent + 2, lines);
    }
  } else if (Array.isArray(value)) {
    if (value.length === 0) lines.push(`${head} []`);
    else {
      lines.push(head);
      emitList(value, underKey ? indent : indent + 2, lines);
    }
  } else if (typeof value === "string" && value.includes("\n") && blockable(value)) {
    const chomp = value.endsWith("\n\n") ? "+" : value.endsWith("\n") ? "" : "-";
    lines.push(`${head} |${chomp}`);
    const body = chomp === "+" ? value.slice(0, -1) : chomp === "" ? value.slice(0, -1) : value;
    const pad = " ".repeat(indent + 2);
    for (const line of body.split("\n")) lines.push(line === "" ? "" : `${pad}${line}`);
  } else {
    lines.push(`${head} ${scalarInline(value, indent)}`);
  }
}

/** Literal blocks cannot start with a space (it would need an indentation indicator) or keep trailing spaces. */
function blockable(text: string): boolean {
  return (
    !text.startsWith(" ") && !text.startsWith("\n") && !/[ \t]\n|[ \t]$/.test(text) && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)
  );
}

function scalarInline(value: unknown, _indent: number): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : value > 0 ? ".inf" : value < 0 ? "-.inf" : ".nan";
  if (typeof value === "string") return scalarText(value);
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
function scalarText(text: string): string {
  let written = scalarCache.get(text);
  if (written === undefined) {
    written = quotedIfNeeded(text);
    if (scalarCache.size < 50_000) scalarCache.set(text, written);
  }
  return written;
}

// Manifests repeat the same keys and values thousands of times (type, object, description-free schemas).
const scalarCache = new Map<string, string>();

function quotedIfNeeded(text: string): string {
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
