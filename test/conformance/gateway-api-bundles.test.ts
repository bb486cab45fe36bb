import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expectedCrdNames } from "../../src/core/gatewayapi/releases.js";
import { parseReleaseVersion, type Channel } from "../../src/core/gatewayapi/versions.js";
import { verifyBundle } from "../../src/core/gatewayapi/verify.js";

const referenceRoot = fileURLToPath(new URL("../../../shared/reference/gateway-api", import.meta.url));

/** Upstream's `<channel>-install.yaml` is its channel's CRD files, in name order, one after another. */
export function assembleReleaseBundle(version: string, channel: Channel): string {
  const directory = join(referenceRoot, version, channel);
  return readdirSync(directory)
    .filter((name) => name.endsWith(".yaml"))
    .sort()
    .map((name) => readFileSync(join(directory, name), "utf8").trimEnd())
    .join("\n---\n")
    .concat("\n");
}

const releases = [
  ["v1.2.1", "standard"],
  ["v1.2.1", "experimental"],
  ["v1.5.1", "standard"],
  ["v1.5.1", "experimental"],
] as const;

describe("the published Gateway API bundles", () => {
  it.each(releases)("%s %s passes verification with the CRD list mesh expects", (version, channel) => {
    const text = assembleReleaseBundle(version, channel);
    const bundle = verifyBundle(text, { version, release: parseReleaseVersion(version)!, channel }, `${version}/${channel}`);
    expect(bundle.summaries.map((crd) => crd.name).sort()).toEqual([...expectedCrdNames(version, channel)!].sort());
    expect(bundle.policies).toHaveLength(version === "v1.5.1" ? 2 : 0);
  });

  it.each(releases)("%s %s is refused when asked for as the other channel", (version, channel) => {
    const other: Channel = channel === "standard" ? "experimental" : "standard";
    expect(() =>
      verifyBundle(assembleReleaseBundle(version, channel), { version, release: parseReleaseVersion(version)!, channel: other }, "x"),
    ).toThrow(new RegExp(`channel is ${channel}, not ${other}`));
  });

  it("v1.2.1 is refused when asked for as v1.5.1", () => {
    expect(() =>
      verifyBundle(assembleReleaseBundle("v1.2.1", "standard"), { version: "v1.5.1", release: parseReleaseVersion("v1.5.1")!, channel: "standard" }, "x"),
    ).toThrow(/It contains bundle-version v1\.2\.1, channel standard/);
  });
});
