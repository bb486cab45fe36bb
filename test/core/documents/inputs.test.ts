import { mkdtempSync, mkdirSync, writeFileSync, openSync, ftruncateSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { expandInputPaths, inputArgsOrStdin, readInputText } from "../../../src/core/documents/inputs.js";
import { loadDocuments } from "../../../src/core/documents/load.js";
import { InputError, UsageError } from "../../../src/core/errors.js";

let dir: string;
const noStdin = async () => Buffer.alloc(0);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "mesh-inputs-"));
  mkdirSync(path.join(dir, "tree", "nested"), { recursive: true });
  writeFileSync(path.join(dir, "tree", "b.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n");
  writeFileSync(path.join(dir, "tree", "a.yml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
  writeFileSync(path.join(dir, "tree", "nested", "c.json"), '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}');
  writeFileSync(path.join(dir, "tree", "notes.txt"), "not a manifest");
  writeFileSync(path.join(dir, "binary.yaml"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
  writeFileSync(path.join(dir, "latin1.yaml"), Buffer.from("name: caf\xe9\n", "latin1"));
  // A sparse 50 MB file: the size check must refuse it before reading it.
  const big = openSync(path.join(dir, "big.yaml"), "w");
  ftruncateSync(big, 50 * 1024 * 1024);
  closeSync(big);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("expandInputPaths", () => {
  it("walks directories recursively for YAML and JSON files, in a stable order", async () => {
    const files = await expandInputPaths([path.join(dir, "tree")]);
    expect(files.map((file) => path.relative(dir, file))).toEqual([
      path.join("tree", "a.yml"),
      path.join("tree", "b.yaml"),
      path.join("tree", "nested", "c.json"),
    ]);
  });

  it("expands globs and keeps `-` for stdin", async () => {
    const files = await expandInputPaths([path.join(dir, "tree", "*.y*ml"), "-"]);
    expect(files.map((file) => path.basename(file))).toEqual(["a.yml", "b.yaml", "-"]);
  });

  it("fails with an InputError (exit 2) for a missing path", async () => {
    await expect(expandInputPaths([path.join(dir, "missing.yaml")])).rejects.toThrow(InputError);
    await expect(expandInputPaths([path.join(dir, "missing.yaml")])).rejects.toThrow(/no such file or directory/);
  });

  it("fails for a glob that matches nothing", async () => {
    await expect(expandInputPaths([path.join(dir, "*.nothing")])).rejects.toThrow(/no files match/);
  });
});

describe("readInputText", () => {
  it("refuses a 50 MB file with its size and the limit, without reading it", async () => {
    const result = await readInputText(path.join(dir, "big.yaml"), noStdin);
    expect(result).toMatchObject({ code: "input-too-large", severity: "error", line: 1, column: 1 });
    expect((result as { message: string }).message).toMatch(/big\.yaml is 50 MiB, over the 32 MiB limit/);
  });

  it("refuses a binary file and names the offending byte", async () => {
    const result = await readInputText(path.join(dir, "binary.yaml"), noStdin);
    expect(result).toMatchObject({ code: "binary-input", severity: "error" });
    expect((result as { message: string }).message).toMatch(/binary\.yaml is not a text file/);
  });

  it("refuses text that is not UTF-8", async () => {
    const result = await readInputText(path.join(dir, "latin1.yaml"), noStdin);
    expect(result).toMatchObject({ code: "binary-input" });
  });

  it("reads stdin through the given reader and names it <stdin>", async () => {
    const result = await readInputText("-", async () => Buffer.from("a: 1\n"));
    expect(result).toEqual({ file: "<stdin>", text: "a: 1\n" });
  });

  it("applies the size limit to stdin too", async () => {
    const result = await readInputText("-", async () => Buffer.alloc(2048, 0x61), {
      maxFileBytes: 1024,
      maxAliasCount: 100,
      maxDepth: 100,
    });
    expect(result).toMatchObject({ code: "input-too-large", file: "<stdin>" });
  });
});

describe("loadDocuments", () => {
  it("reads every input file by file and collects documents and findings", async () => {
    const loaded = await loadDocuments([path.join(dir, "tree"), path.join(dir, "binary.yaml")], { readStdin: noStdin });
    expect(loaded.documents.map((document) => document.identity.name)).toEqual(["a", "b", "c"]);
    expect(loaded.files).toHaveLength(4);
    expect(loaded.findings.map((finding) => finding.code)).toEqual(["binary-input"]);
  });
});

describe("inputArgsOrStdin", () => {
  it("keeps the arguments when there are some", () => {
    expect(inputArgsOrStdin(["a.yaml"], true)).toEqual(["a.yaml"]);
  });

  it("reads piped stdin when no argument is given", () => {
    expect(inputArgsOrStdin([], false)).toEqual(["-"]);
    expect(inputArgsOrStdin([], undefined)).toEqual(["-"]);
  });

  it("refuses to wait on a terminal when nothing is given", () => {
    expect(() => inputArgsOrStdin([], true)).toThrow(UsageError);
    expect(() => inputArgsOrStdin([], true)).toThrow(/no input: pass files/);
  });
});
