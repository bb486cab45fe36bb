import { compareVersions, DEFAULT_GATEWAY_API_VERSION, parseVersion, type SemanticVersion } from "../versions.js";

/** Gateway API releases whose bundles mesh knows how to verify and install. */
export const SUPPORTED_VERSIONS = ["v1.2.1", "v1.3.0", "v1.4.0", "v1.4.1", "v1.5.0", "v1.5.1"] as const;
export const CHANNELS = ["standard", "experimental"] as const;
export type Channel = (typeof CHANNELS)[number];

export const DEFAULT_VERSION = DEFAULT_GATEWAY_API_VERSION;
export const DEFAULT_CHANNEL: Channel = "standard";

/** The annotations every upstream CRD carries; they are how an installed bundle is recognised. */
export const BUNDLE_VERSION_ANNOTATION = "gateway.networking.k8s.io/bundle-version";
export const CHANNEL_ANNOTATION = "gateway.networking.k8s.io/channel";

/** The release that first shipped the safe-upgrades ValidatingAdmissionPolicy in its bundles. */
export const SAFE_UPGRADES_SINCE = "v1.5.0";
export const SAFE_UPGRADES_POLICY_NAME = "safe-upgrades.gateway.networking.k8s.io";

export type ReleaseVersion = SemanticVersion;

/** Parses `v1.5.1` / `v1.5.0-rc.1`; undefined for anything else (a missing `v` included, as upstream tags have it). */
export function parseReleaseVersion(text: string): ReleaseVersion | undefined {
  return text.trim().startsWith("v") ? parseVersion(text) : undefined;
}

export const compareReleaseVersions = compareVersions;

export function formatReleaseVersion(version: ReleaseVersion): string {
  return `v${version.major}.${version.minor}.${version.patch}${version.prerelease ? `-${version.prerelease}` : ""}`;
}

export function isChannel(text: string): text is Channel {
  return (CHANNELS as readonly string[]).includes(text);
}

export function isSupportedVersion(text: string): boolean {
  return (SUPPORTED_VERSIONS as readonly string[]).includes(text);
}

/** Whether a bundle of this version ships the safe-upgrades policy (and its binding). */
export function shipsSafeUpgradesPolicy(version: ReleaseVersion): boolean {
  return compareReleaseVersions(version, parseReleaseVersion(SAFE_UPGRADES_SINCE)!) >= 0;
}

/** The minor releases strictly between two versions, e.g. v1.2.1 → v1.5.1 skips `v1.3`, `v1.4`. */
export function skippedMinors(from: ReleaseVersion, to: ReleaseVersion): string[] {
  if (from.major !== to.major) return [];
  const skipped: string[] = [];
  for (let minor = from.minor + 1; minor < to.minor; minor++) skipped.push(`v${to.major}.${minor}`);
  return skipped;
}
