import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { OFFICIAL_BASE_URL, bundleUrl, isLoopbackHost, resolveBundleRequest } from "../../../src/core/gatewayapi/request.js";

describe("resolving where the bundle comes from", () => {
  it("defaults to the official v1.5.1 standard release asset", () => {
    const request = resolveBundleRequest({}, {});
    expect(request).toMatchObject({
      version: "v1.5.1",
      channel: "standard",
      sha256: undefined,
      source: { kind: "url", url: `${OFFICIAL_BASE_URL}/v1.5.1/standard-install.yaml`, mirror: false },
    });
  });

  it("uses MESH_GATEWAY_API_BASE_URL, and --base-url over it", () => {
    const env = { MESH_GATEWAY_API_BASE_URL: "https://mirror.example/gw/" };
    expect(resolveBundleRequest({ version: "v1.2.1", channel: "experimental" }, env).source).toEqual({
      kind: "url",
      url: "https://mirror.example/gw/v1.2.1/experimental-install.yaml",
      mirror: true,
    });
    expect(resolveBundleRequest({ baseUrl: "https://other.example/x" }, env).source).toMatchObject({
      url: "https://other.example/x/v1.5.1/standard-install.yaml",
    });
  });

  it("reads a local file with --from-file and normalises a pinned digest", () => {
    const digest = "AB".repeat(32);
    expect(resolveBundleRequest({ fromFile: "bundle.yaml", sha256: `sha256:${digest}` }, {})).toMatchObject({
      source: { kind: "file", path: "bundle.yaml" },
      sha256: digest.toLowerCase(),
    });
  });

  it.each([
    [{ version: "1.5.1" }, /not a Gateway API release version/],
    [{ version: "v1.1.0" }, /not a version mesh supports/],
    [{ channel: "beta" }, /unknown Gateway API channel "beta"/],
    [{ sha256: "abc" }, /is not a SHA-256 digest/],
    [{ fromFile: "a.yaml", baseUrl: "https://x.example" }, /--from-file and --base-url/],
    [{ baseUrl: "mirror.example" }, /is not a URL/],
    [{ baseUrl: "ftp://mirror.example" }, /must be an http\(s\) URL/],
    [{ baseUrl: "https://mirror.example/?token=1" }, /must not carry a query/],
    [{ baseUrl: "http://mirror.example" }, /refusing to download .* over plain HTTP from mirror.example/],
  ])("refuses %j", (options, message) => {
    expect(() => resolveBundleRequest(options, {})).toThrow(UsageError);
    expect(() => resolveBundleRequest(options, {})).toThrow(message);
  });

  it("allows an untested version with --force", () => {
    expect(resolveBundleRequest({ version: "v1.6.0", force: true }, {}).version).toBe("v1.6.0");
  });

  it("allows plain HTTP to loopback, or anywhere with --insecure-http", () => {
    expect(resolveBundleRequest({ baseUrl: "http://127.0.0.1:8080" }, {}).source).toMatchObject({
      url: "http://127.0.0.1:8080/v1.5.1/standard-install.yaml",
    });
    expect(resolveBundleRequest({ baseUrl: "http://[::1]:8080/a" }, {}).source.kind).toBe("url");
    expect(resolveBundleRequest({ baseUrl: "http://mirror.internal", insecureHttp: true }, {}).source.kind).toBe("url");
  });

  it.each([
    ["localhost", true],
    ["127.0.0.1", true],
    ["127.10.0.3", true],
    ["[::1]", true],
    ["mirror.localhost", true],
    ["10.0.0.1", false],
    ["localhost.example.com", false],
    ["127.0.0.1.nip.io", false],
  ])("treats %s as loopback: %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it("appends <version>/<channel>-install.yaml to the base path", () => {
    expect(bundleUrl("https://h.example/a/b", "v1.4.1", "standard").href).toBe("https://h.example/a/b/v1.4.1/standard-install.yaml");
  });
});
