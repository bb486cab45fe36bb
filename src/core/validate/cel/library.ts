import {
  celFunc,
  celMethod,
  CelScalar,
  celType,
  listType,
  mapType,
  run,
  type CelFunc,
  type CelMap,
  type CelList,
  type CelValue,
} from "@bufbuild/cel";
import { parseGoDuration } from "../../durations.js";
import { strings } from "@bufbuild/cel/ext";
import { isCIDR, isIP, isIPv4 } from "../formats.js";
import { compilePattern } from "../patterns.js";

/**
 * The Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library) that CRD rules may call, on top of
 * @bufbuild/cel's standard library and strings extension. Opaque Kubernetes types (URL, IP, CIDR,
 * Quantity) are represented as maps holding one private key, so that only these methods can read them.
 */
const { STRING, BOOL, INT, DYN, DOUBLE } = CelScalar;
const opaque = mapType(STRING, DYN);
const urlKey = "\u0000url";
const ipKey = "\u0000ip";
const cidrKey = "\u0000cidr";
const quantityKey = "\u0000quantity";

function wrap(key: string, value: string): Map<string, string> {
  return new Map([[key, value]]);
}

function unwrap(map: CelMap, key: string, kind: string): string {
  const value = map.get(key);
  if (typeof value !== "string") throw new Error(`no such overload: receiver is not a ${kind}`);
  return value;
}

/** Go's url.Parse requirements as the Kubernetes URL library applies them: an absolute URL or an absolute path. */
function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function urlFunctions(): CelFunc[] {
  const get = (self: CelMap) => {
    const parsed = parseUrl(unwrap(self, urlKey, "URL"));
    if (!parsed) throw new Error("invalid URL");
    return parsed;
  };
  return [
    celFunc("isURL", [STRING], BOOL, (text) => parseUrl(text) !== undefined),
    celFunc("url", [STRING], opaque, (text) => {
      if (!parseUrl(text)) throw new Error(`URL parse error during conversion from string: ${text}`);
      return wrap(urlKey, text);
    }),
    celMethod("getScheme", opaque, [], STRING, function () {
      return get(this).protocol.replace(/:$/, "");
    }),
    celMethod("getHost", opaque, [], STRING, function () {
      return get(this).host;
    }),
    celMethod("getHostname", opaque, [], STRING, function () {
      return get(this).hostname.replace(/^\[|\]$/g, "");
    }),
    celMethod("getPort", opaque, [], STRING, function () {
      return get(this).port;
    }),
    celMethod("getEscapedPath", opaque, [], STRING, function () {
      return get(this).pathname;
    }),
    celMethod("getQuery", opaque, [], opaque, function () {
      const query = new Map<string, string[]>();
      for (const [key, value] of get(this).searchParams) query.set(key, [...(query.get(key) ?? []), value]);
      return query;
    }),
  ];
}

function ipFunctions(): CelFunc[] {
  const address = (self: CelMap) => unwrap(self, ipKey, "IP");
  return [
    // The Kubernetes IP library rejects IPv4-mapped IPv6 addresses and zones.
    celFunc("isIP", [STRING], BOOL, (text) => isIP(text) && !/^::ffff:[0-9.]+$/i.test(text)),
    celFunc("ip", [STRING], opaque, (text) => {
      if (!isIP(text) || /^::ffff:[0-9.]+$/i.test(text)) throw new Error(`IP Address "${text}" parse error during conversion from string`);
      return wrap(ipKey, text);
    }),
    celMethod("family", opaque, [], INT, function () {
      return isIPv4(address(this)) ? 4n : 6n;
    }),
    celMethod("isLoopback", opaque, [], BOOL, function () {
      const text = address(this);
      return text.startsWith("127.") || text === "::1";
    }),
    celMethod("isUnspecified", opaque, [], BOOL, function () {
      const text = address(this);
      return text === "0.0.0.0" || text === "::";
    }),
    celFunc("isCIDR", [STRING], BOOL, (text) => isCIDR(text)),
    celFunc("cidr", [STRING], opaque, (text) => {
      if (!isCIDR(text)) throw new Error(`network address "${text}" parse error during conversion from string`);
      return wrap(cidrKey, text);
    }),
    celMethod("prefixLength", opaque, [], INT, function () {
      return BigInt(unwrap(this, cidrKey, "CIDR").split("/")[1]!);
    }),
  ];
}

/** RE2 search with JavaScript's engine (the RE2 port has no match extraction); a leading `(?i)` becomes the `i` flag. */
function jsRegex(pattern: string, global: boolean): RegExp {
  const insensitive = pattern.startsWith("(?i)");
  return new RegExp(insensitive ? pattern.slice(4) : pattern, `u${insensitive ? "i" : ""}${global ? "g" : ""}`);
}

