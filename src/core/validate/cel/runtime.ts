import { isCIDR, isIP } from "../formats.js";
import { parseGoDuration } from "../../durations.js";
import { compilePattern } from "../patterns.js";
import { scalarText } from "../../json.js";

/**
 * Runtime support for CEL rules compiled to JavaScript (cel/codegen.ts). Values are the plain JSON data
 * of the object; CEL errors are thrown as CelFailure, or held as values inside `&&`, `||` and macro
 * accumulators, where CEL absorbs them (`error || true` is true, `error && false` is false).
 */
/** A CEL evaluation error; thrown and held as a value, so it is a plain object rather than an Error (no stack capture on hot paths). */
export class CelFailure {
  constructor(readonly message: string) {}
}

export class Duration {
  constructor(readonly nanos: number) {}
}

/**
 * The API server charges every operation of a rule against a per-call limit (celconfig.PerCallLimit) and all
 * rules of one object against a total (RuntimeCELCostBudget), with cel-go's runtime costs: 1 per variable and
 * field access, 1 per plain function call, string work by length × 0.1, `matches` by length × pattern length,
 * list membership by list length; `has()` and constants are free.
 */
export const perCallLimit = 1_000_000;
export const runtimeCostBudget = 10_000_000;
let costLeft = perCallLimit;

export function resetCallBudget(): void {
  costLeft = perCallLimit;
}

/** Whether the current call passed the per-call limit (even where the failure was thrown inside `&&`, `||` or a macro). */
export function overCallLimit(): boolean {
  return costLeft < 0;
}

/** The cost spent since the last reset. */
export function spentCost(): number {
  return perCallLimit - costLeft;
}

export const callLimitMessage = "operation cancelled: actual cost limit exceeded";

function spend(cost: number): void {
  costLeft -= cost;
  if (costLeft < 0) fail(callLimitMessage);
}

/** Length of a string, list or map, as CEL's size() (strings by UTF-16 unit: never less than code points). */
function sizeOf(value: unknown): number {
  if (typeof value === "string" || Array.isArray(value)) return value.length;
  if (isObject(value)) return Object.keys(value).length;
  return 1;
}

const traversal = (size: number, factor = 0.1) => Math.ceil(size * factor);

/** Equality and ordering cost the shorter operand × 0.1 (scalars 1). */
function spendComparison(a: unknown, b: unknown): void {
  spend(Math.max(1, traversal(Math.min(sizeOf(a), sizeOf(b)))));
}

function fail(message: string): never {
  throw new CelFailure(message);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Duration);

function codePoints(text: string): string[] {
  return Array.from(text);
}

function typeName(value: unknown): string {
  if (value === null) return "null_type";
  if (Array.isArray(value)) return "list";
  if (value instanceof Duration) return "google.protobuf.Duration";
  if (typeof value === "object") return "map";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "double";
  return typeof value === "boolean" ? "bool" : typeof value;
}

function noOverload(name: string, ...values: unknown[]): never {
  return fail(`found no matching overload for '${name}' applied to '(${values.map(typeName).join(", ")})'`);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Duration && b instanceof Duration) return a.nanos === b.nanos;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => equal(item, b[index]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && equal(a[key], b[key]));
  }
  return false;
}

function compare(name: string, a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Duration && b instanceof Duration) return a.nanos - b.nanos;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return noOverload(name, a, b);
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

class UrlValue {
  constructor(readonly url: URL) {}
}

function field(object: unknown, key: string): unknown {
  if (!isObject(object)) return noOverload(`.${key}`, object);
  const value = object[key];
  if (value === undefined || !Object.hasOwn(object, key)) return fail(`no such key: ${key}`);
  return value;
}

