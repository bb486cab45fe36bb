import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { InputError, MeshError } from "../errors.js";
import { bundleCacheEntry, cacheRoot, formatChecksumFile, parseChecksumFile, type BundleCacheEntry } from "./cache.js";
import { fileExpectation, isLoopbackHost, type BundleRequest, type DownloadRequest } from "./request.js";
import {
  bundleAnnotations,
  parseBundleText,
  sha256Hex,
  verifyBundleDocuments,
  type BundleDocument,
  type VerifiedBundle,
} from "./verify.js";

/**
 * The one module of the core that touches the network and the disk: it reads a bundle from a file, the cache
 * or a download, and returns it only once verified. Everything it decides on is in request.ts/verify.ts.
 */

/** Upstream's largest bundle is about 1.3 MiB; anything far larger is not a bundle. */
export const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;

export interface ObtainOptions {
  env: Record<string, string | undefined>;
  homeDir: string;
  /** Bounds the whole download (connect, redirects, body). */
  timeoutMs: number;
  allowInsecureHttp?: boolean;
  /** Reads standard input, for `--from-file -` (e.g. piped from `kubectl kustomize`). */
  readStdin?: () => Promise<Buffer>;
}

export interface ObtainedBundle {
  bundle: VerifiedBundle;
  origin: "file" | "cache" | "download";
  /** The file, cache file or URL the bundle was read from. */
  location: string;
  /** Problems that did not stop the command (an unusable cache entry, a cache that could not be written). */
  warnings: string[];
}

export async function obtainBundle(request: BundleRequest, options: ObtainOptions): Promise<ObtainedBundle> {
  if (request.origin === "file") {
    const path = request.source.path;
    const bytes = path === "-" ? await readBundleStdin(options) : await readBundleFile(path);
    const location = path === "-" ? "standard input" : path;
    checkPin(bytes, request, location);
    const documents = parseBundleText(bytes.toString("utf8"), location);
    const expected = fileExpectation(request, bundleAnnotations(documents), location);
    return { bundle: verifyBundleDocuments(documents, expected, location, sha256Hex(bytes)), origin: "file", location, warnings: [] };
  }
  const url = request.source.url;
  const entry = bundleCacheEntry(cacheRoot(options.env, options.homeDir), request.version, request.channel);
  const warnings: string[] = [];
  const cached = await readCache(entry, request, warnings);
  if (cached) return { bundle: cached, origin: "cache", location: entry.bundlePath, warnings };

  const bytes = await download(url, entry, options);
  checkPin(bytes, request, url);
  const { bundle, documents } = verifyDocuments(bytes, request, url);
  try {
    await writeCache(entry, bytes, bundle);
    await writeCachedDocuments(entry, bundle.sha256, documents);
  } catch (error) {
    warnings.push(`could not cache the bundle in ${dirname(entry.bundlePath)}: ${(error as Error).message}`);
  }
  return { bundle, origin: "download", location: url, warnings };
}

async function readBundleStdin(options: ObtainOptions): Promise<Buffer> {
  if (!options.readStdin) throw new InputError("--from-file - needs standard input, which is not available here");
  const bytes = await options.readStdin();
  if (bytes.length > MAX_BUNDLE_BYTES)
    throw new InputError(`standard input holds more than ${MAX_BUNDLE_BYTES} bytes, too much for a Gateway API bundle`);
  return bytes;
}

