import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BUNDLE_ID_LINE, bundleId, compileCacheDirectory, loadBundle } from "../../src/cli/bundle-loader.js";

const scratch = mkdtempSync(path.join(tmpdir(), "mesh-bundle-loader-"));
let serial = 0;

/** A bundle file with the given id line and body; each call gets a file of its own. */
function bundleFile(id: string | undefined, body: string): string {
  const file = path.join(scratch, `bundle-${serial++}.cjs`);
  writeFileSync(file, `${id === undefined ? "" : `${BUNDLE_ID_LINE.replace("%s", id)}\n`}${body}\n`);
  return file;
}

/** A fresh cache directory that only its owner can write to, as the loader wants it. */
function privateDirectory(): string {
  const directory = path.join(scratch, `cache-${serial++}`);
  mkdirSync(directory, { mode: 0o700 });
  return directory;
}

/**
 * Loads `file` with the built loader (dist/bundle/loader.cjs) in a new process, calls its export `name`, saves the
 * compiled code and says how the code was found and what the call gave.
 */
function runInChild(file: string, cacheDirectory: string, name: string): string {
  const script = `const { loadBundle } = require(${JSON.stringify(builtLoader)});
const run = loadBundle(${JSON.stringify(file)}, { cacheDirectory: ${JSON.stringify(cacheDirectory)}, cacheName: "validate" });
const value = run.exports[${JSON.stringify(name)}]();
run.saveCompiledCode();
process.stdout.write(run.compiledCode + " " + value);`;
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
}

const builtLoader = fileURLToPath(new URL("../../dist/bundle/loader.cjs", import.meta.url));

const answer = (value: number) => `exports.answer = function answer() { return ${value}; };`;

describe("bundleId", () => {
  it("reads the hash on the first line, and nothing from a file without one or with the build's placeholder", () => {
    expect(bundleId("// mesh-bundle 0123abcd\nrest")).toBe("0123abcd");
    expect(bundleId("exports.x = 1;\n")).toBeUndefined();
    expect(bundleId(`// mesh-bundle ${"0".repeat(20)}\n`)).toBeUndefined();
    expect(bundleId("// mesh-bundle not-hex\n")).toBeUndefined();
  });
});

describe("compileCacheDirectory", () => {
  it("is a per-user directory under the temporary directory unless MESH_COMPILE_CACHE or Node's switch say otherwise", () => {
    expect(compileCacheDirectory({})).toBe(path.join(tmpdir(), `mesh-compile-cache-${process.getuid?.() ?? "user"}`));
    expect(compileCacheDirectory({ MESH_COMPILE_CACHE: "/somewhere/else" })).toBe(path.resolve("/somewhere/else"));
    for (const off of ["0", "off", "FALSE"]) expect(compileCacheDirectory({ MESH_COMPILE_CACHE: off })).toBeUndefined();
    expect(compileCacheDirectory({ NODE_DISABLE_COMPILE_CACHE: "1" })).toBeUndefined();
  });
});

