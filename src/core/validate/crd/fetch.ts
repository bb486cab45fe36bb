import { InputError } from "../../errors.js";

const maxBytes = 32 * 1024 * 1024;

/** Whether `--crds` may fetch this URL: HTTPS anywhere, plain HTTP only to the local machine. */
export function isAllowedCrdUrl(url: URL): boolean {
  if (url.protocol === "https:") return true;
  if (url.protocol !== "http:") return false;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface FetchLimits {
  /** Time allowed until the response headers arrive. */
  connectTimeoutMs: number;
  /** Time allowed for the whole download. */
  totalTimeoutMs: number;
  maxBytes: number;
}

export const defaultFetchLimits: FetchLimits = { connectTimeoutMs: 10_000, totalTimeoutMs: 60_000, maxBytes };

/**
 * Downloads one CRD file for `--crds URL`; the only network access of `mesh validate`. The body is read
 * with its size limit enforced as it arrives, and every failure names the URL.
 */
export async function fetchCrdText(location: string, limits: FetchLimits = defaultFetchLimits): Promise<string> {
  const url = new URL(location);
  if (!isAllowedCrdUrl(url)) {
    throw new InputError(`--crds ${location}: only https:// URLs (or http:// to localhost) are allowed`, {
      hint: "download the file and pass its path instead",
    });
  }
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  const controller = new AbortController();
  let phase: "connect" | "total" | undefined;
  const connectTimer = setTimeout(() => {
    phase = "connect";
    controller.abort();
  }, limits.connectTimeoutMs);
  const totalTimer = setTimeout(() => {
    phase ??= "total";
    controller.abort();
  }, limits.totalTimeoutMs);
  const timedOut = () =>
    phase === "connect"
      ? new InputError(`--crds ${location}: no response within ${seconds(limits.connectTimeoutMs)}`)
      : new InputError(`--crds ${location}: download not finished within ${seconds(limits.totalTimeoutMs)}`);
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal, redirect: "follow" });
    } catch (error) {
      if (phase) throw timedOut();
      throw new InputError(`--crds ${location}: cannot download: ${error instanceof Error ? error.message : String(error)}`);
    }
    clearTimeout(connectTimer);
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new InputError(`--crds ${location}: HTTP ${response.status} ${response.statusText}`);
    }
    if (response.url && !isAllowedCrdUrl(new URL(response.url))) throw new InputError(`--crds ${location}: redirected to a non-HTTPS URL`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > limits.maxBytes) {
          controller.abort();
          throw new InputError(
            `--crds ${location}: larger than ${Math.round(limits.maxBytes / (1024 * 1024))} MiB; download it and pass a file`,
          );
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      if (phase) throw timedOut();
      throw new InputError(`--crds ${location}: download failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return Buffer.concat(chunks).toString("utf8");
  } finally {
    clearTimeout(connectTimer);
    clearTimeout(totalTimer);
  }
}