async function readBundleFile(path: string): Promise<Buffer> {
  try {
    const size = (await stat(path)).size;
    if (size > MAX_BUNDLE_BYTES) throw new InputError(`${path} is ${size} bytes, too large for a Gateway API bundle`);
    return await readFile(path);
  } catch (error) {
    if (error instanceof MeshError) throw error;
    throw new InputError(
      `cannot read the Gateway API bundle ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        hint: "Check the path given to --from-file.",
        cause: error,
      },
    );
  }
}

function verifyDocuments(bytes: Buffer, request: DownloadRequest, origin: string): { bundle: VerifiedBundle; documents: BundleDocument[] } {
  const documents = parseBundleText(bytes.toString("utf8"), origin);
  return { bundle: verifyBundleDocuments(documents, request, origin, sha256Hex(bytes)), documents };
}

function checkPin(bytes: Buffer, request: BundleRequest, origin: string): void {
  if (request.sha256 === undefined) return;
  const actual = sha256Hex(bytes);
  if (actual !== request.sha256) {
    throw new InputError(`the Gateway API bundle from ${origin} has SHA-256 ${actual}, not the pinned ${request.sha256}`, {
      hint: "The bundle was altered or is not the one you pinned; nothing was applied. Check the source, or fix --sha256.",
    });
  }
}

/** A cache entry counts only if its recorded checksum, the pin and the verification all agree. */
async function readCache(entry: BundleCacheEntry, request: DownloadRequest, warnings: string[]): Promise<VerifiedBundle | undefined> {
  let bytes: Buffer;
  let recorded: string | undefined;
  try {
    [bytes, recorded] = await Promise.all([readFile(entry.bundlePath), readFile(entry.checksumPath, "utf8").then(parseChecksumFile)]);
  } catch {
    return undefined;
  }
  const actual = sha256Hex(bytes);
  if (recorded !== actual) {
    warnings.push(`ignored the cached bundle ${entry.bundlePath}: its content does not match its recorded SHA-256`);
    return undefined;
  }
  if (request.sha256 !== undefined && actual !== request.sha256) return undefined;
  const documents = await readCachedDocuments(entry, actual);
  try {
    if (documents) return verifyBundleDocuments(documents, request, entry.bundlePath, actual);
    const verified = verifyDocuments(bytes, request, entry.bundlePath);
    await writeCachedDocuments(entry, actual, verified.documents).catch(() => undefined);
    return verified.bundle;
  } catch (error) {
    warnings.push(`ignored the cached bundle ${entry.bundlePath}: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

/** The derived JSON, if it belongs to the cached YAML with digest `sha256`; anything else is ignored. */
async function readCachedDocuments(entry: BundleCacheEntry, sha256: string): Promise<BundleDocument[] | undefined> {
  try {
    const cached = JSON.parse(await readFile(entry.documentsPath, "utf8")) as { sha256?: unknown; documents?: unknown };
    if (cached.sha256 !== sha256 || !Array.isArray(cached.documents)) return undefined;
    return cached.documents as BundleDocument[];
  } catch {
    return undefined;
  }
}

async function writeCachedDocuments(entry: BundleCacheEntry, sha256: string, documents: BundleDocument[]): Promise<void> {
  const temporary = `${entry.documentsPath}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ sha256, documents }));
  await rename(temporary, entry.documentsPath);
}

async function writeCache(entry: BundleCacheEntry, bytes: Buffer, bundle: VerifiedBundle): Promise<void> {
  await mkdir(dirname(entry.bundlePath), { recursive: true });
  const temporary = `${entry.bundlePath}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, entry.bundlePath);
  await writeFile(`${entry.checksumPath}.${process.pid}.tmp`, formatChecksumFile(bundle.sha256, bundle.channel));
  await rename(`${entry.checksumPath}.${process.pid}.tmp`, entry.checksumPath);
}

async function download(url: string, entry: BundleCacheEntry, options: ObtainOptions): Promise<Buffer> {
  const offlineHint =
    `No verified copy is cached in ${dirname(entry.bundlePath)}. If this machine is offline, download ${url} ` +
    "elsewhere and pass it with --from-file PATH (pin it with --sha256), or point --base-url at a reachable mirror.";
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), redirect: "follow" });
  } catch (error) {
    throw new InputError(`could not download the Gateway API bundle from ${url}: ${networkReason(error, options.timeoutMs)}`, {
      hint: offlineHint,
      cause: error,
    });
  }
  const finalUrl = new URL(response.url || url);
  if (finalUrl.protocol !== "https:" && !isLoopbackHost(finalUrl.hostname) && !options.allowInsecureHttp) {
    await response.body?.cancel();
    throw new InputError(`the download of ${url} was redirected to plain HTTP (${finalUrl.origin}); refusing it`, {
      hint: "Use an HTTPS mirror, or --from-file PATH.",
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new InputError(`could not download the Gateway API bundle from ${url}: HTTP ${response.status} ${response.statusText}`.trim(), {
      hint:
        response.status === 404
          ? "Check --version and --channel; a mirror must use the layout <base>/<version>/<channel>-install.yaml."
          : offlineHint,
    });
  }
  try {
    return await readBody(response, url);
  } catch (error) {
    if (error instanceof MeshError) throw error;
    throw new InputError(`the download of ${url} broke off: ${networkReason(error, options.timeoutMs)}; nothing was applied`, {
      hint: "Run the command again; if it keeps failing, download the file yourself and use --from-file PATH.",
      cause: error,
    });
  }
}

async function readBody(response: Response, url: string): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > MAX_BUNDLE_BYTES) throw new InputError(`${url} is ${declared} bytes, too large for a Gateway API bundle`);
  const chunks: Uint8Array[] = [];
  let received = 0;
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      received += chunk.byteLength;
      if (received > MAX_BUNDLE_BYTES) {
        throw new InputError(`${url} sent more than ${MAX_BUNDLE_BYTES} bytes, too much for a Gateway API bundle`);
      }
      chunks.push(chunk);
    }
  }
  // fetch decompresses transparently, so the header only counts bytes on the wire for identity encoding.
  const encoding = response.headers.get("content-encoding");
  if (Number.isFinite(declared) && (!encoding || encoding === "identity") && received !== declared) {
    throw new InputError(`the download of ${url} is truncated: received ${received} of ${declared} bytes; nothing was applied`, {
      hint: "Run the command again; if it keeps failing, download the file yourself and use --from-file PATH.",
    });
  }
  return Buffer.concat(chunks);
}

function networkReason(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError")
    return `no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)}s` : `${timeoutMs}ms`}`;
  const cause = err.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ""}`;
  return err.message;
}