describe("loadBundle", () => {
  it("compiles on the first run, keeps the compiled code, and reuses it on the next run", () => {
    const file = bundleFile("aa11", answer(42));
    const cacheDirectory = privateDirectory();
    const first = loadBundle(file, { cacheDirectory, cacheName: "validate" });
    expect(first.compiledCode).toBe("absent");
    expect((first.exports.answer as () => number)()).toBe(42);
    first.saveCompiledCode();
    const entries = readdirSync(cacheDirectory);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(new RegExp(`^aa11-${process.version}-${process.arch}-[0-9a-f]{8}-validate\\.v8cache$`));
    expect(statSync(path.join(cacheDirectory, entries[0]!)).mode & 0o777).toBe(0o600);

    const second = loadBundle(file, { cacheDirectory, cacheName: "validate" });
    expect(second.compiledCode).toBe("reused");
    expect((second.exports.answer as () => number)()).toBe(42);
  });

  it("gathers the functions of the next runs into the entry, four runs in all, then keeps it as it is", () => {
    // Each run (a process of its own, as V8 keeps compiled scripts within a process) calls a function the runs
    // before it did not: the entry grows while it gathers them.
    const file = bundleFile("bb22", ["one", "two", "three", "four", "five"].map((name) => `exports.${name} = () => "${name}";`).join("\n"));
    const cacheDirectory = privateDirectory();
    const entryOf = () => readFileSync(path.join(cacheDirectory, readdirSync(cacheDirectory)[0]!));
    const sizes: number[] = [];
    for (const [index, name] of ["one", "two", "three", "four"].entries()) {
      expect(runInChild(file, cacheDirectory, name)).toBe(`${index === 0 ? "absent" : "reused"} ${name}`);
      expect(entryOf()[0]).toBe(index + 1);
      sizes.push(entryOf().length);
    }
    expect(sizes[3]).toBeGreaterThan(sizes[0]!);
    const kept = entryOf();
    expect(runInChild(file, cacheDirectory, "five")).toBe("reused five");
    expect(entryOf().equals(kept)).toBe(true);
  });

  it("refuses an entry that is not V8's data for this bundle (as one written without the runs byte) and writes it anew", () => {
    const file = bundleFile("cc33", answer(7));
    const cacheDirectory = privateDirectory();
    expect(runInChild(file, cacheDirectory, "answer")).toBe("absent 7");
    const entry = path.join(cacheDirectory, readdirSync(cacheDirectory)[0]!);
    writeFileSync(entry, readFileSync(entry).subarray(1));
    expect(runInChild(file, cacheDirectory, "answer")).toBe("rejected 7");
    expect(readFileSync(entry)[0]).toBe(1);
    expect(runInChild(file, cacheDirectory, "answer")).toBe("reused 7");
  });

  it("never runs another build's compiled code: the entry is named by the bundle's id", () => {
    const cacheDirectory = privateDirectory();
    // Same length, other code: V8 alone would take the first one's cache for the second.
    const before = bundleFile("bb01", answer(1));
    const after = bundleFile("bb02", answer(2));
    const first = loadBundle(before, { cacheDirectory, cacheName: "validate" });
    first.saveCompiledCode();
    const second = loadBundle(after, { cacheDirectory, cacheName: "validate" });
    expect(second.compiledCode).toBe("absent");
    expect((second.exports.answer as () => number)()).toBe(2);
  });

  it("keeps an entry per place for the same build: the compiled code names its file", () => {
    const cacheDirectory = privateDirectory();
    const one = bundleFile("ab01", "exports.where = () => new Error().stack;");
    const other = bundleFile("ab01", "exports.where = () => new Error().stack;");
    loadBundle(one, { cacheDirectory, cacheName: "validate" }).saveCompiledCode();
    const second = loadBundle(other, { cacheDirectory, cacheName: "validate" });
    expect(second.compiledCode).toBe("absent");
    expect((second.exports.where as () => string)()).toContain(other);
  });

  it("leaves no partial file behind when the entry cannot be written", () => {
    const file = bundleFile("ac12", answer(8));
    const cacheDirectory = privateDirectory();
    loadBundle(file, { cacheDirectory, cacheName: "validate" }).saveCompiledCode();
    const [entry] = readdirSync(cacheDirectory);
    // A directory where the entry goes: the rename over it fails.
    rmSync(path.join(cacheDirectory, entry!));
    mkdirSync(path.join(cacheDirectory, entry!, "in-the-way"), { recursive: true });
    const again = loadBundle(file, { cacheDirectory, cacheName: "validate" });
    expect((again.exports.answer as () => number)()).toBe(8);
    again.saveCompiledCode();
    expect(readdirSync(cacheDirectory)).toEqual([entry]);
  });

  it("keeps one entry per command", () => {
    const file = bundleFile("cc11", answer(3));
    const cacheDirectory = privateDirectory();
    loadBundle(file, { cacheDirectory, cacheName: "validate" }).saveCompiledCode();
    loadBundle(file, { cacheDirectory, cacheName: "install" }).saveCompiledCode();
    loadBundle(file, { cacheDirectory, cacheName: "../../etc/passwd" }).saveCompiledCode();
    expect(
      readdirSync(cacheDirectory)
        .map((entry) => entry.replace(/^cc11-.*-[0-9a-f]{8}-/, ""))
        .sort(),
    ).toEqual(["install", "other", "validate"].map((name) => `${name}.v8cache`));
  });

  it("neither reads nor writes a directory that others may write to, or a link", () => {
    if (process.getuid === undefined) return;
    const file = bundleFile("dd11", answer(4));
    const shared = privateDirectory();
    chmodSync(shared, 0o777);
    const run = loadBundle(file, { cacheDirectory: shared, cacheName: "validate" });
    run.saveCompiledCode();
    expect(readdirSync(shared)).toEqual([]);

    const target = privateDirectory();
    const link = path.join(scratch, `link-${serial++}`);
    symlinkSync(target, link);
    loadBundle(file, { cacheDirectory: link, cacheName: "validate" }).saveCompiledCode();
    expect(readdirSync(target)).toEqual([]);
  });

  it("creates a missing cache directory for its user only", () => {
    if (process.getuid === undefined) return;
    const file = bundleFile("ee11", answer(5));
    const cacheDirectory = path.join(scratch, `new-${serial++}`);
    loadBundle(file, { cacheDirectory, cacheName: "validate" }).saveCompiledCode();
    expect(statSync(cacheDirectory).mode & 0o777).toBe(0o700);
    expect(readdirSync(cacheDirectory)).toHaveLength(1);
  });

  it("creates no parent directories: a cache directory whose parent is missing is not used", () => {
    const file = bundleFile("ee12", answer(5));
    const parent = path.join(scratch, `missing-${serial++}`);
    const run = loadBundle(file, { cacheDirectory: path.join(parent, "cache"), cacheName: "validate" });
    expect((run.exports.answer as () => number)()).toBe(5);
    run.saveCompiledCode();
    expect(existsSync(parent)).toBe(false);
  });

  it("loads a bundle without an id, or without a cache directory, as Node's require does, and keeps nothing", () => {
    const withoutId = bundleFile(undefined, answer(6));
    const cacheDirectory = privateDirectory();
    const plain = loadBundle(withoutId, { cacheDirectory, cacheName: "validate" });
    expect(plain.compiledCode).toBe("off");
    expect((plain.exports.answer as () => number)()).toBe(6);
    plain.saveCompiledCode();
    expect(readdirSync(cacheDirectory)).toEqual([]);
    const off = loadBundle(bundleFile("ff11", answer(7)), { cacheDirectory: undefined, cacheName: "validate" });
    expect(off.compiledCode).toBe("off");
    expect((off.exports.answer as () => number)()).toBe(7);
  });

  it("gives the bundle Node's CommonJS variables, and an import() for packages that only ship ES modules", async () => {
    const file = bundleFile(
      "ab12",
      [
        "exports.names = [typeof require, __filename, __dirname];",
        'exports.load = () => globalThis[Symbol.for("mesh.importModule")]("node:path");',
      ].join("\n"),
    );
    const loaded = loadBundle(file, { cacheDirectory: privateDirectory(), cacheName: "validate" });
    expect(loaded.exports.names).toEqual(["function", file, path.dirname(file)]);
    const imported = (await (loaded.exports.load as () => Promise<{ join: unknown }>)()).join;
    expect(typeof imported).toBe("function");
    expect(existsSync(file)).toBe(true);
  });
});
