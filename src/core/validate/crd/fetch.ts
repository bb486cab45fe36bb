import { InputError } from "../../errors.js";

const maxBytes = 32 * 1024 * 1024;

/** Whether `--crds` may fetch this URL: HTTPS anywhere, plain HTTP only to the local machine. */
export function isAllowedCrdUrl(url: URL): boolean {
  if (url.protocol === "https:") return true;
  if (url.protocol !== "http:") return false;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Downloads one CRD file for `--crds URL`; the only network access of `mesh validate`. */
export async function fetchCrdText(location: string, timeoutMs = 30_000): Promise<string> {
  const url = new URL(location);
  if (!isAllowedCrdUrl(url)) {
    throw new InputError(`--crds ${location}: only https:// URLs (or http:// to localhost) are allowed`, {
      hint: "download the file and pass its path instead",
    });
  }
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
  } catch (error) {
    throw new InputError(`--crds ${location}: cannot download: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new InputError(`--crds ${location}: HTTP ${response.status} ${response.statusText}`);
  if (response.url && !isAllowedCrdUrl(new URL(response.url))) throw new InputError(`--crds ${location}: redirected to a non-HTTPS URL`);
  const text = await response.text();
  if (text.length > maxBytes) throw new InputError(`--crds ${location}: larger than 32 MiB`);
  return text;
}
