import { isUtf8 } from "node:buffer";
import { closeSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Dirent, type Stats } from "node:fs";
import path from "node:path";
import { InputError, UsageError } from "../errors.js";
import type { Finding } from "../findings.js";
import { defaultReadLimits, formatBytes, type ReadLimits } from "./limits.js";

/** The name findings use for standard input. */
export const STDIN_NAME = "<stdin>";

const manifestExtensions = new Set([".yaml", ".yml", ".json"]);
const globCharacters = /[*?[\]{}]/;

/**
 * The inputs a command reads: the arguments given, or stdin when there are none and stdin is piped
 * (kubeconform and kubectl behave the same); with neither, a usage error that says what to pass.
 */
export function inputArgsOrStdin(
  args: readonly string[],
  stdinIsTTY: boolean | undefined | (() => boolean | undefined),
  what = "manifests",
): string[] {
  if (args.length > 0) return [...args];
  // A function when asking costs: the first look at process.stdin sets up a stream (and for a pipe, a socket).
  if (!(typeof stdinIsTTY === "function" ? stdinIsTTY() : stdinIsTTY)) return ["-"];
  throw new UsageError(`no input: pass files, directories or globs of ${what}, or "-" to read standard input`);
}

/** Which files a directory walk or glob leaves out; a pattern that matches nothing is no error. */
export interface InputFilters {
  /** Globs (`charts/**`, `*.tmpl.yaml`) matched against each path as walked, and against its name alone when the glob has no `/`. */
  exclude?: readonly string[];
  /** Regular expressions matched against each file's path, as kubeconform's -ignore-filename-pattern. */
  ignoreFilenamePatterns?: readonly RegExp[];
}

/** The files an argument stands for, in order, and what the walk had to say about them (symbolic link loops). */
export interface ExpandedInput {
  argument: string;
  files: string[];
  findings: Finding[];
  /** Files the argument stands for that an earlier argument already gave (they are read once). */
  repeated: number;
}

/** Directories a walk never enters: dependencies and tool state, not manifests (`node_modules`, `.git`, `.github`, …). */
function skippedDirectory(name: string): boolean {
  return name === "node_modules" || name.startsWith(".");
}

/**
 * Expands command-line arguments (files, directories, globs, `-`) into ordered files, one entry per argument.
 * Directories are walked for *.yaml, *.yml and *.json, following symbolic links to files and directories
 * (a link back to a directory being walked is reported once, not followed); `-` stays `-` (stdin).
 */
export async function expandInputArguments(args: readonly string[], filters: InputFilters = {}): Promise<ExpandedInput[]> {
  const excluded = await exclusionTest(filters);
  const seen = new Set<string>();
  const expanded: ExpandedInput[] = [];
  for (const arg of args) {
    const entry: ExpandedInput = { argument: arg, files: [], findings: [], repeated: 0 };
    expanded.push(entry);
    const add = (file: string) => {
      if (!seen.has(file)) {
        seen.add(file);
        entry.files.push(file);
      } else entry.repeated++;
    };
    if (arg === "-") {
      add("-");
      continue;
    }
    const info = statOrUndefined(arg);
    if (info?.isDirectory()) {
      for (const file of walkManifestFiles(arg, excluded, entry.findings)) add(file);
    } else if (info) {
      if (!excluded(arg)) add(arg);
    } else if (globCharacters.test(arg)) {
      const { glob } = await import("tinyglobby");
      const matches = (await glob(arg, { onlyFiles: true, expandDirectories: false })).sort();
      if (matches.length === 0) throw new InputError(`no files match "${arg}"`);
      for (const file of matches) if (!excluded(file)) add(file);
    } else {
      const link = statOrUndefined(arg, lstatSync);
      throw new InputError(link?.isSymbolicLink() ? `${arg}: broken symbolic link` : `${arg}: no such file or directory`);
    }
  }
  return expanded;
}

/** The files of all arguments, in order (see expandInputArguments). */
export async function expandInputPaths(args: readonly string[], filters: InputFilters = {}): Promise<string[]> {
  return (await expandInputArguments(args, filters)).flatMap((entry) => entry.files);
}

