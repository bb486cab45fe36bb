// `--manifests DIR|URL`: reads the two files mesh needs from an Istio release's manifests/ directory, from a release
// archive on disk, or from one downloaded over HTTPS. Archives are verified against a SHA-256 digest before they are read.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { get as httpsGet, type RequestOptions } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { InputError, UsageError } from "../core/errors.js";
import type { KubeObject } from "../core/objects.js";
import { releaseChartFile, releaseCrdFile, releaseCrds, type ReleaseFiles } from "../core/render/release-crds.js";

export interface ReleaseSourceOptions {
  /** --manifests-sha256: the archive's expected SHA-256 (hex); else the `.sha256` file published beside it is used. */
  sha256?: string;
  /** Extra trusted CA certificates (PEM) for the download; tests serve over loopback with their own CA. */
  ca?: string | Buffer;
  /** Largest archive accepted, in bytes. */
  maxBytes?: number;
  /** Deadline for a whole download, in milliseconds. */
  timeoutMs?: number;
}

/** An Istio release archive is about 30 MB; the bound leaves room for growth but stops an endless or hostile stream. */
const defaultMaxBytes = 256 * 1024 * 1024;
const defaultTimeoutMs = 5 * 60 * 1000;
/** A file inside the archive that mesh reads whole (the CRD file is about 1 MB). */
const maxEntryBytes = 32 * 1024 * 1024;
const maxRedirects = 5;

/** The CRDs of the release `--manifests` names, read and checked; undefined without the flag. */
export async function releaseCrdsFlag(flags: { manifests?: string; manifestsSha256?: string }): Promise<KubeObject[] | undefined> {
  if (flags.manifestsSha256 !== undefined && flags.manifests === undefined)
    throw new UsageError("--manifests-sha256 needs --manifests <archive or URL>");
  if (flags.manifests === undefined) return undefined;
  return releaseCrds(await readReleaseFiles(flags.manifests, flags.manifestsSha256 !== undefined ? { sha256: flags.manifestsSha256 } : {}));
}

/** Reads `--manifests`: a manifests/ directory (or the release directory above it), a .tar.gz archive, or an https URL of one. */
export async function readReleaseFiles(source: string, options: ReleaseSourceOptions = {}): Promise<ReleaseFiles> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    if (!/^https:\/\//i.test(source))
      throw new InputError(`--manifests ${source}: only https:// URLs are downloaded`, {
        hint: "use the https URL of the release archive, or download it and pass the file",
      });
    return withTempDir(async (dir) => {
      const archive = path.join(dir, "release.tar.gz");
      await download(source, archive, options);
      const digest = options.sha256 ?? (await publishedDigest(`${source}.sha256`, options));
      await verifyDigest(archive, digest, source);
      return readArchive(archive, source);
    });
  }
  const info = await stat(source).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`--manifests ${source}: ${error.code === "ENOENT" ? "no such file or directory" : error.message}`);
  });
  if (info.isDirectory()) return readDirectory(source);
  const digest = options.sha256 ?? (await siblingDigest(source));
  await verifyDigest(source, digest, source);
  return readArchive(source, source);
}

async function readDirectory(dir: string): Promise<ReleaseFiles> {
  // istioctl takes istio-<version>/manifests; the release directory above it is accepted too.
  for (const root of [dir, path.join(dir, "manifests")]) {
    const chartYaml = await readFile(path.join(root, releaseChartFile), "utf8").catch(() => undefined);
    if (chartYaml === undefined) continue;
    const crdYaml = await readFile(path.join(root, releaseCrdFile), "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new InputError(
        `--manifests ${dir}: cannot read ${releaseCrdFile}: ${error.code === "ENOENT" ? "no such file" : error.message}`,
      );
    });
    return { source: dir, chartYaml, crdYaml };
  }
  throw new InputError(`--manifests ${dir}: no ${releaseChartFile} here or in ${path.join(dir, "manifests")}`, {
    hint: "pass the manifests directory of an unpacked Istio release, e.g. istio-1.30.3/manifests",
  });
}

