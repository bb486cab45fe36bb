import { isAscii } from "node:buffer";
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import vm from "node:vm";
import { IMPORT_MODULE_HOOK } from "../kube/import-module.js";

/**
 * Loads the bundled CLI (dist/bundle/*.cjs, written by src/build/steps/90-bundle.ts) and keeps V8's compiled code
 * between runs, as `module.enableCompileCache()` does on Node 22.1 and later, but on every Node mesh supports:
 * compiling the bundle is most of a small command's start-up. The cache is only ever used for the exact bundle it
 * was made from (the bundle's first line names it by a hash of its content) and the exact Node and architecture,
 * and only from a directory that belongs to the user running mesh and that nobody else may write to: compiled code
 * is code.
 */

/** The first line of every bundle; `%s` is the bundle's id. */
export const BUNDLE_ID_LINE = "// mesh-bundle %s";
/** What the build writes in place of the id before hashing the bundle; the id has the same length. */
export const BUNDLE_ID_PLACEHOLDER = "0".repeat(20);

const ID_PREFIX = BUNDLE_ID_LINE.replace("%s", "");
const CACHE_SUFFIX = ".v8cache";
/**
 * How many runs' compiled functions an entry gathers: the run that writes it and the next ones, each writing it
 * again with what it compiled besides. The first run of a command may touch little of it (one kind, one output
 * format); later runs reuse the entry as it is. An entry is one byte (the runs it holds) and V8's data.
 */
export const RUNS_GATHERED = 4;

export interface LoadedBundle {
  /** What the bundle exports (`module.exports`). */
  exports: Record<string, unknown>;
  /** Whether compiled code was kept (`off`: no cache directory, or a bundle without an id). */
  compiledCode: "reused" | "rejected" | "absent" | "off";
  /**
   * Writes the compiled code, including the functions compiled while running: when there was none or V8 refused it,
   * and after a run that reused an entry gathering fewer than RUNS_GATHERED runs.
   */
  saveCompiledCode(): void;
}

/**
 * Where compiled code is kept, or undefined for none: MESH_COMPILE_CACHE names a directory (`0`, `off` or `false`
 * for none); NODE_DISABLE_COMPILE_CACHE, Node's own switch, turns it off; by default a per-user directory under the
 * system's temporary directory, as Node's compile cache.
 */
export function compileCacheDirectory(env: NodeJS.ProcessEnv): string | undefined {
  const chosen = env.MESH_COMPILE_CACHE;
  if (chosen !== undefined && chosen !== "") return /^(0|off|false)$/i.test(chosen) ? undefined : path.resolve(chosen);
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  return path.join(tmpdir(), `mesh-compile-cache-${process.getuid?.() ?? "user"}`);
}

/** A directory only the current user can write to: not a link, owned by the user, no write bit for group or others. */
function isPrivateDirectory(directory: string): boolean {
  try {
    const stats = lstatSync(directory);
    if (!stats.isDirectory()) return false;
    const uid = process.getuid?.();
    // Windows has no uids or mode bits; its temporary directory is per user.
    return uid === undefined || (stats.uid === uid && (stats.mode & 0o022) === 0);
  } catch {
    return false;
  }
}

/** The build keeps the bundle ASCII, which reads faster as Latin-1 than as UTF-8 (the same text). */
function readSource(file: string): string {
  const bytes = readFileSync(file);
  return bytes.toString(isAscii(bytes) ? "latin1" : "utf8");
}