function regexFunctions(): CelFunc[] {
  return [
    // Replaces the standard `matches` to share compiled patterns across rules and documents.
    celMethod("matches", STRING, [STRING], BOOL, function (pattern) {
      return compilePattern(pattern).test(this);
    }),
    // The linear-time automaton decides first whether there is a match at all: the failing searches are the ones
    // that make a backtracking engine run away, and they never reach it.
    celMethod("find", STRING, [STRING], STRING, function (pattern) {
      if (!compilePattern(pattern).test(this)) return "";
      return jsRegex(pattern, false).exec(this)?.[0] ?? "";
    }),
    celMethod("findAll", STRING, [STRING], listType(STRING), function (pattern) {
      if (!compilePattern(pattern).test(this)) return [];
      return [...this.matchAll(jsRegex(pattern, true))].map((match) => match[0]);
    }),
  ];
}

function listFunctions(): CelFunc[] {
  const list = listType(DYN);
  const items = (self: CelList) => [...self] as unknown[];
  const compare = (a: unknown, b: unknown) => (a! < b! ? -1 : a! > b! ? 1 : 0);
  return [
    celMethod("isSorted", list, [], BOOL, function () {
      const values = items(this);
      return values.every((value, index) => index === 0 || compare(values[index - 1], value) <= 0);
    }),
    celMethod("sum", listType(INT), [], INT, function () {
      let total = 0n;
      for (const value of this) total += value as bigint;
      return total;
    }),
    celMethod("sum", listType(DOUBLE), [], DOUBLE, function () {
      let total = 0;
      for (const value of this) total += value as number;
      return total;
    }),
    celMethod("min", list, [], DYN, function () {
      const values = items(this);
      if (values.length === 0) throw new Error("min called on empty list");
      return values.reduce((a, b) => (compare(a, b) <= 0 ? a : b)) as never;
    }),
    celMethod("max", list, [], DYN, function () {
      const values = items(this);
      if (values.length === 0) throw new Error("max called on empty list");
      return values.reduce((a, b) => (compare(a, b) >= 0 ? a : b)) as never;
    }),
  ];
}

const quantityPattern = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;
const suffixScale: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes resource quantity as a double (exact enough for comparisons in validation rules). */
function quantityValue(text: string): number | undefined {
  const match = quantityPattern.exec(text);
  if (!match) return undefined;
  const base = Number(match[1]);
  if (match[2]) return base * 10 ** Number(match[2].slice(1));
  return base * (suffixScale[match[3] ?? ""] ?? 1);
}

function quantityFunctions(): CelFunc[] {
  const value = (self: CelMap) => quantityValue(unwrap(self, quantityKey, "Quantity"))!;
  return [
    celFunc("isQuantity", [STRING], BOOL, (text) => quantityValue(text) !== undefined),
    celFunc("quantity", [STRING], opaque, (text) => {
      if (quantityValue(text) === undefined) throw new Error(`quantities must match the regular expression '${quantityPattern.source}'`);
      return wrap(quantityKey, text);
    }),
    celMethod("compareTo", opaque, [opaque], INT, function (other) {
      return BigInt(Math.sign(value(this) - value(other)));
    }),
    celMethod("isLessThan", opaque, [opaque], BOOL, function (other) {
      return value(this) < value(other);
    }),
    celMethod("isGreaterThan", opaque, [opaque], BOOL, function (other) {
      return value(this) > value(other);
    }),
    celMethod("asApproximateFloat", opaque, [], DOUBLE, function () {
      return value(this);
    }),
    celMethod("asInteger", opaque, [], INT, function () {
      const number = value(this);
      if (!Number.isInteger(number)) throw new Error("cannot convert value to integer");
      return BigInt(number);
    }),
    celMethod("sign", opaque, [], INT, function () {
      return BigInt(Math.sign(value(this)));
    }),
  ];
}

/** Go's time.ParseDuration, which rejects "" and "-" (the evaluator's own parser accepts them). */
function durationFunctions(): CelFunc[] {
  // The evaluator's own conversion (a separate default environment) builds the Duration value once the
  // text has passed Go's rules.
  const standardDuration = (text: string) => run("duration(text)", { text }) as CelValue;
  const durationType = celType(standardDuration("1s"));
  return [
    celFunc("duration", [STRING], durationType, (text) => {
      if (parseGoDuration(text) === undefined) throw new Error(`invalid duration: ${text}`);
      return standardDuration(text);
    }),
  ];
}

let library: CelFunc[] | undefined;

export function kubernetesCelLibrary(): CelFunc[] {
  library ??= [
    ...strings,
    ...durationFunctions(),
    ...urlFunctions(),
    ...ipFunctions(),
    ...regexFunctions(),
    ...listFunctions(),
    ...quantityFunctions(),
  ];
  return library;
}
