import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import {
  compilePattern,
  isBacktrackSafe,
  PROVEN_PATTERNS,
  re2SyntaxError,
  readsSameInJavaScript,
} from "../../../src/core/validate/patterns.js";
import { RE2JS } from "@bufbuild/re2";

describe("compilePattern: RE2 semantics in linear time", () => {
  it.each([
    ["^(a+)+$", "a".repeat(5000) + "!"],
    ["^(a|a)*$", "a".repeat(5000) + "!"],
    ["^(a*)*b$", "a".repeat(5000)],
    ["(x+x+)+y", "x".repeat(5000)],
    ["^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", "a".repeat(100_000) + "!"],
    ["a*a*a*a*a*b", "a".repeat(5000)],
  ])("does not backtrack catastrophically on %s", (pattern, input) => {
    expect(compilePattern(pattern).test(input)).toBe(false);
  });

  it("matches like RE2 on ordinary values, through both engines", () => {
    const dns = compilePattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    expect(dns.test("foo.example.com")).toBe(true);
    expect(dns.test("Foo.example.com")).toBe(false);
    const label = compilePattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    expect(label.test("my-ns")).toBe(true);
    expect(label.test("a".repeat(300))).toBe(true);
    expect(label.test("a".repeat(300) + "-")).toBe(false);
    expect(compilePattern("(?i)^abc$").test("ABC")).toBe(true);
    expect(compilePattern("^a\\z").test("a")).toBe(true);
  });

  it.each([
    ["^a.b$", "a\rb", true],
    ["^a.b$", "a\u2028b", true],
    ["^a.b$", "a\nb", false],
    ["^a[.]b$", "a\rb", false],
    ["^a\\sb$", "a\vb", false],
    ["^a\\sb$", "a\u00a0b", false],
    ["^\\S+$", "x\u00a0y", true],
    ["^[\\s]$", "\v", false],
  ])("reads %j as RE2 does where JavaScript's classes differ (%j)", (pattern, value, matches) => {
    expect(compilePattern(pattern).test(value)).toBe(matches);
  });

  it.each(["a{1001}", "\\1", "a++", "(?=a)", "(?<!a)b", "x{2,1}", "[z-a]", "a**", "(a"])("rejects %s as RE2 does", (pattern) => {
    expect(() => compilePattern(pattern)).toThrow(/error parsing regexp/);
    expect(re2SyntaxError(pattern)).toMatch(/error parsing regexp/);
  });

  it("lets JavaScript's engine take only patterns that cannot blow up", () => {
    expect(isBacktrackSafe("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")).toBe(true);
    expect(isBacktrackSafe("^([0-9]{1,5}(h|m|s|ms)){1,4}$")).toBe(false);
    expect(isBacktrackSafe("^(a+)+$")).toBe(false);
    expect(isBacktrackSafe("^(a|b)*$")).toBe(false);
    expect(isBacktrackSafe("^(ab)*$")).toBe(true);
    expect(isBacktrackSafe("^(?:[-A-Za-z0-9/._~]|[%][0-9a-fA-F]{2})+$")).toBe(false);
    expect(isBacktrackSafe("^(?:ab)+c$")).toBe(true);
    expect(isBacktrackSafe("a*b*c*")).toBe(false);
    expect(isBacktrackSafe("(?i)abc")).toBe(false);
  });
});