/** 32-bit FNV-1a of a path, in hex: distinguishes places, nothing more (crypto would cost start-up time). */
function pathHash(file: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < file.length; index++) hash = Math.imul(hash ^ file.charCodeAt(index), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** The id on the bundle's first line, or undefined when the file has none (a bundle made by hand). */
export function bundleId(source: string): string | undefined {
  if (!source.startsWith(ID_PREFIX)) return undefined;
  const id = source.slice(ID_PREFIX.length, source.indexOf("\n"));
  return /^[0-9a-f]+$/.test(id) && id !== BUNDLE_ID_PLACEHOLDER ? id : undefined;
}

/**
 * Runs the bundle `file` as a CommonJS module. With a cache directory, its compiled code is read from and saved to
 * `cacheName`'s entry there (a name per command: each command compiles other functions); without one, Node's own
 * `require` loads it (and maps stack traces when source maps are on).
 */
export function loadBundle(file: string, options: { cacheDirectory: string | undefined; cacheName: string }): LoadedBundle {
  // The bundle's own `import()` calls became `require` (the build marks dynamic import unsupported); packages that
  // only ship ES modules come through this hook, an `import()` in a file Node loaded itself.
  (globalThis as { [IMPORT_MODULE_HOOK]?: (specifier: string) => Promise<unknown> })[IMPORT_MODULE_HOOK] = (specifier) => import(specifier);
  const source = options.cacheDirectory === undefined ? undefined : readSource(file);
  const id = source === undefined ? undefined : bundleId(source);
  if (source === undefined || id === undefined || options.cacheDirectory === undefined) {
    return { exports: createRequire(import.meta.url)(file) as Record<string, unknown>, compiledCode: "off", saveCompiledCode: () => {} };
  }
  const directory = options.cacheDirectory;
  const name = /^[a-z][a-z0-9-]{0,40}$/.test(options.cacheName) ? options.cacheName : "other";
  const prefix = `${id}-`;
  // Node 20's V8 keeps the script's file name in its cache: the same build installed twice has an entry per place.
  const place = pathHash(file);
  const cacheFile = path.join(directory, `${prefix}${process.version}-${process.arch}-${place}-${name}${CACHE_SUFFIX}`);
  let cachedData: Buffer | undefined;
  let runsHeld = 0;
  if (isPrivateDirectory(directory)) {
    try {
      const entry = readFileSync(cacheFile);
      if (entry.length > 1) {
        runsHeld = entry[0]!;
        cachedData = entry.subarray(1);
      }
    } catch {
      // No cache yet.
    }
  }
  // Node's CommonJS wrapper, on the first line so that line numbers stay the bundle's.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const loaded = { exports: {} as Record<string, unknown> };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(loaded.exports, loaded.exports, createRequire(file), loaded, file, path.dirname(file));
  const saveCompiledCode = (): void => {
    const reused = cachedData !== undefined && !script.cachedDataRejected;
    if (reused && runsHeld >= RUNS_GATHERED) return;
    const partial = `${cacheFile}.${process.pid}`;
    try {
      // The directory alone, never its parents: a directory that cannot hold one is no place for a cache, and
      // Node's recursive mkdir spins forever where the parent exists but refuses new entries (/proc).
      try {
        mkdirSync(directory, { mode: 0o700 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") return;
      }
      if (!isPrivateDirectory(directory)) return;
      try {
        writeFileSync(partial, Buffer.concat([Buffer.of(reused ? runsHeld + 1 : 1), script.createCachedData()]), { mode: 0o600 });
        renameSync(partial, cacheFile);
      } catch (error) {
        rmSync(partial, { force: true });
        throw error;
      }
      // Entries of other builds a day old: another installed mesh may still be using newer ones.
      const dayAgo = Date.now() - 86_400_000;
      for (const entry of readdirSync(directory)) {
        const entryPath = path.join(directory, entry);
        if (entry.endsWith(CACHE_SUFFIX) && !entry.startsWith(prefix) && statSync(entryPath).mtimeMs < dayAgo)
          rmSync(entryPath, { force: true });
      }
    } catch {
      // A cache that cannot be written only costs the next run its start-up time.
    }
  };
  const compiledCode = cachedData === undefined ? "absent" : script.cachedDataRejected ? "rejected" : "reused";
  return { exports: loaded.exports, compiledCode, saveCompiledCode };
}
