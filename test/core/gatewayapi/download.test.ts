import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/errors.js";
import { obtainBundle } from "../../../src/core/gatewayapi/download.js";
import { resolveBundleRequest, type BundleRequestOptions } from "../../../src/core/gatewayapi/request.js";
import { sha256Hex } from "../../../src/core/gatewayapi/verify.js";
import { startBundleServer, unreachableBaseUrl, type BundleServer } from "../../fixtures/gateway-api/bundle-server.js";
import { syntheticBundle } from "../../fixtures/gateway-api/synthetic-bundle.js";

let server: BundleServer;
let cacheHome: string;
const v121 = syntheticBundle("v1.2.1", "standard");
const assetPath = "/releases/v1.2.1/standard-install.yaml";

beforeEach(async () => {
  server = await startBundleServer();
  cacheHome = await mkdtemp(join(tmpdir(), "mesh-gwapi-cache-"));
});
afterEach(async () => {
  await server.close();
  await rm(cacheHome, { recursive: true, force: true });
});

function obtain(options: BundleRequestOptions, timeoutMs = 5000) {
  const env = { XDG_CACHE_HOME: cacheHome };
  return obtainBundle(resolveBundleRequest({ version: "v1.2.1", baseUrl: server.baseUrl, ...options }, env), {
    env,
    homeDir: "/nonexistent-home",
    timeoutMs,
  });
}

