import { describe, expect, it } from "vitest";
import { fastLocator, parseFast, scanLocator } from "../../../src/core/documents/fast-parse.js";
import { parseManifestText, parseWithFullReader } from "../../../src/core/documents/parse.js";
import type { FieldPath } from "../../../src/core/findings.js";
import { seededRandom } from "../../support/seeded-random.js";

// scanLocator answers `locate` from the lines along a path; fastLocator reads the document again with positions
// recorded, and the full reader is the reference for both. Generated block documents (maps, lists, compact items,
// empty items, comments, quoted keys, flow values), seeded so that failures reproduce.

const keys = ["a", "b", "name", "spec", "0", "10", '"quoted key"', "'single'", "x y", "on", "key with: colon"];
const scalars = [
  "v",
  "80",
  '"q"',
  "'s'",
  "[a, b]",
  "{c: 1}",
  "[]",
  "{}",
  "null",
  "~",
  "yes",
  "a # comment",
  "[x,\n  y]",
  `"a\\"b" # c`,
  "'it''s'",
  `"x"y`,
  `'a''`,
];

/** Lines of a block node at `indent`; `compact` when it starts after a `- ` on its first line. */
function block(next: () => number, indent: number, depth: number): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  const comment = () => {
    if (next() < 0.1) lines.push(next() < 0.5 ? "" : `${" ".repeat(Math.floor(next() * 6))}# note`);
  };
  if (next() < 0.5 || depth > 3) {
    const used = new Set<string>();
    const count = 1 + Math.floor(next() * 4);
    for (let i = 0; i < count; i++) {
      const key = keys[Math.floor(next() * keys.length)]!;
      if (used.has(key)) continue;
      used.add(key);
      comment();
      const shape = next();
      if (shape < 0.45 || depth > 3) {
        const value = scalars[Math.floor(next() * scalars.length)]!.replaceAll("\n", `\n${pad}`);
        lines.push(`${pad}${key}: ${value}`);
      } else if (shape < 0.7) {
        lines.push(`${pad}${key}:${next() < 0.2 ? " # c" : ""}`);
        lines.push(...block(next, indent + 2, depth + 1));
      } else if (shape < 0.9) {
        lines.push(`${pad}${key}:`);
        lines.push(...sequence(next, next() < 0.5 ? indent : indent + 2, depth + 1));
      } else lines.push(`${pad}${key}:`);
    }
    return lines;
  }
  return sequence(next, indent, depth);
}

function sequence(next: () => number, indent: number, depth: number): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  const count = 1 + Math.floor(next() * 3);
  for (let i = 0; i < count; i++) {
    const shape = next();
    const spaces = next() < 0.8 ? 1 : 3;
    if (shape < 0.3 || depth > 3)
      lines.push(`${pad}-${" ".repeat(spaces)}${scalars[Math.floor(next() * scalars.length)]!.replaceAll("\n", `\n${pad}  `)}`);
    else if (shape < 0.7) {
      // A compact node: its first line after the dash, the rest at the column it starts at.
      const [first, ...rest] = block(next, indent + 1 + spaces, depth + 1).filter(
        (line) => line.trim() !== "" && !line.trim().startsWith("#"),
      );
      lines.push(`${pad}-${" ".repeat(spaces)}${first!.trimStart()}`, ...rest);
    } else if (shape < 0.9) {
      lines.push(`${pad}-${next() < 0.3 ? " # c" : ""}`);
      lines.push(...block(next, indent + 2, depth + 1));
    } else lines.push(`${pad}-`);
  }
  return lines;
}

function allPaths(value: unknown, prefix: FieldPath = []): FieldPath[] {
  const paths: FieldPath[] = [prefix, [...prefix, "missing"], [...prefix, 7]];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...allPaths(item, [...prefix, index])));
  else if (typeof value === "object" && value !== null)
    for (const [key, item] of Object.entries(value)) paths.push(...allPaths(item, [...prefix, key]));
  return paths;
}

describe("scanLocator", () => {
  it("gives fastLocator's position (and the full reader's) for every path of generated block documents", () => {
    const next = seededRandom(16_2026);
    let documents = 0;
    let scanned = 0;
    let asked = 0;
    for (let i = 0; i < 5000; i++) {
      const text = block(next, 0, 0).join("\n") + "\n";
      const fast = parseFast(text, 100);
      if (!fast || fast.length !== 1) continue;
      documents++;
      const document = fast[0]!;
      const scan = scanLocator(document);
      const recorded = fastLocator(document);
      const full = parseWithFullReader(text, "in.yaml").documents[0]!;
      const viaLocate = parseManifestText(text, "in.yaml").documents[0]!;
      expect(document.value, text).toEqual(full.object);
      for (const path of allPaths(document.value)) {
        asked++;
        const expected = full.locate(path);
        expect(viaLocate.locate(path), `${text}\n${JSON.stringify(path)}`).toEqual(expected);
        const position = scan(path);
        if (position === undefined) continue;
        scanned++;
        expect({ file: "in.yaml", ...position }, `${text}\n${JSON.stringify(path)}`).toEqual(expected);
        if (recorded) expect(position).toEqual(recorded(path));
      }
    }
    // The generator must reach the scanner often, not only its fallbacks.
    expect(documents).toBeGreaterThan(1000);
    expect(scanned).toBeGreaterThan(asked / 3);
  });
});
