import { describe, expect, it } from "vitest";
import { sanitizeName, sanitizeSlowly } from "../../../src/core/convert/names.js";

// sanitizeName returns clean names as they are; the shortcut must agree with the four replacements everywhere.

function* shortStrings(alphabet: readonly string[], maxLength: number): Generator<string> {
  let level = [""];
  yield "";
  for (let length = 1; length <= maxLength; length++) {
    const next: string[] = [];
    for (const prefix of level) for (const character of alphabet) next.push(prefix + character);
    yield* next;
    level = next;
  }
}

describe("sanitizeName", () => {
  it("agrees with the plain replacements on every string of up to 5 characters over an edge-case alphabet", () => {
    const alphabet = ["a", "Z", "0", ".", "-", "_", "*", " ", "é"];
    let checked = 0;
    for (const name of shortStrings(alphabet, 5)) {
      expect(sanitizeName(name), JSON.stringify(name)).toBe(sanitizeSlowly(name));
      checked++;
    }
    expect(checked).toBeGreaterThan(60_000);
  });

  it("agrees on long names around the 253-character limit and on seeded random names", () => {
    for (const length of [252, 253, 254, 300]) {
      for (const name of ["a".repeat(length), `${"a".repeat(length - 1)}-`, `${"b".repeat(length - 2)}.c`]) {
        expect(sanitizeName(name)).toBe(sanitizeSlowly(name));
      }
    }
    let state = 7;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const characters = "abcxyz0189.-_A*";
    for (let i = 0; i < 5000; i++) {
      const name = Array.from({ length: 1 + Math.floor(random() * 40) }, () => characters[Math.floor(random() * characters.length)]).join(
        "",
      );
      expect(sanitizeName(name), name).toBe(sanitizeSlowly(name));
    }
  });

  it("cleans what needs cleaning", () => {
    expect(sanitizeName("Web--API_v2.")).toBe("web-api-v2");
    expect(sanitizeName("-.x.-")).toBe("x");
    expect(sanitizeName("___")).toBe("unnamed");
    expect(sanitizeName(`${"a".repeat(300)}`)).toMatch(/^a{244}-[0-9a-f]{8}$/);
  });
});
