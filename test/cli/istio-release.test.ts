import { readFileSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readReleaseFiles } from "../../src/cli/istio-release.js";
import { InputError } from "../../src/core/errors.js";
import { fixtureDescription, releaseArchive, releaseTree } from "./release-fixture.js";

const tls = path.join(import.meta.dirname, "..", "fixtures", "tls");
const cert = readFileSync(path.join(tls, "loopback-cert.pem"));
const key = readFileSync(path.join(tls, "loopback-key.pem"));

async function rejection(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error instanceof InputError) return error;
  throw new Error(`expected an InputError, got ${String(error)}`);
}

describe("--manifests: a directory", () => {
  it("reads istio-<version>/manifests, and the release directory above it", async () => {
    const release = await releaseTree(await mkdtemp(path.join(tmpdir(), "mesh-rel-")));
    for (const dir of [path.join(release, "manifests"), release]) {
      const files = await readReleaseFiles(dir);
      expect(files.chartYaml).toContain("version: 1.30.3");
      expect(files.crdYaml).toContain(fixtureDescription);
    }
  });

  it("says what it looked for in a directory that is no release", async () => {
    const empty = await mkdtemp(path.join(tmpdir(), "mesh-rel-"));
    expect((await rejection(readReleaseFiles(empty))).message).toContain("no charts/base/Chart.yaml here or in");
    expect((await rejection(readReleaseFiles(path.join(empty, "missing")))).message).toContain("no such file or directory");
  });
});

describe("--manifests: a release archive on disk", () => {
  it("reads it when the .sha256 beside it matches", async () => {
    const { archive } = await releaseArchive();
    expect((await readReleaseFiles(archive)).crdYaml).toContain(fixtureDescription);
  });

  it("takes --manifests-sha256 instead of a sibling file", async () => {
    const { archive, sha256 } = await releaseArchive("1.30.3", false);
    expect((await readReleaseFiles(archive, { sha256 })).chartYaml).toContain("1.30.3");
    expect((await rejection(readReleaseFiles(archive))).message).toContain(
      "cannot verify the archive: no istio-1.30.3-linux-amd64.tar.gz.sha256",
    );
  });

  it("refuses an archive whose digest does not match, before reading it", async () => {
    const { archive } = await releaseArchive();
    const error = await rejection(readReleaseFiles(archive, { sha256: "0".repeat(64) }));
    expect(error.message).toMatch(/SHA-256 mismatch: the archive has [0-9a-f]{64}, expected 0{64}/);
    expect((await rejection(readReleaseFiles(archive, { sha256: "abc" }))).message).toContain("not a SHA-256 digest");
  });

  it("refuses a file that is no tar.gz, and an archive without the base chart", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "mesh-rel-"));
    const junk = path.join(dir, "junk.tar.gz");
    await writeFile(junk, "not an archive");
    const { createHash } = await import("node:crypto");
    const sha256 = createHash("sha256").update("not an archive").digest("hex");
    expect((await rejection(readReleaseFiles(junk, { sha256 }))).message).toMatch(/not a readable \.tar\.gz archive|has no manifests/);
  });
});

describe("--manifests: an https URL", () => {
  let server: Server;
  let base: string;
  let archiveBytes: Buffer;
  let digest: string;
  const routes = new Map<string, (response: import("node:http").ServerResponse) => void>();

  beforeAll(async () => {
    const built = await releaseArchive();
    archiveBytes = await readFile(built.archive);
    digest = built.sha256;
    server = createServer({ cert, key }, (request, response) => {
      const route = routes.get(request.url ?? "");
      if (route) return route(response);
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    routes.set("/istio.tar.gz", (response) => response.writeHead(200).end(archiveBytes));
    routes.set("/istio.tar.gz.sha256", (response) => response.writeHead(200).end(`${digest}  istio.tar.gz\n`));
    routes.set("/moved.tar.gz", (response) => response.writeHead(302, { location: "/istio.tar.gz" }).end());
    routes.set("/moved.tar.gz.sha256", (response) => response.writeHead(302, { location: "/istio.tar.gz.sha256" }).end());
    routes.set("/plain.tar.gz", (response) => response.writeHead(302, { location: "http://127.0.0.1:1/istio.tar.gz" }).end());
    routes.set("/stall.tar.gz", (response) => response.writeHead(200, { "content-length": "100000" }).write("x"));
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("downloads the archive and verifies it with the published .sha256", async () => {
    expect((await readReleaseFiles(`${base}/istio.tar.gz`, { ca: cert })).crdYaml).toContain(fixtureDescription);
  });

  it("follows https redirects", async () => {
    expect((await readReleaseFiles(`${base}/moved.tar.gz`, { ca: cert })).chartYaml).toContain("1.30.3");
  });

  it("trusts only the CAs it is given", async () => {
    expect((await rejection(readReleaseFiles(`${base}/istio.tar.gz`))).message).toMatch(/self-signed|certificate/);
  });

  it("refuses http URLs and redirects to http", async () => {
    expect((await rejection(readReleaseFiles("http://127.0.0.1/istio.tar.gz"))).message).toContain("only https:// URLs are downloaded");
    expect((await rejection(readReleaseFiles(`${base}/plain.tar.gz`, { ca: cert, sha256: digest }))).message).toContain(
      "which is not https",
    );
  });

  it("stops at the byte bound and at the deadline", async () => {
    expect((await rejection(readReleaseFiles(`${base}/istio.tar.gz`, { ca: cert, maxBytes: 100 }))).message).toContain(
      "more than the 100 bytes accepted",
    );
    expect((await rejection(readReleaseFiles(`${base}/stall.tar.gz`, { ca: cert, sha256: digest, timeoutMs: 300 }))).message).toContain(
      "did not finish within",
    );
  });

  it("refuses a download whose digest does not match, and reports a missing one", async () => {
    const wrong = "f".repeat(64);
    expect((await rejection(readReleaseFiles(`${base}/istio.tar.gz`, { ca: cert, sha256: wrong }))).message).toContain("SHA-256 mismatch");
    routes.set("/nodigest.tar.gz", (response) => response.writeHead(200).end(archiveBytes));
    const error = await rejection(readReleaseFiles(`${base}/nodigest.tar.gz`, { ca: cert }));
    expect(error.message).toContain("cannot verify");
    expect(error.hint).toContain("--manifests-sha256");
  });
});
