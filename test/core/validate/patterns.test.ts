import { describe, expect, it } from "vitest";
import { compilePattern, isBacktrackSafe, re2SyntaxError } from "../../../src/core/validate/patterns.js";

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
