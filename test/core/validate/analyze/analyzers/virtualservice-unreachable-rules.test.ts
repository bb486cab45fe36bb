import { describe, expect, it } from "vitest";
import { canonical } from "../../../../../src/core/validate/analyze/analyzers/virtualservice-unreachable-rules.js";

// canonical writes its text straight out; this is what it stands for: a copy without zero values and with sorted
// keys, stringified.
function byCopy(value: unknown, skipKey?: string): string {
  const copy = typeof value === "object" && value !== null && !Array.isArray(value) && skipKey ? { ...value, [skipKey]: undefined } : value;
  return JSON.stringify(withoutZeroValues(copy) ?? null);
}

function withoutZeroValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((entry) => withoutZeroValues(entry) ?? null);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const entry = withoutZeroValues((value as Record<string, unknown>)[key]);
      if (entry !== undefined) out[key] = entry;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (value === null || value === false || value === 0 || value === "") return undefined;
  return value;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const keys = [
  "name",
  "uri",
  "exact",
  "prefix",
  "a",
  "B",
  "é",
  "10",
  "2",
  "0",
  "01",
  "4294967295",
  "4294967294",
  "-1",
  "__proto__",
  "x y",
  "",
];
const scalars = [null, false, true, 0, -0, 1, 2.5, -3, Number.NaN, Number.POSITIVE_INFINITY, "", "x", "0", 'q"uote', "\u2028", undefined];

function generate(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 3 || pick < 0.45) return scalars[Math.floor(next() * scalars.length)];
  if (pick < 0.65) return Array.from({ length: Math.floor(next() * 4) }, () => generate(next, depth + 1));
  // Through JSON text, so that `__proto__` becomes an own key as a YAML reader's objects may hold it.
  const entries = Array.from({ length: Math.floor(next() * 5) }, () => [
    keys[Math.floor(next() * keys.length)]!,
    generate(next, depth + 1),
  ]);
  const object = JSON.parse(`{${entries.map(([key]) => `${JSON.stringify(key)}:null`).join(",")}}`) as Record<string, unknown>;
  for (const [key, value] of entries)
    Object.defineProperty(object, key as string, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

describe("canonical (the key that tells repeated VirtualService matches)", () => {
  it("is the stringified sorted copy without zero values, on many generated values", () => {
    const next = random(16);
    for (let i = 0; i < 20_000; i++) {
      const value = generate(next, 0);
      expect(canonical(value)).toBe(byCopy(value));
      expect(canonical(value, "name")).toBe(byCopy(value, "name"));
    }
  });

  it("orders keys as JSON.stringify does: array indexes first, numerically, then the rest sorted", () => {
    expect(canonical({ b: 1, "10": 1, a: 1, "2": 1, "01": 1 })).toBe('{"2":1,"10":1,"01":1,"a":1,"b":1}');
    expect(canonical({ name: "x", uri: { prefix: "/" }, port: 0 }, "name")).toBe('{"uri":{"prefix":"/"}}');
    expect(canonical({ headers: {}, port: 0 })).toBe("null");
  });
});