async function failure(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe("obtaining a bundle", () => {
  it("downloads from the mirror, verifies, and caches the bundle with its SHA-256", async () => {
    server.routes.set(assetPath, { body: v121 });
    const obtained = await obtain({});
    expect(obtained.origin).toBe("download");
    expect(obtained.bundle.sha256).toBe(sha256Hex(v121));
    const cached = join(cacheHome, "mesh", "gateway-api", "v1.2.1", "standard-install.yaml");
    expect(await readFile(cached, "utf8")).toBe(v121);
    expect(await readFile(`${cached}.sha256`, "utf8")).toBe(`${sha256Hex(v121)}  standard-install.yaml\n`);
  });

  it("uses the cache without the network once a bundle was verified", async () => {
    server.routes.set(assetPath, { body: v121 });
    await obtain({});
    await server.close();
    const again = await obtain({});
    expect(again.origin).toBe("cache");
    expect(again.bundle.summaries).toHaveLength(5);
  });

  it("names the URL and --from-file when there is no network and no cache", async () => {
    const env = { XDG_CACHE_HOME: cacheHome };
    const request = resolveBundleRequest({ version: "v1.2.1", baseUrl: await unreachableBaseUrl() }, env);
    const error = await failure(obtainBundle(request, { env, homeDir: "/x", timeoutMs: 5000 }));
    expect(error.message).toMatch(
      /could not download the Gateway API bundle from http:\/\/127\.0\.0\.1:\d+\/releases\/v1\.2\.1\/standard-install\.yaml: ECONNREFUSED/,
    );
    expect(error.hint).toMatch(/No verified copy is cached in .*mesh\/gateway-api\/v1\.2\.1/);
    expect(error.hint).toMatch(/--from-file PATH/);
  });

  it("refuses an HTML error page and caches nothing", async () => {
    server.routes.set(assetPath, { body: "<!doctype html><title>502 Bad Gateway</title>", contentType: "text/html" });
    const error = await failure(obtain({}));
    expect(error.message).toMatch(/is an HTML page \("502 Bad Gateway"\), not YAML/);
    await expect(readFile(join(cacheHome, "mesh", "gateway-api", "v1.2.1", "standard-install.yaml"))).rejects.toThrow();
  });

  it("refuses a download that breaks off before its declared length", async () => {
    server.routes.set(assetPath, { body: v121, sendBytes: Math.floor(v121.length / 2) });
    const error = await failure(obtain({}));
    expect(error.message).toMatch(/download of .* (broke off|is truncated)/);
  });

  it("reports the HTTP status of a missing asset with a hint about the mirror layout", async () => {
    const error = await failure(obtain({}));
    expect(error.message).toMatch(/HTTP 404 Not Found/);
    expect(error.hint).toMatch(/<base>\/<version>\/<channel>-install\.yaml/);
  });

  it("refuses a bundle whose digest differs from --sha256", async () => {
    server.routes.set(assetPath, { body: v121 });
    const error = await failure(obtain({ sha256: "0".repeat(64) }));
    expect(error.message).toMatch(new RegExp(`has SHA-256 ${sha256Hex(v121)}, not the pinned 0{64}`));
  });

  it("accepts a bundle matching --sha256", async () => {
    server.routes.set(assetPath, { body: v121 });
    expect((await obtain({ sha256: sha256Hex(v121) })).origin).toBe("download");
  });

  it("re-downloads when the cached copy no longer matches its recorded digest", async () => {
    server.routes.set(assetPath, { body: v121 });
    await obtain({});
    const cached = join(cacheHome, "mesh", "gateway-api", "v1.2.1", "standard-install.yaml");
    await writeFile(cached, `${v121}# tampered\n`);
    const again = await obtain({});
    expect(again.origin).toBe("download");
    expect(again.warnings.join("\n")).toMatch(/does not match its recorded SHA-256/);
    expect(await readFile(cached, "utf8")).toBe(v121);
  });

  it("gives up after the timeout", async () => {
    server.routes.set(assetPath, { hang: true });
    const error = await failure(obtain({}, 300));
    expect(error.message).toMatch(/no answer within 300ms/);
  });

  it("follows a redirect on loopback", async () => {
    server.routes.set(assetPath, { redirect: "/assets/bundle.yaml" });
    server.routes.set("/assets/bundle.yaml", { body: v121 });
    expect((await obtain({})).bundle.version).toBe("v1.2.1");
  });

  it("reads --from-file, checks the pin, and never touches the cache", async () => {
    const path = join(cacheHome, "bundle.yaml");
    await writeFile(path, v121);
    const env = { XDG_CACHE_HOME: cacheHome };
    const request = resolveBundleRequest({ version: "v1.2.1", fromFile: path, sha256: sha256Hex(v121) }, env);
    const obtained = await obtainBundle(request, { env, homeDir: "/x", timeoutMs: 1000 });
    expect(obtained).toMatchObject({ origin: "file", location: path });
    expect(server.requests).toEqual([]);
  });

  it("says which file it could not read", async () => {
    const env = { XDG_CACHE_HOME: cacheHome };
    const request = resolveBundleRequest({ version: "v1.2.1", fromFile: join(cacheHome, "missing.yaml") }, env);
    const error = await failure(obtainBundle(request, { env, homeDir: "/x", timeoutMs: 1000 }));
    expect(error.message).toMatch(/cannot read the Gateway API bundle .*missing\.yaml: ENOENT/);
  });

  it("keeps the verified documents as JSON beside the cached bundle and reads them on a cache hit", async () => {
    server.routes.set(assetPath, { body: v121 });
    await obtain({});
    const documentsPath = join(cacheHome, "mesh", "gateway-api", "v1.2.1", "standard-install.yaml.documents.json");
    const derived = JSON.parse(await readFile(documentsPath, "utf8"));
    expect(derived.sha256).toBe(sha256Hex(v121));
    expect(derived.documents).toHaveLength(5);
    await server.close();
    const again = await obtain({});
    expect(again.origin).toBe("cache");
    expect(again.bundle.crds).toHaveLength(5);
  });

  it("verifies the cached documents as strictly as a download, and downloads again when they fail", async () => {
    server.routes.set(assetPath, { body: v121 });
    await obtain({});
    const documentsPath = join(cacheHome, "mesh", "gateway-api", "v1.2.1", "standard-install.yaml.documents.json");
    const derived = JSON.parse(await readFile(documentsPath, "utf8"));
    await writeFile(documentsPath, JSON.stringify({ ...derived, documents: derived.documents.slice(0, 4) }));
    const again = await obtain({});
    expect(again.origin).toBe("download");
    expect(again.warnings.join("\n")).toMatch(
      /ignored the cached bundle .*missing CRDs referencegrants|ignored the cached bundle .*is not the v1\.2\.1 standard bundle/,
    );
    expect(JSON.parse(await readFile(documentsPath, "utf8")).documents).toHaveLength(5);
  });

  it("rebuilds the documents from the cached YAML when they belong to another bundle", async () => {
    server.routes.set(assetPath, { body: v121 });
    await obtain({});
    const documentsPath = join(cacheHome, "mesh", "gateway-api", "v1.2.1", "standard-install.yaml.documents.json");
    await writeFile(documentsPath, JSON.stringify({ sha256: "0".repeat(64), documents: [] }));
    await server.close();
    const again = await obtain({});
    expect(again.origin).toBe("cache");
    expect(JSON.parse(await readFile(documentsPath, "utf8")).sha256).toBe(sha256Hex(v121));
  });
});

describe("obtaining a bundle from standard input", () => {
  it("reads --from-file - through the reader it is given and names standard input in refusals", async () => {
    const env = {};
    const request = resolveBundleRequest({ version: "v1.2.1", fromFile: "-" }, env);
    const read = (text: string) => async () => Buffer.from(text);
    const obtained = await obtainBundle(request, { env, homeDir: "/x", timeoutMs: 1000, readStdin: read(v121) });
    expect(obtained).toMatchObject({ origin: "file", location: "standard input" });
    const error = await failure(obtainBundle(request, { env, homeDir: "/x", timeoutMs: 1000, readStdin: read("<html><title>x</title>") }));
    expect(error.message).toMatch(/^the Gateway API bundle from standard input is an HTML page/);
  });
});
