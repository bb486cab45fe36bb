import { compareReleaseVersions, parseReleaseVersion, type Channel, type ReleaseVersion } from "./versions.js";

const standardGroup = "gateway.networking.k8s.io";
const experimentalGroup = "gateway.networking.x-k8s.io";

const crdNames = (group: string, plurals: string[]) => plurals.map((plural) => `${plural}.${group}`);

/** Resources in every standard bundle since v1.1 (GRPCRoute became standard then). */
const coreSince1_1 = ["gatewayclasses", "gateways", "grpcroutes", "httproutes", "referencegrants"];

/**
 * The exact CRD lists of the releases mesh has checked against the published assets. Other versions are
 * verified against `requiredCrdNames` only.
 */
const knownReleases: Record<string, Record<Channel, string[]>> = {
  "v1.2.1": {
    standard: crdNames(standardGroup, coreSince1_1),
    experimental: crdNames(standardGroup, [
      "backendlbpolicies",
      "backendtlspolicies",
      ...coreSince1_1,
      "tcproutes",
      "tlsroutes",
      "udproutes",
    ]),
  },
  "v1.5.1": {
    standard: crdNames(standardGroup, ["backendtlspolicies", ...coreSince1_1, "listenersets", "tlsroutes"]),
    experimental: [
      ...crdNames(standardGroup, ["backendtlspolicies", ...coreSince1_1, "listenersets", "tcproutes", "tlsroutes", "udproutes"]),
      ...crdNames(experimentalGroup, ["xbackendtrafficpolicies", "xmeshes"]),
    ],
  },
};

/** The CRD names of a release mesh knows exactly, or undefined. */
export function expectedCrdNames(version: string, channel: Channel): string[] | undefined {
  return knownReleases[version]?.[channel];
}

/** CRDs any bundle of this release must contain, whatever the channel. */
export function requiredCrdNames(release: ReleaseVersion): string[] {
  const since1_1 = compareReleaseVersions(release, parseReleaseVersion("v1.1.0")!) >= 0;
  return crdNames(standardGroup, since1_1 ? coreSince1_1 : ["gatewayclasses", "gateways", "httproutes", "referencegrants"]);
}