async function exclusionTest(filters: InputFilters): Promise<(file: string) => boolean> {
  const globs = filters.exclude?.length ? await globTests(filters.exclude) : [];
  const patterns = filters.ignoreFilenamePatterns ?? [];
  if (globs.length === 0 && patterns.length === 0) return () => false;
  return (file) => globs.some((test) => test(file)) || patterns.some((pattern) => pattern.test(file));
}

/** picomatch is loaded for --exclude only: most runs have no globs, and compiling it would cost start-up time. */
async function globTests(exclude: readonly string[]): Promise<((file: string) => boolean)[]> {
  const { default: picomatch } = await import("picomatch");
  return exclude.map((glob) => {
    const normalized = glob.replace(/^\.\//, "");
    const match = picomatch(normalized, { dot: true });
    const byName = !normalized.includes("/");
    // A directory glob (`charts/**` or `charts/`) also excludes the directory itself, so the walk skips it.
    const directory = normalized.endsWith("/**") ? picomatch(normalized.slice(0, -3), { dot: true }) : undefined;
    return (file: string) => {
      const relative = file.split(path.sep).join("/").replace(/^\.\//, "").replace(/\/$/, "");
      return match(relative) || (byName && match(path.posix.basename(relative))) || (directory?.(relative) ?? false);
    };
  });
}

interface WalkFrame {
  directory: string;
  /** Real paths of this directory and those above it, to tell a loop from a second link to the same place. */
  ancestors: readonly string[];
  entries: Dirent[];
  next: number;
}

/**
 * Whether a path exists and what it is; undefined when it cannot be looked at. Looking never blocks on what is
 * there (unlike opening a FIFO), so the synchronous calls are safe and save loading `fs/promises` on a short run.
 */
function statOrUndefined(file: string, look: (file: string) => Stats = statSync): Stats | undefined {
  try {
    return look(file);
  } catch {
    return undefined;
  }
}

/** A depth-first walk in name order (as kubectl's), on an explicit stack, entering each real directory once. */
function walkManifestFiles(root: string, excluded: (file: string) => boolean, findings: Finding[]): string[] {
  const files: string[] = [];
  const rootReal = realpathSync(root);
  const entered = new Set<string>([rootReal]);
  const frame = (directory: string, ancestors: readonly string[]): WalkFrame => {
    const entries = readdirSync(directory, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { directory, ancestors, entries, next: 0 };
  };
  const stack: WalkFrame[] = [frame(root, [rootReal])];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const entry = top.entries[top.next++];
    if (!entry) {
      stack.pop();
      continue;
    }
    const full = path.join(top.directory, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = statOrUndefined(full);
      if (!target) {
        if (manifestExtensions.has(path.extname(entry.name).toLowerCase()) && !excluded(full))
          throw new InputError(`${full}: broken symbolic link`);
        continue;
      }
      isDirectory = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDirectory) {
      if (skippedDirectory(entry.name) || excluded(full)) continue;
      const real = realpathSync(full);
      if (top.ancestors.includes(real)) {
        findings.push({
          severity: "warning",
          code: "symlink-loop",
          origin: "input",
          message: `${full} links back to ${real}, a directory being read; not followed`,
          file: full,
        });
        continue;
      }
      if (entered.has(real)) continue;
      entered.add(real);
      stack.push(frame(full, [...top.ancestors, real]));
    } else if (isFile && manifestExtensions.has(path.extname(entry.name).toLowerCase()) && !excluded(full)) {
      files.push(full);
    }
  }
  return files;
}

export interface InputText {
  file: string;
  text: string;
}

/**
 * Reads one input as UTF-8 text. Content problems (too large, binary) are findings, because a
 * validator reports them per file and goes on; a file that cannot be opened is an InputError.
 */
export async function readInputText(
  file: string,
  readStdin: () => Promise<Buffer>,
  limits: ReadLimits = defaultReadLimits,
): Promise<InputText | Finding> {
  const name = file === "-" ? STDIN_NAME : file;
  let bytes: Buffer;
  if (file === "-") {
    bytes = await readStdin();
  } else {
    let info: Stats;
    try {
      info = statSync(file);
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      throw new InputError(`${file}: ${code === "ENOENT" ? "no such file or directory" : message}`);
    }
    if (info.size > limits.maxFileBytes) return tooLarge(name, info.size, limits);
    // stat says 0 bytes for pipes, FIFOs, devices and /proc files: the limit holds while reading. Those can block
    // (a FIFO without a writer), so they are read off this thread; a regular file is read here.
    const reading = info.isFile() ? readFileAtMost : readAtMost;
    try {
      bytes = await reading(file, limits.maxFileBytes + 1);
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      throw new InputError(`${file}: cannot read: ${code ?? message}`);
    }
    if (bytes.length > limits.maxFileBytes) return tooLarge(name, bytes.length, limits, true);
  }
  if (bytes.length > limits.maxFileBytes) return tooLarge(name, bytes.length, limits, true);
  const binaryAt = binaryOffset(bytes);
  if (binaryAt !== undefined) {
    return {
      severity: "error",
      code: "binary-input",
      origin: "input",
      message: `${name} is not a text file (byte ${binaryAt} is not UTF-8 text); expected YAML or JSON`,
      file: name,
      line: 1,
      column: 1,
    };
  }
  let text = bytes.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { file: name, text };
}

/** Reads up to `max` bytes of a regular file, and stops there (it may have grown since stat). */
async function readFileAtMost(file: string, max: number): Promise<Buffer> {
  const fd = openSync(file, "r");
  try {
    return await readAtMostWith((chunk) => readSync(fd, chunk, 0, chunk.length, null), max);
  } finally {
    closeSync(fd);
  }
}

/** Reads up to `max` bytes of a file, whatever kind of file it is, and stops there. */
async function readAtMost(file: string, max: number): Promise<Buffer> {
  const { open } = await import("node:fs/promises");
  const handle = await open(file, "r");
  try {
    return await readAtMostWith(async (chunk) => (await handle.read(chunk, 0, chunk.length, null)).bytesRead, max);
  } finally {
    await handle.close();
  }
}

/** Calls `read` to fill chunks until it returns 0 or `max` bytes have come. */
async function readAtMostWith(read: (chunk: Buffer) => number | Promise<number>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < max) {
    const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, max - total));
    const bytesRead = await read(chunk);
    if (bytesRead === 0) break;
    chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  return Buffer.concat(chunks, total);
}

