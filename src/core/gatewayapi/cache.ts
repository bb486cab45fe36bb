import { join } from "node:path";
import type { Channel } from "./versions.js";

/** Where a verified bundle is kept for reuse (offline included), with the SHA-256 it was verified with. */
export interface BundleCacheEntry {
  bundlePath: string;
  checksumPath: string;
  /**
   * The bundle's documents as JSON (`{sha256, documents}`), derived from the YAML once it was verified: reading
   * JSON is far quicker than parsing a megabyte of YAML. Used only while its sha256 names the cached YAML.
   */
  documentsPath: string;
}

/** `$XDG_CACHE_HOME/mesh`, else `~/.cache/mesh`, as the XDG base-directory spec asks. */
export function cacheRoot(env: Record<string, string | undefined>, homeDir: string): string {
  const xdg = env.XDG_CACHE_HOME;
  // The spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  if (xdg && xdg.startsWith("/")) return join(xdg, "mesh");
  return join(homeDir, ".cache", "mesh");
}

export function bundleCacheEntry(root: string, version: string, channel: Channel): BundleCacheEntry {
  const bundlePath = join(root, "gateway-api", version, `${channel}-install.yaml`);
  return { bundlePath, checksumPath: `${bundlePath}.sha256`, documentsPath: `${bundlePath}.documents.json` };
}

/** The `sha256sum` format, so that `sha256sum -c` works in the cache directory. */
export function formatChecksumFile(sha256: string, channel: Channel): string {
  return `${sha256}  ${channel}-install.yaml\n`;
}

export function parseChecksumFile(text: string): string | undefined {
  const match = /^([0-9a-f]{64})\s/.exec(text);
  return match ? match[1] : undefined;
}
