import { describe, expect, it } from "vitest";
import { compareNames } from "../../src/core/text-order.js";

/** Deterministic pseudo-random strings (no Math.random: a failure must reproduce). */
function* names(alphabet: string, count: number): Generator<string> {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < count; i++)
    yield Array.from({ length: Math.floor(next() * 7) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
}

describe("compareNames", () => {
  it("orders names of lowercase letters, digits, '-' and '.' exactly as localeCompare does", () => {
    const all = [...names("abcxyz019-.", 4000)];
    for (let i = 0; i + 1 < all.length; i++) {
      const [a, b] = [all[i]!, all[i + 1]!];
      expect([a, b, Math.sign(compareNames(a, b))]).toEqual([a, b, Math.sign(a.localeCompare(b))]);
    }
    const sorted = [...all].sort(compareNames);
    expect(sorted).toEqual([...all].sort((a, b) => a.localeCompare(b)));
  });

  it("leaves everything else to localeCompare (case, accents, other punctuation)", () => {
    const mixed = ["beta", "Canary", "canary", "a_b", "a-b", "ä", "b", "Z", "10", "9", "istio-ingressgateway", "istio-egressgateway"];
    expect([...mixed].sort(compareNames)).toEqual([...mixed].sort((a, b) => a.localeCompare(b)));
    expect(compareNames("beta", "Canary")).toBeLessThan(0);
  });
});
