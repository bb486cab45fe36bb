import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, openSync, ftruncateSync, closeSync, symlinkSync } from "node:fs";
import { Readable } from "node:stream";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { expandInputArguments, expandInputPaths, inputArgsOrStdin, readInputText, readStream } from "../../../src/core/documents/inputs.js";
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

  it.each([
    ["a Latin-1 letter", Buffer.from("name: caf\xe9\n", "latin1"), 9],
    ["a byte that starts no character", Buffer.from([0x6f, 0x6b, 0xff]), 2],
    ["a stray continuation byte", Buffer.from("abc\x80def", "latin1"), 3],
    ["an overlong encoding", Buffer.from([0x61, 0xc0, 0xaf]), 1],
    ["an encoded surrogate", Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]), 2],
    ["a character the end of the file cuts off", Buffer.from([0x61, 0x62, 0xe2, 0x82]), 2],
    ["a bad byte after 5,000 good characters", Buffer.concat([Buffer.from("\u00e9".repeat(5000)), Buffer.from([0xe9, 0x41])]), 10_000],
  ])("names the first byte that is not UTF-8: %s", async (_, bytes, offset) => {
    const file = path.join(dir, "not-utf8.yaml");
    writeFileSync(file, bytes);
    const result = await readInputText(file, noStdin);
    expect((result as { message: string }).message).toContain(`(byte ${offset} is not UTF-8 text)`);
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
    expect(inputArgsOrStdin([], () => false)).toEqual(["-"]);
    // With arguments, stdin is never looked at (looking sets up a stream).
    expect(inputArgsOrStdin(["a.yaml"], () => expect.fail("stdin looked at"))).toEqual(["a.yaml"]);
    expect(inputArgsOrStdin([], undefined)).toEqual(["-"]);
  });

  it("refuses to wait on a terminal when nothing is given", () => {
    expect(() => inputArgsOrStdin([], true)).toThrow(UsageError);
    expect(() => inputArgsOrStdin([], true)).toThrow(/no input: pass files/);
  });
});

describe("directory walks, exclusions and links", () => {
  let repo: string;
  const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
  const relative = (files: string[]) => files.map((file) => path.relative(repo, file).split(path.sep).join("/"));

  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), "mesh-walk-"));
    for (const folder of ["deploy/base", "charts/web/templates", "node_modules/pkg", ".github/workflows", "real"])
      mkdirSync(path.join(repo, folder), { recursive: true });
    writeFileSync(path.join(repo, "deploy/app.yaml"), cm("app"));
    writeFileSync(path.join(repo, "deploy/base/base.yaml"), cm("base"));
    writeFileSync(path.join(repo, "deploy/app.tmpl.yaml"), cm("tmpl"));
    writeFileSync(path.join(repo, "charts/web/templates/svc.yaml"), cm("chart"));
    writeFileSync(path.join(repo, "node_modules/pkg/x.yaml"), cm("dependency"));
    writeFileSync(path.join(repo, ".github/workflows/ci.yaml"), "on: push\njobs: {}\n");
    writeFileSync(path.join(repo, "real/linked.yaml"), cm("linked"));
    symlinkSync(path.join(repo, "real"), path.join(repo, "deploy/linked-dir"));
    symlinkSync(path.join(repo, "real/linked.yaml"), path.join(repo, "deploy/linked-file.yaml"));
    // A loop: deploy/base/up points back at deploy.
    symlinkSync(path.join(repo, "deploy"), path.join(repo, "deploy/base/up"));
  });

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it("skips node_modules and dot-directories, follows links, and reports a loop once", async () => {
    const [expanded] = await expandInputArguments([repo]);
    expect(relative(expanded!.files)).toEqual([
      "charts/web/templates/svc.yaml",
      "deploy/app.tmpl.yaml",
      "deploy/app.yaml",
      "deploy/base/base.yaml",
      "deploy/linked-dir/linked.yaml",
      "deploy/linked-file.yaml",
      // real/ was already read through deploy/linked-dir: each real directory is walked once.
    ]);
    expect(expanded!.findings).toEqual([expect.objectContaining({ code: "symlink-loop", severity: "warning" })]);
    expect(expanded!.findings[0]!.message).toContain(path.join("deploy", "base", "up"));
  });

  it("still reads a dot-directory named on the command line", async () => {
    expect(relative(await expandInputPaths([path.join(repo, ".github")]))).toEqual([".github/workflows/ci.yaml"]);
  });

  it("leaves out what --exclude globs and --ignore-filename-pattern regexes match; unmatched patterns are fine", async () => {
    const files = await expandInputPaths([repo], {
      exclude: [path.join(repo, "charts/**"), "*.tmpl.yaml", "nothing-matches/**"],
      ignoreFilenamePatterns: [/linked/, /never/],
    });
    expect(relative(files)).toEqual(["deploy/app.yaml", "deploy/base/base.yaml"]);
  });

  it("matches --exclude against paths as given (relative ones too)", async () => {
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      expect(await expandInputPaths(["deploy"], { exclude: ["deploy/base/**", "deploy/linked*"] })).toEqual([
        path.join("deploy", "app.tmpl.yaml"),
        path.join("deploy", "app.yaml"),
      ]);
    } finally {
      process.chdir(cwd);
    }
  });

  it("reports a broken link to a manifest as an input error", async () => {
    const broken = mkdtempSync(path.join(tmpdir(), "mesh-broken-"));
    symlinkSync(path.join(broken, "gone.yaml"), path.join(broken, "dangling.yaml"));
    await expect(expandInputPaths([broken])).rejects.toThrow(/dangling\.yaml: broken symbolic link/);
    await expect(expandInputPaths([path.join(broken, "dangling.yaml")])).rejects.toThrow(/broken symbolic link/);
    rmSync(broken, { recursive: true, force: true });
  });

  it("counts an argument that yields nothing as empty", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "mesh-empty-"));
    const loaded = await loadDocuments([empty, path.join(repo, "deploy/app.yaml"), "-"], { readStdin: noStdin });
    expect(loaded.emptyArguments).toEqual([empty, "-"]);
    expect(loaded.documents).toHaveLength(1);
    rmSync(empty, { recursive: true, force: true });
  });
});

describe("reads bounded by the limit while reading", () => {
  const small = { maxFileBytes: 1024, maxAliasCount: 100, maxDepth: 100 };

  it.skipIf(process.platform !== "linux")("stops reading /dev/zero at the limit", async () => {
    expect(await readInputText("/dev/zero", noStdin, small)).toMatchObject({
      code: "input-too-large",
      message: expect.stringContaining("more than 1 KiB"),
    });
  });

  it.skipIf(process.platform === "win32")("stops reading a FIFO whose writer never ends", async () => {
    const fifoDir = mkdtempSync(path.join(tmpdir(), "mesh-fifo-"));
    const fifo = path.join(fifoDir, "endless.yaml");
    execFileSync("mkfifo", [fifo]);
    const writer = spawn("sh", ["-c", `yes 'a: b' > '${fifo}'`], { stdio: "ignore" });
    try {
      expect(await readInputText(fifo, noStdin, small)).toMatchObject({ code: "input-too-large" });
    } finally {
      writer.kill();
      rmSync(fifoDir, { recursive: true, force: true });
    }
  });

  it("stops reading an endless stream (stdin)", async () => {
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(4096, 0x61));
      },
    });
    const bytes = await readStream(endless, small);
    expect(bytes.length).toBeGreaterThan(1024);
    expect(bytes.length).toBeLessThan(16 * 1024);
    endless.destroy();
  });
});
