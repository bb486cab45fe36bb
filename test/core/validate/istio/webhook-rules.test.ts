import { describe, expect, it } from "vitest";
import {
  durationProblem,
  fqdnProblem,
  fqdnProblemDetail,
  isIstioFqdn,
  wildcardDomainProblem,
} from "../../../../src/core/validate/istio/webhook-rules.js";
import { parseGoDuration } from "../../../../src/core/durations.js";
import { seededChoices } from "../../../support/seeded-random.js";

/** Hosts good and bad, more of them than the verdict maps keep, many asked about several times. */
function hosts(count: number): string[] {
  const { pick, chance } = seededChoices(16);
  const labels = ["a", "web", "x-y", "-bad", "bad-", "UPPER", "1", "123", "*", "*x", "*-x", "a_b", "", "é", "a".repeat(64)];
  return Array.from({ length: count }, (_, index) => {
    const parts = [pick(labels), `n${index % 5000}`];
    if (chance(0.7)) parts.push(pick(labels), pick(["com", "local", "123", ""]));
    return parts.join(".");
  });
}

/** Strings near the FQDN rule's edges: labels of every kind and length, dots anywhere, odd characters. */
function hostLike(count: number): string[] {
  const { pick, chance } = seededChoices(7);
  const pieces = [
    "a",
    "Z",
    "0",
    "9",
    "-",
    ".",
    "..",
    "x1",
    "1x",
    "a-b",
    "--",
    "*",
    "_",
    " ",
    "é",
    "\n",
    "a".repeat(62),
    "b".repeat(63),
    "1".repeat(64),
  ];
  return Array.from({ length: count }, () => {
    let host = "";
    const parts = 1 + Math.floor(chance(0.5) ? 3 : 8);
    for (let part = 0; part < parts; part++) host += pick(pieces) + (chance(0.6) ? "." : "");
    if (chance(0.05)) host = `${"ab.".repeat(85)}${host}`;
    return host;
  });
}

describe("the FQDN scan", () => {
  it("says no problem exactly where the label-by-label check finds none", () => {
    const inputs = [
      ...hostLike(20_000),
      ...hosts(3_000),
      "",
      ".",
      "a.",
      "a..",
      "1",
      "1.",
      "a.1",
      "1.a",
      "a.b-",
      "-a.b",
      "A.B",
      "a".repeat(255),
      "a".repeat(256),
    ];
    let fine = 0;
    for (const host of inputs) {
      const detail = fqdnProblemDetail(host);
      expect(isIstioFqdn(host), JSON.stringify(host)).toBe(detail === undefined);
      expect(fqdnProblem(host), JSON.stringify(host)).toBe(detail);
      if (detail === undefined) fine++;
    }
    expect(fine).toBeGreaterThan(500);
    expect(inputs.length - fine).toBeGreaterThan(1000);
  });
});

describe("remembered host verdicts", () => {
  it("are the verdicts of the first check, also once the maps were cleared", () => {
    const first = new Map<string, [string | undefined, string | undefined]>();
    for (const host of hosts(12_000)) {
      const verdict: [string | undefined, string | undefined] = [fqdnProblem(host), wildcardDomainProblem(host)];
      if (!first.has(host)) first.set(host, verdict);
      expect(verdict, host).toEqual(first.get(host));
    }
    const verdicts = [...first.values()];
    expect(first.size).toBeGreaterThan(4096);
    expect(verdicts.some(([fqdn]) => fqdn === undefined)).toBe(true);
    expect(verdicts.some(([fqdn, wildcard]) => fqdn !== undefined && wildcard === undefined)).toBe(true);
    expect(verdicts.some(([, wildcard]) => wildcard !== undefined)).toBe(true);
  });

  it("word a problem the same way when asked again", () => {
    for (let round = 0; round < 2; round++) {
      expect(fqdnProblem("a..b")).toBe('domain name "a..b" invalid (label "" invalid)');
      expect(fqdnProblem("x.123")).toContain("top level domain cannot be all-numeric");
      expect(wildcardDomainProblem("*.example.com")).toBeUndefined();
      expect(fqdnProblem("*.example.com")).toBeDefined();
    }
  });
});

/** Durations good and bad (Go syntax, sub-millisecond, fractional, garbage), more than the verdict map keeps. */
function durations(count: number): string[] {
  const { pick, chance } = seededChoices(61);
  const units = ["ns", "us", "µs", "ms", "s", "m", "h", "", "d", "S"];
  return Array.from({ length: count }, (_, index) => {
    let text = `${index % 6000}${pick(units)}`;
    if (chance(0.3)) text += `${pick(["0", "1", "1.5", "0.0001", ".5", "-1", "x"])}${pick(units)}`;
    if (chance(0.1)) text = pick(["-", "+", " ", ""]) + text;
    return text;
  });
}

/** The duration rule as written (no memo): what every remembered verdict must equal. */
function durationRule(text: string): string | undefined {
  const nanos = parseGoDuration(text);
  if (nanos === undefined) return `${JSON.stringify(text)} is not a duration; use Go syntax such as 300ms, 10s, 1m30s`;
  if (nanos < 1e6) return "duration must be greater than 1ms";
  if (Math.round(nanos) % 1e6 !== 0) return "only durations to ms precision are supported";
  return undefined;
}

describe("remembered duration verdicts", () => {
  it("are the rule's verdicts, asked once or again, also once the map was cleared", () => {
    const inputs = durations(12_000);
    const verdicts = new Set<string | undefined>();
    for (const round of [0, 1])
      for (const text of round === 0 ? inputs : [...inputs].reverse()) {
        const verdict = durationProblem(text);
        expect(verdict, text).toBe(durationRule(text));
        verdicts.add(verdict === undefined ? undefined : verdict.replace(/^".*" is not/, "_ is not"));
      }
    expect(new Set(inputs).size).toBeGreaterThan(4096);
    expect(verdicts).toEqual(
      new Set([
        undefined,
        "_ is not a duration; use Go syntax such as 300ms, 10s, 1m30s",
        "duration must be greater than 1ms",
        "only durations to ms precision are supported",
      ]),
    );
  });

  it("still refuse what is not a string", () => {
    for (const value of [5, null, {}, ["1s"]]) expect(durationProblem(value)).toBe('duration must be a string such as "10s"');
  });
});
