import { describe, expect, it } from "vitest";
import { bundleCacheEntry, cacheRoot, formatChecksumFile, parseChecksumFile } from "../../../src/core/gatewayapi/cache.js";

describe("the bundle cache", () => {
  it.each([
    [{ XDG_CACHE_HOME: "/var/cache/ci" }, "/var/cache/ci/mesh"],
    [{ XDG_CACHE_HOME: "relative/cache" }, "/home/dev/.cache/mesh"],
    [{ XDG_CACHE_HOME: "" }, "/home/dev/.cache/mesh"],
    [{}, "/home/dev/.cache/mesh"],
  ])("lives under %j → %s", (env, root) => {
    expect(cacheRoot(env, "/home/dev")).toBe(root);
  });

  it("keys entries by version and channel, with a sha256sum-style checksum file beside each", () => {
    expect(bundleCacheEntry("/c/mesh", "v1.5.1", "experimental")).toEqual({
      bundlePath: "/c/mesh/gateway-api/v1.5.1/experimental-install.yaml",
      checksumPath: "/c/mesh/gateway-api/v1.5.1/experimental-install.yaml.sha256",
      documentsPath: "/c/mesh/gateway-api/v1.5.1/experimental-install.yaml.documents.json",
    });
    const digest = "ab".repeat(32);
    expect(formatChecksumFile(digest, "standard")).toBe(`${digest}  standard-install.yaml\n`);
    expect(parseChecksumFile(formatChecksumFile(digest, "standard"))).toBe(digest);
    expect(parseChecksumFile("not a digest\n")).toBeUndefined();
  });
});
