import { describe, expect, it } from "vitest";
import {
  compareReleaseVersions,
  parseReleaseVersion,
  shipsSafeUpgradesPolicy,
  skippedMinors,
} from "../../../src/core/gatewayapi/versions.js";

const v = (text: string) => parseReleaseVersion(text)!;

describe("Gateway API release versions", () => {
  it.each([
    ["v1.5.1", { major: 1, minor: 5, patch: 1, prerelease: "" }],
    ["v1.5.0-rc.1", { major: 1, minor: 5, patch: 0, prerelease: "rc.1" }],
  ])("parses %s", (text, expected) => {
    expect(parseReleaseVersion(text)).toEqual(expected);
  });

  it.each(["1.5.1", "v1.5", "latest", "v1.5.1.0", ""])("rejects %j", (text) => {
    expect(parseReleaseVersion(text)).toBeUndefined();
  });

  it.each([
    ["v1.2.1", "v1.5.1", -1],
    ["v1.10.0", "v1.9.3", 1],
    ["v1.5.0-rc.1", "v1.5.0", -1],
    ["v1.5.0-rc.2", "v1.5.0-rc.10", -1],
    ["v1.4.1", "v1.4.1", 0],
  ])("orders %s against %s", (a, b, sign) => {
    expect(Math.sign(compareReleaseVersions(v(a), v(b)))).toBe(sign);
  });

  it("names the minor releases an upgrade skips", () => {
    expect(skippedMinors(v("v1.2.1"), v("v1.5.1"))).toEqual(["v1.3", "v1.4"]);
    expect(skippedMinors(v("v1.4.0"), v("v1.5.1"))).toEqual([]);
    expect(skippedMinors(v("v1.5.0"), v("v1.5.1"))).toEqual([]);
  });

  it("knows that bundles ship the safe-upgrades policy from v1.5.0", () => {
    expect(shipsSafeUpgradesPolicy(v("v1.4.1"))).toBe(false);
    expect(shipsSafeUpgradesPolicy(v("v1.5.0-rc.1"))).toBe(false);
    expect(shipsSafeUpgradesPolicy(v("v1.5.0"))).toBe(true);
  });
});
