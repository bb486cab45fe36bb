import { InputError, UsageError } from "../errors.js";
import {
  BUNDLE_VERSION_ANNOTATION,
  CHANNEL_ANNOTATION,
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
export type BundleRequest = DownloadRequest | FileRequest;

interface PinnedRelease {
  version: string;
  release: ReleaseVersion;
  channel: Channel;
}

export interface DownloadRequest extends PinnedRelease {
  origin: "download";
  source: Extract<BundleSource, { kind: "url" }>;
  /** Lower-case hex SHA-256 the bundle must have, when pinned. */
  sha256: string | undefined;
}

/**
 * `--from-file`: the version and channel the user gave, or undefined where the bundle's own annotations are to
 * tell (fileExpectation), as `kubectl apply -f` of the file would install whatever it holds.
 */
export interface FileRequest extends Partial<PinnedRelease> {
  origin: "file";
  source: Extract<BundleSource, { kind: "file" }>;
  sha256: string | undefined;
  /** --force: a version mesh has not been tested with is allowed (still verified). */
  allowUntestedVersion: boolean;
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
  const sha256 = options.sha256 === undefined ? undefined : parseSha256(options.sha256);
  if (options.fromFile !== undefined) {
    if (options.baseUrl !== undefined) {
      throw new UsageError("--from-file and --base-url both name where the bundle comes from", {
        hint: "Pass only one of them.",
      });
    }
    const version = options.version === undefined ? undefined : checkedVersion(options.version, options.force === true);
    const channel = options.channel === undefined ? undefined : checkedChannel(options.channel);
    return {
      origin: "file",
      ...(version ? { version: version.version, release: version.release } : {}),
      ...(channel ? { channel } : {}),
      source: { kind: "file", path: options.fromFile },
      sha256,
      allowUntestedVersion: options.force === true,
    };
  }
  const { version, release } = checkedVersion(options.version ?? DEFAULT_VERSION, options.force === true);
  const channel = checkedChannel(options.channel ?? DEFAULT_CHANNEL);
  const chosenBase = options.baseUrl ?? nonEmpty(env[BASE_URL_ENV]);
  const base = chosenBase ?? OFFICIAL_BASE_URL;
  const url = bundleUrl(base, version, channel, chosenBase === options.baseUrl ? "--base-url" : BASE_URL_ENV);
  checkTransport(url, options.insecureHttp === true);
  return {
    origin: "download",
    version,
    release,
    channel,
    source: { kind: "url", url: url.href, mirror: chosenBase !== undefined },
    sha256,
  };
}

function checkedVersion(text: string, force: boolean, readFrom?: string): { version: string; release: ReleaseVersion } {
  const version = text.trim();
  const release = parseReleaseVersion(version);
  const found = readFrom ? ` (read from ${readFrom})` : "";
  if (!release) {
    throw new UsageError(`"${version}"${found} is not a Gateway API release version`, {
      hint: `Use a release tag such as ${DEFAULT_VERSION} (supported: ${SUPPORTED_VERSIONS.join(", ")}).`,
    });
  }
  if (!isSupportedVersion(version) && !force) {
    throw new UsageError(`Gateway API ${version}${found} is not a version mesh supports`, {
      hint: `Supported: ${SUPPORTED_VERSIONS.join(", ")}. Pass --force to try ${version} anyway (the bundle is still verified).`,
    });
  }
  return { version, release };
}

function checkedChannel(channel: string): Channel {
  if (!isChannel(channel)) {
    throw new UsageError(`unknown Gateway API channel "${channel}"`, { hint: `Use one of: ${CHANNELS.join(", ")}.` });
  }
  return channel;
}

/**
 * What a `--from-file` bundle must be: the version and channel given as flags, the rest read from the
 * annotations its CRDs carry. When they do not name exactly one version (or channel), mesh cannot tell which
 * release the file is and refuses rather than guess; verification then checks every CRD against the result.
 */
export function fileExpectation(request: FileRequest, annotations: BundleAnnotations, origin: string): PinnedRelease {
  const pick = (flag: "--version" | "--channel", annotation: string, found: ReadonlySet<string>): string => {
    if (found.size === 1) return [...found][0]!;
    const what =
      found.size === 0 ? `no CRD in it carries the ${annotation} annotation` : `its CRDs name ${[...found].sort().join(" and ")}`;
    throw new InputError(`cannot tell which Gateway API release ${origin} holds: ${what}`, {
      hint: `Pass ${flag} (with --version and --channel mesh checks every CRD of the file against that release).`,
    });
  };
  const version = request.version
    ? { version: request.version, release: request.release! }
    : checkedVersion(pick("--version", BUNDLE_VERSION_ANNOTATION, annotations.versions), request.allowUntestedVersion, origin);
  const channel = request.channel ?? checkedChannel(pick("--channel", CHANNEL_ANNOTATION, annotations.channels));
  return { ...version, channel };
}

/** The bundle-version and channel annotations found on a bundle's Gateway API CRDs. */
export interface BundleAnnotations {
  versions: ReadonlySet<string>;
  channels: ReadonlySet<string>;
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
