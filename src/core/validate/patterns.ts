import { createRequire } from "node:module";
import { hasDns1123SubdomainShape } from "../dns-names.js";

type Re2Module = typeof import("@bufbuild/re2");
type Re2 = ReturnType<Re2Module["RE2JS"]["compile"]>;
const requireModule = createRequire(import.meta.url);
let re2: Re2Module | undefined;
// The RE2 port is 20 modules (about 15 ms to load); it loads on the first pattern, not at start-up.
const re2Module = (): Re2Module => (re2 ??= requireModule("@bufbuild/re2") as Re2Module);

export interface CompiledPattern {
  test(text: string): boolean;
}

const cache = new Map<string, CompiledPattern | Error>();

const DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS_SUBDOMAIN = `${DNS_LABEL}(\\.${DNS_LABEL})*`;

/**
 * The patterns the bundled Kubernetes, Istio and Gateway API schemas use most, proven (test/core/validate/
 * patterns.test.ts) to be valid RE2 that JavaScript reads the same way, and to be safe for JavaScript's
 * backtracking engine on values of at most 256 characters. They skip the RE2 port, whose loading alone costs a
 * small `mesh validate` a tenth of its time. Why the DNS ones are safe although isBacktrackSafe cannot tell:
 * a DNS label matches a string in exactly one way (the star takes all but the last character), and no label
 * character is a `.`, so every `.` starts the next repetition; a failing attempt backtracks once over each
 * label, quadratic at worst (cubic for the one tried from every start). A `/` (the qualified-name and "group/kind" forms) likewise ends the DNS part, which
 * cannot contain one. The duration form repeats a bounded piece a bounded number of times (constant work), and
 * the URL-path form's alternatives start with different characters (`%` is not in the class), so each
 * position has one parse.
 */
export const PROVEN_PATTERNS: ReadonlySet<string> = new Set([
  // Simple by isBacktrackSafe's rule; listed so that their RE2 syntax check needs no RE2 port.
  "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
  "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$",
  "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
  "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$",
  "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$",
  "^[-_A-Za-z0-9]+$",
  "(^$|^[a-f0-9]{64}$)",
  // DNS subdomains, alone or delimited by `/`.
  `^${DNS_SUBDOMAIN}$`,
  `^$|^${DNS_SUBDOMAIN}$`,
  `^(\\*\\.)?${DNS_SUBDOMAIN}$`,
  `^(${DNS_SUBDOMAIN}/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$`,
  `^${DNS_SUBDOMAIN}\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$`,
  `^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|${DNS_SUBDOMAIN}\\/[A-Za-z0-9]+$`,
  // Bounded repetition; alternatives told apart by their first character.
  "^([0-9]{1,5}(h|m|s|ms)){1,4}$",
  "^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$",
]);

/**
 * Patterns that CRDs put on every name and hostname, with an exact linear-time matcher: the automaton would see a new
 * value almost every time (each object's own hostname), at tens of µs per call.
 */
const scannedPatterns = new Map<string, CompiledPattern>([
  [String.raw`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`, { test: (text) => hasDns1123SubdomainShape(text) }],
  [
    String.raw`^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`,
    { test: (text) => hasDns1123SubdomainShape(text, text.startsWith("*.") ? 2 : 0) },
  ],
]);

/**
 * Values longer than this never reach JavaScript's backtracking engine: with at most two unbounded quantifiers
 * and no nesting (see isBacktrackSafe) its worst case is cubic, which is harmless at this size only.
 */
const BACKTRACKING_INPUT_LIMIT = 256;

/**
 * Compiles an RE2 pattern (CRD `pattern`, CEL `matches`, Istio regex fields) with RE2's semantics, as the API
 * server and istiod evaluate them: RE2's syntax rules (what RE2 rejects throws, with RE2's message) and
 * linear-time matching (the RE2 port is an automaton, so `^(a+)+$` cannot run away). JavaScript's engine is
 * 20-80x faster on short values, so it is used where it provably cannot backtrack catastrophically and reads
 * the pattern the same way: simple patterns (isBacktrackSafe) on values of at most 256 characters.
 * Both are partial matches: anchors in the pattern decide.
 */
export function compilePattern(pattern: string): CompiledPattern {
  const cached = cache.get(pattern);
  if (cached instanceof Error) throw cached;
  if (cached) return cached;
  const scanned = scannedPatterns.get(pattern);
  if (scanned) return scanned;
  let compiled: CompiledPattern;
  if (PROVEN_PATTERNS.has(pattern)) {
    compiled = hybrid(lazyAutomaton(pattern), new RegExp(pattern, "u"));
    cache.set(pattern, compiled);
    return compiled;
  }
  try {
    const automaton = re2Module().RE2JS.compile(pattern);
    const backtracking = isBacktrackSafe(pattern) ? javaScriptRegExp(pattern) : undefined;
    compiled = backtracking ? hybrid(automaton, backtracking) : remembered(automaton);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    cache.set(pattern, failure);
    throw failure;
  }
  cache.set(pattern, compiled);
  return compiled;
}

const REMEMBERED_VALUES = 512;

/**
 * The automaton is slow per call (tens of µs) and validation meets the same values again and again (every
 * route's `/`, every port name): short values' verdicts are kept, a bounded number per pattern.
 */