/** Reads the base chart's Chart.yaml and CRD file from a release .tar.gz (any top-level directory). */
async function readArchive(file: string, source: string): Promise<ReleaseFiles> {
  const { t: list } = await import("tar");
  const found = new Map<string, string>();
  const wanted = [releaseChartFile, releaseCrdFile];
  const pending: Promise<void>[] = [];
  try {
    await list({
      file,
      onReadEntry: (entry) => {
        const name = wanted.find((suffix) => entry.path.endsWith(`manifests/${suffix}`));
        if (!name || entry.type !== "File" || found.has(name)) return;
        if ((entry.size ?? 0) > maxEntryBytes)
          throw new InputError(`--manifests ${source}: ${entry.path} is larger than ${maxEntryBytes} bytes`);
        const chunks: Buffer[] = [];
        entry.on("data", (chunk: Buffer) => chunks.push(chunk));
        pending.push(
          new Promise((resolve) =>
            entry.on("end", () => {
              found.set(name, Buffer.concat(chunks).toString("utf8"));
              resolve();
            }),
          ),
        );
      },
    });
    await Promise.all(pending);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`--manifests ${source}: not a readable .tar.gz archive (${(error as Error).message})`);
  }
  const chartYaml = found.get(releaseChartFile);
  const crdYaml = found.get(releaseCrdFile);
  if (chartYaml === undefined || crdYaml === undefined)
    throw new InputError(
      `--manifests ${source}: the archive has no manifests/${chartYaml === undefined ? releaseChartFile : releaseCrdFile}`,
      {
        hint: "pass an Istio release archive (istio-<version>-<os>-<arch>.tar.gz)",
      },
    );
  return { source, chartYaml, crdYaml };
}

async function siblingDigest(file: string): Promise<string> {
  const text = await readFile(`${file}.sha256`, "utf8").catch(() => {
    throw new InputError(`--manifests ${file}: cannot verify the archive: no ${path.basename(file)}.sha256 beside it`, {
      hint: "pass --manifests-sha256 <hex digest> (Istio publishes it with each release archive)",
    });
  });
  return digestFrom(text, `${file}.sha256`);
}

async function publishedDigest(url: string, options: ReleaseSourceOptions): Promise<string> {
  const text = await withTempDir(async (dir) => {
    const target = path.join(dir, "digest");
    await download(url, target, { ...options, maxBytes: 4096 }).catch((error: unknown) => {
      throw new InputError(`cannot verify ${url.slice(0, -".sha256".length)}: ${(error as Error).message}`, {
        hint: "pass --manifests-sha256 <hex digest> of the archive",
      });
    });
    return readFile(target, "utf8");
  });
  return digestFrom(text, url);
}

/** A `.sha256` file as Istio publishes it: the hex digest, optionally followed by the file name. */
function digestFrom(text: string, where: string): string {
  const digest = text.trim().split(/\s+/)[0] ?? "";
  if (!/^[0-9a-f]{64}$/i.test(digest)) throw new InputError(`${where}: not a SHA-256 digest`);
  return digest.toLowerCase();
}

async function verifyDigest(file: string, expected: string, source: string): Promise<void> {
  const wanted = expected.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(wanted)) throw new InputError(`--manifests-sha256 ${expected}: not a SHA-256 digest (64 hex digits)`);
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  const actual = hash.digest("hex");
  if (actual !== wanted)
    throw new InputError(`--manifests ${source}: SHA-256 mismatch: the archive has ${actual}, expected ${wanted}`, {
      hint: "the download is corrupt or not the release you meant; nothing was read from it",
    });
}

/** Downloads over HTTPS only (redirects too), within a byte bound and a deadline. */
function download(url: string, target: string, options: ReleaseSourceOptions): Promise<void> {
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const fetchOnce = (current: string, redirects: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (!/^https:\/\//i.test(current)) return reject(new InputError(`${url}: redirected to ${current}, which is not https`));
      const request: RequestOptions = { signal: controller.signal, ...(options.ca ? { ca: options.ca } : {}) };
      const req = httpsGet(current, request, (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          if (redirects >= maxRedirects) return reject(new InputError(`${url}: more than ${maxRedirects} redirects`));
          return resolve(fetchOnce(new URL(response.headers.location, current).toString(), redirects + 1));
        }
        if (status !== 200) {
          response.resume();
          return reject(new InputError(`${url}: HTTP ${status}`));
        }
        const length = Number(response.headers["content-length"] ?? 0);
        if (length > maxBytes) {
          response.destroy();
          return reject(new InputError(`${url}: ${length} bytes, more than the ${maxBytes} bytes accepted`));
        }
        let received = 0;
        response.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > maxBytes) response.destroy(new InputError(`${url}: more than the ${maxBytes} bytes accepted`));
        });
        pipeline(response, createWriteStream(target)).then(resolve, reject);
      });
      req.on("error", reject);
    });
  return fetchOnce(url, 0)
    .catch((error: unknown) => {
      if (error instanceof InputError) throw error;
      if (controller.signal.aborted) throw new InputError(`${url}: download did not finish within ${timeoutMs / 1000}s`);
      throw new InputError(`${url}: ${(error as Error).message}`);
    })
    .finally(() => clearTimeout(timer));
}

async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "mesh-release-"));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
