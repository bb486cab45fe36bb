import { UsageError } from "../errors.js";
import {
  CHANNELS,
  DEFAULT_CHANNEL,
  DEFAULT_VERSION,
  SUPPORTED_VERSIONS,
  isChannel,
  isSupportedVersion,
  parseReleaseVersion,
  type Channel,
  type ReleaseVersion,
} from "./versions.js";

/** Where upstream publishes `<version>/<channel>-install.yaml`. */
export const OFFICIAL_BASE_URL = "https://github.com/kubernetes-sigs/gateway-api/releases/download";
export const BASE_URL_ENV = "MESH_GATEWAY_API_BASE_URL";

export type BundleSource =
  | { kind: "url"; url: string; /** The base was chosen by flag or environment rather than defaulted. */ mirror: boolean }
  | { kind: "file"; path: string };

/** A fully checked description of which bundle to use and how to trust it. */
export interface BundleRequest {
  version: string;
  release: ReleaseVersion;
  channel: Channel;
  source: BundleSource;
  /** Lower-case hex SHA-256 the bundle must have, when pinned. */
  sha256: string | undefined;
}

export interface BundleRequestOptions {
  version?: string;
  channel?: string;
  baseUrl?: string;
  fromFile?: string;
  sha256?: string;
  insecureHttp?: boolean;
  /** Allows versions mesh has not been tested with (still verified). */
  force?: boolean;
}

/** Turns flags and environment into a request, refusing contradictions before anything is read. */
export function resolveBundleRequest(options: BundleRequestOptions, env: Record<string, string | undefined>): BundleRequest {
  const version = (options.version ?? DEFAULT_VERSION).trim();
  const release = parseReleaseVersion(version);
  if (!release) {
    throw new UsageError(`"${version}" is not a Gateway API release version`, {
      hint: `Use a release tag such as ${DEFAULT_VERSION} (supported: ${SUPPORTED_VERSIONS.join(", ")}).`,
    });
  }
  if (!isSupportedVersion(version) && !options.force) {
    throw new UsageError(`Gateway API ${version} is not a version mesh supports`, {
      hint: `Supported: ${SUPPORTED_VERSIONS.join(", ")}. Pass --force to try ${version} anyway (the bundle is still verified).`,
    });
  }
  const channel = options.channel ?? DEFAULT_CHANNEL;
  if (!isChannel(channel)) {
    throw new UsageError(`unknown Gateway API channel "${channel}"`, { hint: `Use one of: ${CHANNELS.join(", ")}.` });
  }
  const sha256 = options.sha256 === undefined ? undefined : parseSha256(options.sha256);
  if (options.fromFile !== undefined) {
    if (options.baseUrl !== undefined) {
      throw new UsageError("--from-file and --base-url both name where the bundle comes from", {
        hint: "Pass only one of them.",
      });
    }
    return { version, release, channel, source: { kind: "file", path: options.fromFile }, sha256 };
  }
  const chosenBase = options.baseUrl ?? nonEmpty(env[BASE_URL_ENV]);
  const base = chosenBase ?? OFFICIAL_BASE_URL;
  const url = bundleUrl(base, version, channel, chosenBase === options.baseUrl ? "--base-url" : BASE_URL_ENV);
  checkTransport(url, options.insecureHttp === true);
  return { version, release, channel, source: { kind: "url", url: url.href, mirror: chosenBase !== undefined }, sha256 };
}

/** `<base>/<version>/<channel>-install.yaml`, the layout of upstream's release assets and of mirrors. */
export function bundleUrl(base: string, version: string, channel: Channel, origin = "--base-url"): URL {
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new UsageError(`${origin} "${base}" is not a URL`, {
      hint: `Give an absolute URL such as ${OFFICIAL_BASE_URL}.`,
    });
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new UsageError(`${origin} "${base}" must be an http(s) URL`, {
      hint: "For a bundle on disk use --from-file PATH.",
    });
  }
  if (parsed.search || parsed.hash) {
    throw new UsageError(`${origin} "${base}" must not carry a query or fragment`, {
      hint: `mesh appends /${version}/${channel}-install.yaml to it.`,
    });
  }
  const path = parsed.pathname.endsWith("/") ? parsed.pathname : `${parsed.pathname}/`;
  return new URL(`${path}${version}/${channel}-install.yaml`, parsed);
}

/** Loopback hosts never leave the machine, so plain HTTP there cannot be tampered with in transit. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function checkTransport(url: URL, insecureHttp: boolean): void {
  if (url.protocol === "https:" || insecureHttp || isLoopbackHost(url.hostname)) return;
  throw new UsageError(`refusing to download the Gateway API bundle over plain HTTP from ${url.host}`, {
    hint: "Use an https:// mirror, pin the bundle with --sha256 and pass --insecure-http, or use --from-file PATH.",
  });
}

function parseSha256(text: string): string {
  const hex = text
    .trim()
    .replace(/^sha256:/i, "")
    .toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new UsageError(`--sha256 "${text}" is not a SHA-256 digest`, {
      hint: "Give 64 hexadecimal digits, e.g. the output of `sha256sum standard-install.yaml`.",
    });
  }
  return hex;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
