/** Versions mesh is built around; `mesh version` prints them. */
export const ISTIO_VERSION = "1.30.3";
export const DEFAULT_GATEWAY_API_VERSION = "v1.5.1";
/** Gateway API bundles mesh has built-in schemas for (validate, convert); `mesh gateway-api install` supports more. */
export const SCHEMA_GATEWAY_API_VERSIONS = ["v1.2.1", "v1.5.1"] as const;
export type GatewayApiVersion = (typeof SCHEMA_GATEWAY_API_VERSIONS)[number];
export type GatewayApiChannel = "standard" | "experimental";

/** A `MAJOR.MINOR.PATCH[-prerelease]` version, with or without a leading `v`. */
export interface SemanticVersion {
  major: number;
  minor: number;
  patch: number;
  /** `rc.1`, `dev`… ; empty for a release. */
  prerelease: string;
}

const semanticVersionPattern = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

/** Parses `1.30.3`, `v1.5.1` or `v1.5.0-rc.1`; undefined for anything else. */
export function parseVersion(text: string): SemanticVersion | undefined {
  const match = semanticVersionPattern.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), prerelease: match[4] ?? "" };
}

/** Semver order; a prerelease sorts before its release (`v1.5.0-rc.1` < `v1.5.0`). Returns -1, 0 or 1. */
export function compareVersions(a: SemanticVersion, b: SemanticVersion): number {
  const difference = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (difference !== 0) return Math.sign(difference);
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === "") return 1;
  if (b.prerelease === "") return -1;
  return Math.sign(a.prerelease.localeCompare(b.prerelease, "en", { numeric: true }));
}

/** Whether version text `a` is older than `b`; false when either is not a version. */
export function isOlderVersion(a: string, b: string): boolean {
  const [left, right] = [parseVersion(a), parseVersion(b)];
  return left !== undefined && right !== undefined && compareVersions(left, right) < 0;
}

/** Kubernetes minor versions mesh has built-in schemas for (schemas/kubernetes), oldest first. */
export const KUBERNETES_VERSIONS = ["1.32", "1.33", "1.34", "1.35", "1.36"] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.35";

/**
 * The built-in schema set for a requested Kubernetes version (`1.31`, `v1.37.2`, …): the same minor, or the
 * nearest one with a note saying so; undefined when the text is not a version at all.
 */
export function nearestKubernetesVersion(requested: string): { version: KubernetesVersion; note?: string } | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(requested.trim());
  if (!match) return undefined;
  const minor = `${Number(match[1])}.${Number(match[2])}`;
  if ((KUBERNETES_VERSIONS as readonly string[]).includes(minor)) return { version: minor as KubernetesVersion };
  const numeric = (version: string) => Number(version.split(".")[0]) * 1000 + Number(version.split(".")[1]);
  const wanted = numeric(minor);
  const nearest = [...KUBERNETES_VERSIONS].sort((a, b) => Math.abs(numeric(a) - wanted) - Math.abs(numeric(b) - wanted))[0]!;
  return {
    version: nearest,
    note: `mesh has no schemas for Kubernetes ${minor}; validating with the nearest, ${nearest} (built-in: ${KUBERNETES_VERSIONS.join(", ")})`,
  };
}
