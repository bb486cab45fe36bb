import { createRequire } from "node:module";

type Re2Module = typeof import("@bufbuild/re2");
const requireModule = createRequire(import.meta.url);
let re2: Re2Module | undefined;
// The RE2 port is 20 modules; most runs never need it (JavaScript handles the CRD patterns), so it loads on demand.
const re2Module = (): Re2Module => (re2 ??= requireModule("@bufbuild/re2") as Re2Module);

export interface CompiledPattern {
  test(text: string): boolean;
}

const cache = new Map<string, CompiledPattern | Error>();

/**
 * Compiles an RE2 pattern (CRD `pattern`, CEL `matches`, Istio regex fields). JavaScript's `u`-flag engine
 * agrees with RE2 on every pattern in the reference CRDs and is much faster, so it is tried first; patterns
 * it rejects or reads differently (inline flags such as `(?i)`, `\z`, possessive syntax) go to the RE2 port.
 * Both are partial matches: anchors in the pattern decide.
 */
export function compilePattern(pattern: string): CompiledPattern {
  const cached = cache.get(pattern);
  if (cached instanceof Error) throw cached;
  if (cached) return cached;
  let compiled: CompiledPattern;
  try {
    compiled = needsRe2(pattern) ? re2Pattern(pattern) : new RegExp(pattern, "u");
  } catch {
    try {
      compiled = re2Pattern(pattern);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      cache.set(pattern, failure);
      throw failure;
    }
  }
  cache.set(pattern, compiled);
  return compiled;
}

/** RE2 syntax check only (Istio's webhook requires valid RE2). Returns the parser's message when invalid. */
export function re2SyntaxError(pattern: string): string | undefined {
  try {
    re2Module().RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function needsRe2(pattern: string): boolean {
  return /\(\?[imsU-]+[):]|\\[zAQECpP]|\[\[:/.test(pattern);
}

function re2Pattern(pattern: string): CompiledPattern {
  const re = re2Module().RE2JS.compile(pattern);
  return { test: (text) => re.test(text) };
}
