import { readFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureDescription, releaseArchive, releaseTree } from "../cli/release-fixture.js";
import { startTestCluster, type TestCluster } from "./kube-helpers.js";
import { runMesh } from "./run-mesh.js";

const baseOnly = ["--set", "profile=minimal", "--set", "components.pilot.enabled=false"];
const note = "`kubectl explain` will show no field docs for Istio resources";

describe("mesh manifest generate --manifests", () => {
  it("prints the release's CRDs with their descriptions", async () => {
    const release = await releaseTree(await mkdtemp(path.join(tmpdir(), "mesh-e2e-rel-")));
    const result = await runMesh(["manifest", "generate", "--component", "base", "--manifests", path.join(release, "manifests")]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(fixtureDescription);
    expect(result.stdout.match(/^kind: CustomResourceDefinition$/gm)).toHaveLength(2);
  });

  it("refuses a release of another Istio minor with exit 2", async () => {
    const release = await releaseTree(await mkdtemp(path.join(tmpdir(), "mesh-e2e-rel-")), "1.29.2");
    const result = await runMesh(["manifest", "generate", "-d", release]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Istio 1.29.2 (from charts/base/Chart.yaml); mesh installs Istio 1.30.3");
    expect(result.stdout).toBe("");
  });

  it("downloads an https archive, trusting the CA given by NODE_EXTRA_CA_CERTS", async () => {
    const { archive, sha256 } = await releaseArchive();
    const bytes = await readFile(archive);
    const tls = path.join(import.meta.dirname, "..", "fixtures", "tls");
    const server = createServer(
      { cert: readFileSync(path.join(tls, "loopback-cert.pem")), key: readFileSync(path.join(tls, "loopback-key.pem")) },
      (request, response) => {
        if (request.url === "/istio.tar.gz") response.writeHead(200).end(bytes);
        else response.writeHead(404).end();
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/istio.tar.gz`;
      const env = { NODE_EXTRA_CA_CERTS: path.join(tls, "loopback-cert.pem") };
      const missing = await runMesh(["manifest", "generate", "--component", "base", "-d", url], { env });
      expect(missing.exitCode).toBe(2);
      expect(missing.stderr).toContain("cannot verify");
      const result = await runMesh(["manifest", "generate", "--component", "base", "-d", url, "--manifests-sha256", sha256], { env });
      expect(result.stderr).toBe("");
      expect(result.stdout).toContain(fixtureDescription);
    } finally {
      server.close();
    }
  });

  it("wants --manifests with --manifests-sha256", async () => {
    const result = await runMesh(["manifest", "generate", "--manifests-sha256", "0".repeat(64)]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--manifests-sha256 needs --manifests");
  });
});

describe("mesh install and CRD docs", () => {
  let cluster: TestCluster;
  afterEach(async () => {
    await cluster.stop();
  });

  it("says once, on stderr only, that the structural CRDs have no docs", async () => {
    cluster = await startTestCluster();
    const result = await cluster.mesh(["install", ...baseOnly, "-y", "-o", "json"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr.split(note)).toHaveLength(2);
    expect(result.stderr).toContain("--manifests <istio-1.30.3/manifests or the release archive>");
    expect(result.stdout).not.toContain(note);
    expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
  });

  it("installs the release's CRDs, descriptions included, from a verified archive", async () => {
    cluster = await startTestCluster();
    const { archive } = await releaseArchive();
    const result = await cluster.mesh(["install", ...baseOnly, "-y", "--manifests", archive]);
    expect(result.stderr).not.toContain(note);
    expect(result.exitCode).toBe(0);
    const crds = cluster.server.objects().filter((object) => object.kind === "CustomResourceDefinition");
    expect(crds.map((crd) => crd.metadata.name).sort()).toEqual(["sidecars.networking.istio.io", "wasmplugins.extensions.istio.io"]);
    expect(JSON.stringify(crds)).toContain(fixtureDescription);
  });
});
