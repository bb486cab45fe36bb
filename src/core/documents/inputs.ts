import { readFile, stat, readdir } from "node:fs/promises";
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
export function inputArgsOrStdin(args: readonly string[], stdinIsTTY: boolean | undefined, what = "manifests"): string[] {
  if (args.length > 0) return [...args];
  if (!stdinIsTTY) return ["-"];
  throw new UsageError(`no input: pass files, directories or globs of ${what}, or "-" to read standard input`);
}

/**
 * Expands command-line arguments (files, directories, globs, `-`) into an ordered list of files.
 * Directories are walked recursively for *.yaml, *.yml and *.json; `-` stays `-` (stdin).
 */
export async function expandInputPaths(args: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    if (!seen.has(file)) {
      seen.add(file);
      files.push(file);
    }
  };
  for (const arg of args) {
    if (arg === "-") {
      add("-");
      continue;
    }
    const info = await stat(arg).catch(() => undefined);
    if (info?.isDirectory()) {
      for (const file of await walkManifestFiles(arg)) add(file);
    } else if (info) {
      add(arg);
    } else if (globCharacters.test(arg)) {
      const { glob } = await import("tinyglobby");
      const matches = (await glob(arg, { onlyFiles: true, expandDirectories: false })).sort();
      if (matches.length === 0) throw new InputError(`no files match "${arg}"`);
      for (const file of matches) add(file);
    } else {
      throw new InputError(`${arg}: no such file or directory`);
    }
  }
  return files;
}

async function walkManifestFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await walkManifestFiles(full)));
    else if (entry.isFile() && manifestExtensions.has(path.extname(entry.name).toLowerCase())) files.push(full);
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
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`${file}: ${error.code === "ENOENT" ? "no such file or directory" : error.message}`);
    });
    if (info.size > limits.maxFileBytes) return tooLarge(name, info.size, limits);
    bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`${file}: cannot read: ${error.code ?? error.message}`);
    });
  }
  if (bytes.length > limits.maxFileBytes) return tooLarge(name, bytes.length, limits);
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

function tooLarge(file: string, size: number, limits: ReadLimits): Finding {
  return {
    severity: "error",
    code: "input-too-large",
    origin: "input",
    message: `${file} is ${formatBytes(size)}, over the ${formatBytes(limits.maxFileBytes)} limit for one input; split it into smaller files`,
    file,
    line: 1,
    column: 1,
  };
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Offset of the first NUL byte, or of the sample if it is not valid UTF-8; undefined for text. */
function binaryOffset(bytes: Buffer): number | undefined {
  const nul = bytes.indexOf(0);
  if (nul !== -1) return nul;
  try {
    strictUtf8.decode(bytes);
    return undefined;
  } catch {
    // Find the first bad byte for the message; the decoder does not say where.
    for (let end = Math.min(bytes.length, 64); end <= bytes.length; end = Math.min(bytes.length, end * 2)) {
      try {
        strictUtf8.decode(bytes.subarray(0, end), { stream: true });
      } catch {
        return Math.max(0, end - 4);
      }
      if (end === bytes.length) break;
    }
    return 0;
  }
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