function remembered(automaton: Re2): CompiledPattern {
  const verdicts = new Map<string, boolean>();
  return {
    test(text) {
      if (text.length > BACKTRACKING_INPUT_LIMIT) return automaton.test(text);
      let verdict = verdicts.get(text);
      if (verdict === undefined) {
        verdict = automaton.test(text);
        if (verdicts.size >= REMEMBERED_VALUES) verdicts.clear();
        verdicts.set(text, verdict);
      }
      return verdict;
    },
  };
}

function hybrid(automaton: Re2 | (() => Re2), backtracking: RegExp): CompiledPattern {
  const longValues = typeof automaton === "function" ? automaton : () => automaton;
  return { test: (text) => (text.length <= BACKTRACKING_INPUT_LIMIT ? backtracking.test(text) : longValues().test(text)) };
}

/** A proven pattern's automaton is built (and the RE2 port loaded) only when a value too long for JavaScript's engine arrives. */
function lazyAutomaton(pattern: string): () => Re2 {
  let automaton: Re2 | undefined;
  return () => (automaton ??= re2Module().RE2JS.compile(pattern));
}

function javaScriptRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return undefined;
  }
}

/** RE2 syntax check only (Istio's webhook requires valid RE2). Returns the parser's message when invalid. */
export function re2SyntaxError(pattern: string): string | undefined {
  if (PROVEN_PATTERNS.has(pattern)) return undefined;
  try {
    re2Module().RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * No RE2-only syntax (inline flags, `\z`, `\Q…\E`, Unicode and POSIX classes, `\C`), nothing RE2 rejects but
 * JavaScript accepts, and none of the classes the two engines define differently: RE2's `\s` is `[\t\n\f\r ]`
 * where JavaScript's also takes `\v` and Unicode spaces. (RE2's `.` also differs, see isBacktrackSafe.)
 */
export function readsSameInJavaScript(pattern: string): boolean {
  return !/\(\?[imsU-]+[):]|\\[zAQECpP1-9ksS]|\\x\{|\[\[:|\(\?[=!<]/.test(pattern);
}

/** Whether `pattern` has a `.` outside character classes (an escaped `\.` is a literal). */
function hasWildcardDot(pattern: string): boolean {
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === "\\") index++;
    else if (inClass) inClass = char !== "]";
    else if (char === ".") return true;
    else if (char === "[") {
      inClass = true;
      // A `]` right after `[` or `[^` is literal.
      if (pattern[index + 1] === "^") index++;
      if (pattern[index + 1] === "]") index++;
    }
  }
  return false;
}

/**
 * Whether JavaScript's backtracking engine reads `pattern` as RE2 does and cannot take exponential time on it:
 * no RE2-only syntax or differently defined class (readsSameInJavaScript, a wildcard `.`), no backreferences or
 * lookaround (RE2 rejects those anyway), no quantified group that contains a quantifier or an alternation
 * (`(a+)+`, `(a|a)*`: the exponential cases), and at most two unbounded quantifiers overall (`a*a*a*…`: the
 * polynomial ones).
 */
export function isBacktrackSafe(pattern: string): boolean {
  // RE2's `.` takes everything but `\n`; JavaScript's also refuses `\r`, U+2028 and U+2029.
  if (!readsSameInJavaScript(pattern) || hasWildcardDot(pattern)) return false;
  // Per open group: whether it contains a quantifier or an alternation so far.
  const groups: { risky: boolean }[] = [];
  let unbounded = 0;
  let lastGroupRisky = false;
  let afterGroup = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === "\\") {
      index++;
      afterGroup = false;
      continue;
    }
    if (char === "[") {
      // Skip the class: a `]` right after `[` or `[^` is literal.
      index++;
      if (pattern[index] === "^") index++;
      if (pattern[index] === "]") index++;
      while (index < pattern.length && pattern[index] !== "]") index += pattern[index] === "\\" ? 2 : 1;
      afterGroup = false;
      continue;
    }
    if (char === "(") {
      groups.push({ risky: false });
      if (pattern[index + 1] === "?") {
        // `(?:` and `(?P<name>`: skip the group's prefix, which is not a quantifier.
        const end = pattern.slice(index).search(/[:>]/);
        index += end === -1 ? 1 : end;
      }
      afterGroup = false;
      continue;
    }
    if (char === ")") {
      const group = groups.pop();
      lastGroupRisky = group?.risky ?? false;
      if (lastGroupRisky && groups.length > 0) groups[groups.length - 1]!.risky = true;
      afterGroup = true;
      continue;
    }
    if (char === "|") {
      if (groups.length > 0) groups[groups.length - 1]!.risky = true;
      afterGroup = false;
      continue;
    }
    const quantifier = char === "*" || char === "+" || char === "?" || (char === "{" && /^\{\d+(,\d*)?\}/.test(pattern.slice(index)));
    if (quantifier) {
      const bounds = char === "{" ? /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(index))! : undefined;
      const repeats = char === "*" || char === "+" || (bounds !== undefined && bounds[2] !== undefined && bounds[3] !== String(bounds[1]));
      if (char === "*" || char === "+" || (bounds && bounds[2] !== undefined && bounds[3] === "")) unbounded++;
      if (afterGroup && lastGroupRisky && repeats) return false;
      if (groups.length > 0) groups[groups.length - 1]!.risky = true;
      if (bounds) index += bounds[0].length - 1;
      afterGroup = false;
      continue;
    }
    afterGroup = false;
  }
  return unbounded <= 2;
}
