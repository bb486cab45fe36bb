import { describe, expect, it } from "vitest";
import { compareVersions, isOlderVersion, parseVersion } from "../../src/core/versions.js";

describe("versions", () => {
  it.each([
    ["1.30.3", { major: 1, minor: 30, patch: 3, prerelease: "" }],
    ["v1.5.1", { major: 1, minor: 5, patch: 1, prerelease: "" }],
    ["v1.5.0-rc.1", { major: 1, minor: 5, patch: 0, prerelease: "rc.1" }],
    ["1.30", undefined],
    ["latest", undefined],
    ["v1.5.1.2", undefined],
  ])("parses %j", (text, expected) => {
    expect(parseVersion(text)).toEqual(expected);
  });

  it.each([
    ["1.29.0", "1.30.3", -1],
    ["1.30.3", "1.30.3", 0],
    ["1.30.10", "1.30.9", 1],
    ["2.0.0", "1.99.99", 1],
    ["v1.5.0-rc.1", "v1.5.0", -1],
    ["v1.5.0-rc.2", "v1.5.0-rc.10", -1],
    ["v1.5.0", "v1.5.0-rc.1", 1],
  ])("compares %s with %s: %d", (a, b, expected) => {
    expect(compareVersions(parseVersion(a)!, parseVersion(b)!)).toBe(expected);
  });

  it("says a version is older only when both sides are versions", () => {
    expect(isOlderVersion("1.29.2", "1.30.3")).toBe(true);
    expect(isOlderVersion("1.30.3", "1.29.2")).toBe(false);
    expect(isOlderVersion("dev", "1.30.3")).toBe(false);
  });
});
