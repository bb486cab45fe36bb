import { isMap, type JsonMap } from "./types.js";

/**
 * The path language of `--set` and of `k8s.overlays[].patches[].path` (docs/design/install.md §3.3, §4):
 * dot-separated keys (`\.` escapes a dot), `[N]` list index, `[field:value]` the list item whose field
 * equals value, `[value]` or `[:value]` the scalar list item equal to value. `a[0]` and `a.[0]` are the same.
 */
export type PathSegment =
  | { kind: "key"; key: string }
  | { kind: "index"; index: number }
  | { kind: "select"; field: string; value: string }
  | { kind: "value"; value: string };

export class PathSyntaxError extends Error {}

export function parsePath(text: string): PathSegment[] {
  if (text === "") throw new PathSyntaxError("empty path");
  const segments: PathSegment[] = [];
  let key = "";
  let keyStarted = false;
  let lastWasBracket = false;
  let i = 0;
  // A dot ends a key; only after a "]" may it follow no key at all ("a[0].b").
  const endKey = (atDot: boolean) => {
    if (keyStarted) segments.push({ kind: "key", key });
    else if (atDot && !lastWasBracket) throw new PathSyntaxError(`empty segment in path "${text}"`);
    key = "";
    keyStarted = false;
  };
  while (i < text.length) {
    const char = text[i]!;
    if (char === "\\" && text[i + 1] === ".") {
      key += ".";
      keyStarted = true;
      lastWasBracket = false;
      i += 2;
    } else if (char === ".") {
      endKey(true);
      if (i === text.length - 1) throw new PathSyntaxError(`path "${text}" ends with a dot`);
      lastWasBracket = false;
      i++;
    } else if (char === "[") {
      endKey(false);
      const close = findClosingBracket(text, i);
      if (close === -1) throw new PathSyntaxError(`unclosed "[" in path "${text}"`);
      segments.push(bracketSegment(text.slice(i + 1, close).replace(/\\\./g, "."), text));
      lastWasBracket = true;
      i = close + 1;
      if (i < text.length && text[i] !== "." && text[i] !== "[")
        throw new PathSyntaxError(`expected "." or "[" after "]" in path "${text}"`);
    } else if (char === "]") {
      throw new PathSyntaxError(`unexpected "]" in path "${text}"`);
    } else {
      key += char;
      keyStarted = true;
      lastWasBracket = false;
      i++;
    }
  }
  endKey(false);
  return segments;
}

function findClosingBracket(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "]") return i;
  }
  return -1;
}

function bracketSegment(inner: string, path: string): PathSegment {
  if (inner === "") throw new PathSyntaxError(`empty "[]" in path "${path}"`);
  if (/^\d+$/.test(inner)) return { kind: "index", index: Number(inner) };
  const colon = inner.indexOf(":");
  if (colon === -1) return { kind: "value", value: inner };
  const field = inner.slice(0, colon);
  const value = inner.slice(colon + 1);
  return field === "" ? { kind: "value", value } : { kind: "select", field, value };
}

export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (segment.kind === "key") out += `${out === "" ? "" : "."}${segment.key.replace(/\./g, "\\.")}`;
    else if (segment.kind === "index") out += `[${segment.index}]`;
    else if (segment.kind === "select") out += `[${segment.field}:${segment.value}]`;
    else out += `[${segment.value}]`;
  }
  return out;
}

export class PathNotFoundError extends Error {}

export interface SetOptions {
  /**
   * A document whose lists stand in for missing ones: a `[field:value]` selector on a list the target
   * does not have copies the fallback's list first. mesh resolves `--set …[name:x]` against the
   * profile this way (istioctl fails with "element [name:x] not found").
   */
  fallback?: unknown;
}

/** Sets `value` at `segments` inside `root` (a map), creating maps and lists on the way; an index past the end appends. */
export function setAtPath(root: JsonMap, segments: readonly PathSegment[], value: unknown, options: SetOptions = {}): void {
  let container: unknown = root;
  let fallback: unknown = options.fallback;
  segments.forEach((segment, position) => {
    const last = position === segments.length - 1;
    const next = segments[position + 1];
    const fresh = () => (next && next.kind !== "key" ? [] : {});
    const where = formatPath(segments.slice(0, position + 1));
    if (segment.kind === "key") {
      if (!isMap(container)) throw new PathNotFoundError(`${formatPath(segments.slice(0, position)) || "the document"} is not a map`);
      const fallbackChild = isMap(fallback) ? fallback[segment.key] : undefined;
      if (last) {
        container[segment.key] = value;
        return;
      }
      const existing = container[segment.key];
      if (existing === undefined || existing === null) {
        const borrowed = next && next.kind === "select" && Array.isArray(fallbackChild) ? structuredClone(fallbackChild) : fresh();
        container[segment.key] = borrowed;
      }
      container = container[segment.key];
      fallback = fallbackChild;
      return;
    }
    if (!Array.isArray(container)) throw new PathNotFoundError(`${formatPath(segments.slice(0, position))} is not a list`);
    const list: unknown[] = container;
    const index = findIndex(list, segment);
    const fallbackList = Array.isArray(fallback) ? fallback : [];
    const fallbackIndex = findIndex(fallbackList, segment);
    fallback = fallbackIndex === -1 ? undefined : fallbackList[fallbackIndex];
    if (segment.kind === "index") {
      const at = segment.index < list.length ? segment.index : list.length;
      if (last) list[at] = value;
      else {
        if (at === list.length || list[at] === null || list[at] === undefined) list[at] = fresh();
        container = list[at];
      }
      return;
    }
    if (index === -1) throw new PathNotFoundError(`element ${bracketText(segment)} not found (at ${where})`);
    if (last) list[index] = value;
    else container = list[index];
  });
}

/** Removes the map key or list item addressed by `segments`; returns false when it does not exist. */
export function deleteAtPath(root: unknown, segments: readonly PathSegment[]): boolean {
  const parent = resolve(root, segments.slice(0, -1));
  const last = segments[segments.length - 1];
  if (parent === undefined || !last) return false;
  if (last.kind === "key") {
    if (!isMap(parent) || !(last.key in parent)) return false;
    delete parent[last.key];
    return true;
  }
  if (!Array.isArray(parent)) return false;
  const index = findIndex(parent, last);
  if (index === -1 || index >= parent.length) return false;
  parent.splice(index, 1);
  return true;
}

/** The node at `segments`, or undefined (no creation). */
export function resolve(root: unknown, segments: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (segment.kind === "key") {
      if (!isMap(current)) return undefined;
      current = current[segment.key];
    } else {
      if (!Array.isArray(current)) return undefined;
      const index = findIndex(current, segment);
      if (index === -1 || index >= current.length) return undefined;
      current = current[index];
    }
  }
  return current;
}

function findIndex(list: readonly unknown[], segment: PathSegment): number {
  if (segment.kind === "index") return segment.index;
  if (segment.kind === "select")
    return list.findIndex((item) => isMap(item) && item[segment.field] !== undefined && String(item[segment.field]) === segment.value);
  if (segment.kind === "value") return list.findIndex((item) => !isMap(item) && !Array.isArray(item) && String(item) === segment.value);
  return -1;
}

function bracketText(segment: PathSegment): string {
  return formatPath([segment]);
}