describe("compilePattern: the DNS subdomain patterns CRDs put on names and hostnames", () => {
  const subdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  const wildcardSubdomain = "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  const automaton = (pattern: string) => RE2JS.compile(pattern);

  /** Every string over a small alphabet, plus seeded random longer ones: the scanner must agree with RE2 on each. */
  function samples(): string[] {
    const alphabet = ["a", "z", "0", "9", "-", ".", "*", "A", "_", "\n", " ", "é"];
    const out = [""];
    let layer = [""];
    for (let length = 1; length <= 4; length++) {
      layer = layer.flatMap((prefix) => alphabet.map((char) => prefix + char));
      out.push(...layer);
    }
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let index = 0; index < 3000; index++) {
      const length = 1 + (next() % 40);
      let text = next() % 3 === 0 ? "*." : "";
      for (let at = 0; at < length; at++) text += alphabet[next() % (next() % 4 === 0 ? alphabet.length : 6)];
      out.push(text);
    }
    return out;
  }

  it.each([subdomain, wildcardSubdomain])("agrees with RE2 on %s", (pattern) => {
    const scanned = compilePattern(pattern);
    const reference = automaton(pattern);
    const disagreements = samples().filter((text) => scanned.test(text) !== reference.test(text));
    expect(disagreements).toEqual([]);
  });

  it("accepts and refuses the usual hostnames", () => {
    const hostname = compilePattern(wildcardSubdomain);
    expect(hostname.test("*.example.com")).toBe(true);
    expect(hostname.test("app-1.example.com")).toBe(true);
    expect(hostname.test("*.*.example.com")).toBe(false);
    expect(hostname.test("example.com.")).toBe(false);
    expect(hostname.test("-a.example.com")).toBe(false);
    expect(hostname.test("a-.example.com")).toBe(false);
    expect(hostname.test("a..b")).toBe(false);
    expect(hostname.test("*.")).toBe(false);
    expect(compilePattern(subdomain).test("*.example.com")).toBe(false);
    expect(compilePattern(subdomain).test("a".repeat(100_000))).toBe(true);
  });
});

describe("proven patterns: JavaScript's engine without loading RE2", () => {
  // Short strings over the characters these patterns care about, every one up to length 3, then longer ones
  // built from label-like pieces; long values exercise the RE2 fallback.
  const alphabet = ["a", "Z", "0", "-", ".", "/", "*", "%", "_", ":", "h", "s", " ", "é"];
  const short = [""];
  for (let length = 1; length <= 3; length++) {
    for (const prefix of short.filter((text) => [...text].length === length - 1)) for (const char of alphabet) short.push(prefix + char);
  }
  const pieces = ["web", "a-b", "-", ".", "/", "*.", "x9", "Svc", "%2F", "%g0", "10s", "5ms", "a_b", ":", "1.2", "ab-", "h"];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const built = Array.from({ length: 1500 }, () =>
    Array.from({ length: 1 + Math.floor(next() * 8) }, () => pieces[Math.floor(next() * pieces.length)]).join(""),
  );
  const long = [
    `${"a".repeat(255)}-`,
    `${"a-".repeat(85)}.${"b".repeat(80)}`,
    `${"a.".repeat(127)}a`,
    `${"ab.".repeat(84)}-`,
    `${"a".repeat(62)}/${"b".repeat(193)}`,
    `${"a.".repeat(200)}/x`,
    `${"1s".repeat(130)}`,
    `${"%2F".repeat(85)}%`,
    `${"a".repeat(300)}`,
  ];
  const re2 = createRequire(import.meta.url)("@bufbuild/re2") as typeof import("@bufbuild/re2");

  it.each([...PROVEN_PATTERNS])("%s is valid RE2 and matches as RE2 does", (pattern) => {
    const automaton = re2.RE2JS.compile(pattern);
    expect(readsSameInJavaScript(pattern)).toBe(true);
    expect(re2SyntaxError(pattern)).toBeUndefined();
    const compiled = compilePattern(pattern);
    const disagreements = [...short, ...built, ...long].filter((text) => compiled.test(text) !== automaton.test(text));
    expect(disagreements).toEqual([]);
  });

  it("accepts what the schemas mean by them", () => {
    const subdomain = compilePattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    expect(subdomain.test("reviews.default.svc.cluster.local")).toBe(true);
    expect(subdomain.test("reviews..default")).toBe(false);
    const hostname = compilePattern("^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    expect(hostname.test("*.example.com")).toBe(true);
    expect(hostname.test("a.*.example.com")).toBe(false);
    expect(compilePattern("^([0-9]{1,5}(h|m|s|ms)){1,4}$").test("1h30m5s100ms")).toBe(true);
    expect(compilePattern("^([0-9]{1,5}(h|m|s|ms)){1,4}$").test("1h1m1s1ms1h")).toBe(false);
  });
});