export const celRuntime = {
  /** A value that must not be an error here (held errors surface when used outside `&&`/`||`). */
  ck(value: unknown): unknown {
    if (value instanceof CelFailure) throw value;
    return value;
  },
  bool(value: unknown): boolean {
    if (value instanceof CelFailure) throw value;
    if (typeof value !== "boolean") fail(`no such overload: expected bool, got ${typeName(value)}`);
    return value;
  },
  /** The rest of `a && b` once `a` (an evaluated operand, possibly a held error) is not false. */
  andEnd(a: unknown, b: unknown): unknown {
    if (b === false) return false;
    if (a instanceof CelFailure) return a;
    if (b instanceof CelFailure) return b;
    if (a !== true) return noOverload("_&&_", a, b);
    if (b !== true) return noOverload("_&&_", a, b);
    return true;
  },
  /** The rest of `a || b` once `a` is not true. */
  orEnd(a: unknown, b: unknown): unknown {
    if (b === true) return true;
    if (a instanceof CelFailure) return a;
    if (b instanceof CelFailure) return b;
    if (a !== false || b !== false) return noOverload("_||_", a, b);
    return false;
  },
  /** What a try/catch in compiled code holds for an error raised inside `&&`, `||` or a macro. */
  caught(error: unknown): CelFailure {
    if (error instanceof CelFailure) return error;
    if (error instanceof Error) return new CelFailure(error.message);
    throw error;
  },
  /** One operation's cost (the `!= false` test that macro loop conditions perform). */
  step(): void {
    spend(1);
  },
  /** A variable read: cost 1. */
  id<T>(value: T): T {
    spend(1);
    return value;
  },
  not(value: unknown): boolean {
    spend(1);
    return !celRuntime.bool(value);
  },
  neg(value: unknown): unknown {
    spend(1);
    if (typeof value === "number") return -value;
    if (value instanceof Duration) return new Duration(-value.nanos);
    return noOverload("-_", value);
  },
  eq: (a: unknown, b: unknown) => (spendComparison(a, b), equal(a, b)),
  ne: (a: unknown, b: unknown) => (spendComparison(a, b), !equal(a, b)),
  lt: (a: unknown, b: unknown) => (spendComparison(a, b), compare("_<_", a, b) < 0),
  le: (a: unknown, b: unknown) => (spendComparison(a, b), compare("_<=_", a, b) <= 0),
  gt: (a: unknown, b: unknown) => (spendComparison(a, b), compare("_>_", a, b) > 0),
  ge: (a: unknown, b: unknown) => (spendComparison(a, b), compare("_>=_", a, b) >= 0),
  add(a: unknown, b: unknown): unknown {
    spend(typeof a === "string" && typeof b === "string" ? traversal(a.length + b.length) : 1);
    if (typeof a === "number" && typeof b === "number") return a + b;
    if (typeof a === "string" && typeof b === "string") return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return [...(a as unknown[]), ...(b as unknown[])];
    if (a instanceof Duration && b instanceof Duration) return new Duration(a.nanos + b.nanos);
    return noOverload("_+_", a, b);
  },
  sub(a: unknown, b: unknown): unknown {
    spend(1);
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (a instanceof Duration && b instanceof Duration) return new Duration(a.nanos - b.nanos);
    return noOverload("_-_", a, b);
  },
  mul(a: unknown, b: unknown): unknown {
    spend(1);
    if (typeof a === "number" && typeof b === "number") return a * b;
    return noOverload("_*_", a, b);
  },
  get(object: unknown, key: string): unknown {
    spend(1);
    return field(object, key);
  },
  /** `variable.key`: the read and the field access, 1 each. */
  getOf(variable: unknown, key: string): unknown {
    spend(2);
    return field(variable, key);
  },
  /** `has(variable.key)`: the read costs 1, the test nothing. */
  hasOf(variable: unknown, key: string): boolean {
    spend(1);
    return celRuntime.has(variable, key);
  },
  /** `!has(variable.key)`: the read and the negation, 1 each (the test is free). */
  lacksOf(variable: unknown, key: string): boolean {
    spend(1);
    const present = celRuntime.has(variable, key);
    spend(1);
    return !present;
  },
  /** An accumulator read where an error it holds must surface: cost 1. */
  ckOf(accumulator: unknown): unknown {
    spend(1);
    if (accumulator instanceof CelFailure) throw accumulator;
    return accumulator;
  },
  /** `size(variable)`: the read and the call, 1 each. */
  sizeOf(variable: unknown): number {
    spend(1);
    return celRuntime.size(variable);
  },
  /** A macro's loop condition on its accumulator (`!= false` on a read): 1 for the test, 1 for the read. */
  notFalseOf(accumulator: unknown): boolean {
    spend(2);
    return accumulator !== false;
  },
  /** A list literal: CEL charges its creation. */
  list(items: unknown[]): unknown[] {
    spend(10);
    return items;
  },
  has(object: unknown, key: string): boolean {
    if (!isObject(object)) return noOverload(`has(.${key})`, object);
    return Object.hasOwn(object, key) && object[key] !== undefined;
  },
  index(container: unknown, key: unknown): unknown {
    spend(1);
    if (Array.isArray(container)) {
      if (typeof key !== "number" || !Number.isInteger(key)) return noOverload("_[_]", container, key);
      if (key < 0 || key >= container.length) return fail(`index out of bounds: ${key}`);
      return container[key];
    }
    if (isObject(container) && typeof key === "string") return field(container, key);
    return noOverload("_[_]", container, key);
  },
  in(item: unknown, container: unknown): boolean {
    if (Array.isArray(container)) {
      // A list membership test costs its length, as in the API server's runtime cost (`x in list` inside a macro
      // over the same list is quadratic and must hit the budget).
      spend(container.length);
      return container.some((entry) => equal(entry, item));
    }
    spend(1);
    if (isObject(container)) return typeof item === "string" && Object.hasOwn(container, item);
    return noOverload("@in", item, container);
  },
  iter(range: unknown): unknown[] {
    // Each iteration pays for its loop condition and step through the operations they perform.
    return Array.isArray(range) ? range : isObject(range) ? Object.keys(range) : noOverload("comprehension", range);
  },
  map(entries: [unknown, unknown][]): Record<string, unknown> {
    spend(30);
    const out: Record<string, unknown> = {};
    for (const [key, value] of entries) {
      if (typeof key !== "string") fail("map keys must be strings here");
      if (Object.hasOwn(out, key)) fail(`duplicate map key: ${String(key)}`);
      out[key] = value;
    }
    return out;
  },
  size(value: unknown): number {
    spend(1);
    if (typeof value === "string") return codePoints(value).length;
    if (Array.isArray(value)) return value.length;
    if (isObject(value)) return Object.keys(value).length;
    return noOverload("size", value);
  },
  str(value: unknown, name: string): string {
    if (typeof value !== "string") return noOverload(name, value);
    return value;
  },
  matches(text: unknown, pattern: unknown): boolean {
    const value = celRuntime.str(text, "matches");
    const source = celRuntime.str(pattern, "matches");
    spend(traversal(value.length + 1) * traversal(source.length, 0.25));
    return compilePattern(source).test(value);
  },
  contains(text: unknown, part: unknown): boolean {
    const value = celRuntime.str(text, "contains");
    const needle = celRuntime.str(part, "contains");
    spend(traversal(value.length) * traversal(needle.length));
    return value.includes(needle);
  },
  startsWith(text: unknown, part: unknown): boolean {
    const prefix = celRuntime.str(part, "startsWith");
    spend(traversal(prefix.length));
    return celRuntime.str(text, "startsWith").startsWith(prefix);
  },
  endsWith(text: unknown, part: unknown): boolean {
    const suffix = celRuntime.str(part, "endsWith");
    spend(traversal(suffix.length));
    return celRuntime.str(text, "endsWith").endsWith(suffix);
  },
  split(text: unknown, separator: unknown): string[] {
    spend(traversal(sizeOf(text), 0.2));
    return celRuntime.str(text, "split").split(celRuntime.str(separator, "split"));
  },
  substring(text: unknown, start: unknown, end?: unknown): string {
    spend(traversal(sizeOf(text)));
    const points = codePoints(celRuntime.str(text, "substring"));
    const from = start as number;
    const to = end === undefined ? points.length : (end as number);
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > points.length || from > to) {
      return fail(`index out of range: substring(${String(start)}${end === undefined ? "" : `, ${scalarText(end)}`})`);
    }
    return points.slice(from, to).join("");
  },
  lowerAscii: (text: unknown) =>
    (spend(traversal(sizeOf(text))), celRuntime.str(text, "lowerAscii")).replace(/[A-Z]/g, (c) => c.toLowerCase()),
  upperAscii: (text: unknown) =>
    (spend(traversal(sizeOf(text))), celRuntime.str(text, "upperAscii")).replace(/[a-z]/g, (c) => c.toUpperCase()),
  trim: (text: unknown) => (spend(traversal(sizeOf(text))), celRuntime.str(text, "trim").trim()),
  duration(text: unknown): Duration {
    spend(1);
    const nanos = parseGoDuration(celRuntime.str(text, "duration"));
    if (nanos === undefined) return fail(`invalid duration: ${String(text)}`);
    return new Duration(nanos);
  },
  int(value: unknown): number {
    spend(1);
    if (typeof value === "number") return Math.trunc(value);
    if (typeof value === "string" && /^[-+]?[0-9]+$/.test(value)) return Number(value);
    return fail(`cannot convert ${JSON.stringify(value)} to int`);
  },
  string(value: unknown): string {
    spend(1);
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return noOverload("string", value);
  },
  isIP: (text: unknown) => {
    const value = celRuntime.str(text, "isIP");
    spend(traversal(value.length));
    return isIP(value) && !/^::ffff:[0-9.]+$/i.test(value);
  },
  isCIDR: (text: unknown) => (spend(traversal(sizeOf(text))), isCIDR(celRuntime.str(text, "isCIDR"))),
  isURL: (text: unknown) => (spend(1), parseUrl(celRuntime.str(text, "isURL")) !== undefined),
  url(text: unknown): UrlValue {
    spend(traversal(sizeOf(text)));
    const parsed = parseUrl(celRuntime.str(text, "url"));
    if (!parsed) return fail(`URL parse error during conversion from string: ${String(text)}`);
    return new UrlValue(parsed);
  },
  urlPart(value: unknown, part: "scheme" | "host" | "hostname" | "port" | "path"): string {
    spend(1);
    if (!(value instanceof UrlValue)) return noOverload(part, value);
    const url = value.url;
    switch (part) {
      case "scheme":
        return url.protocol.replace(/:$/, "");
      case "host":
        return url.host;
      case "hostname":
        return url.hostname.replace(/^\[|\]$/g, "");
      case "port":
        return url.port;
      case "path":
        return url.pathname;
    }
  },
};

export type CelRuntime = typeof celRuntime;
