import { describe, expect, it } from "vitest";
import { fqdnProblem, wildcardDomainProblem } from "../../../../src/core/validate/istio/webhook-rules.js";
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