/** `unbounded`: only the first bytes were read (a stream, device or FIFO), so the size is a lower bound. */
function tooLarge(file: string, size: number, limits: ReadLimits, unbounded = false): Finding {
  const what = unbounded ? `more than ${formatBytes(limits.maxFileBytes)}` : formatBytes(size);
  return {
    severity: "error",
    code: "input-too-large",
    origin: "input",
    message: `${file} is ${what}, over the ${formatBytes(limits.maxFileBytes)} limit for one input; split it into smaller files`,
    file,
    line: 1,
    column: 1,
  };
}

/** Offset of the first NUL byte, or of the sample if it is not valid UTF-8; undefined for text. */
function binaryOffset(bytes: Buffer): number | undefined {
  const nul = bytes.indexOf(0);
  if (nul !== -1) return nul;
  // Checked without decoding: the text is decoded once, by the caller.
  if (isUtf8(bytes)) return undefined;
  // The first bad byte, for the message (the decoder does not say where). A prefix "decodes" in stream mode when
  // it holds no invalid sequence (it may end inside a character); the shortest prefix that does not is found by
  // halving, and its last byte either is bad itself or ends a character begun before it, which is then the bad one.
  const decodes = (length: number, stream: boolean) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, length), { stream });
      return true;
    } catch {
      return false;
    }
  };
  const characterStart = (end: number) => {
    let at = end - 1;
    while (at > 0 && end - at < 4 && (bytes[at]! & 0xc0) === 0x80) at--;
    return at;
  };
  // Every prefix decodes: the end of the file cuts a character off.
  if (decodes(bytes.length, true)) return characterStart(bytes.length);
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (decodes(middle, true)) good = middle;
    else bad = middle;
  }
  return decodes(bad - 1, false) ? bad - 1 : characterStart(bad - 1);
}

/** Reads all of a stream; used by the CLI to hand stdin to the documents layer. */
export async function readStream(stream: NodeJS.ReadableStream, limits: ReadLimits = defaultReadLimits): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    chunks.push(buffer);
    // Keep one byte more than the limit so the caller can report "too large" without buffering everything.
    if (size > limits.maxFileBytes) break;
  }
  return Buffer.concat(chunks);
}
