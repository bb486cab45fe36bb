import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { withCatalogue } from "../../src/build/findings-catalogue.js";
import { FINDING_CODES, findingCode } from "../../src/core/finding-codes.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(directory, entry.name)) : entry.name.endsWith(".ts") ? [join(directory, entry.name)] : [],
  );
}

describe("the findings catalogue", () => {
  it("in docs/validate.md is the one generated from src/core/finding-codes.ts (npm run docs:catalogue)", () => {
    const docs = readFileSync(join(root, "docs/validate.md"), "utf8");
    expect(docs).toBe(withCatalogue(docs));
  });

  it("lists every code validate's sources spell out, once", () => {
    const codes = new Set<string>();
    for (const file of [...sourceFiles(join(root, "src/core/validate")), ...sourceFiles(join(root, "src/core/documents"))]) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(
        /\bcode: "([A-Za-z0-9_-]+)"|(?:warning|unsupported|duplicate|forbidden|notFound|required|invalid|collector)\([^)]*?"((?:IST|GWAPI_|K8S_|ISTIO_)[A-Z0-9_]+)"/g,
      )) {
        codes.add((match[1] ?? match[2])!);
      }
    }
    for (const kind of ["GATEWAY", "VIRTUALSERVICE", "DESTINATIONRULE", "SERVICEENTRY", "AUTHORIZATIONPOLICY", "PEERAUTHENTICATION"])
      codes.add(`ISTIO_${kind}`);
    expect(codes.size).toBeGreaterThan(40);
    expect([...codes].filter((code) => !findingCode(code))).toEqual([]);
    expect(new Set(FINDING_CODES.map((entry) => entry.code)).size).toBe(FINDING_CODES.length);
  });

  it("gives every code a summary and a description ending in a full stop", () => {
    for (const entry of FINDING_CODES) {
      expect(entry.summary.length, entry.code).toBeGreaterThan(5);
      expect(entry.description, entry.code).toMatch(/\.$/);
    }
  });
});
