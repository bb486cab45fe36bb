import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { ClusterError } from "../../src/core/errors.js";
import { connectCluster, warmUp } from "../../src/kube/index.js";
import { startKubeApiServer, testToken, type KubeApiServer } from "../kube-api-server/index.js";

let server: KubeApiServer;
let dir: string;
beforeAll(async () => {
  server = await startKubeApiServer();
  dir = mkdtempSync(join(tmpdir(), "mesh-kube-"));
});
afterAll(async () => {
  await server.stop();
});

async function failure(promise: Promise<unknown>): Promise<ClusterError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClusterError);
  return error as ClusterError;
}

describe("finding the kubeconfig", () => {
  it("says what to do when there is no kubeconfig at all", async () => {
    const error = await failure(connectCluster({ env: { HOME: dir } }));
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain("no kubeconfig found");
    expect(error.hint).toContain("--kubeconfig");
  });

  it("names a --kubeconfig path that does not exist", async () => {
    const error = await failure(connectCluster({ kubeconfig: join(dir, "missing"), env: {} }));
    expect(error.message).toContain(`${join(dir, "missing")} (from --kubeconfig) does not exist`);
  });

  it("reads KUBECONFIG and lists the contexts when --context names an unknown one", async () => {
    const path = server.kubeconfigPath(dir, { fileName: "ctx", extraContexts: { other: server.url } });
    const error = await failure(connectCluster({ context: "nope", env: { KUBECONFIG: path } }));
    expect(error.message).toBe(`context "nope" not found in ${path}`);
    expect(error.hint).toBe("available contexts: mesh-test, other");
    const cluster = await connectCluster({ context: "other", env: { KUBECONFIG: path } });
    expect(cluster.contextName).toBe("other");
    expect((await cluster.version()).gitVersion).toBe("v1.33.1");
    cluster.close();
  });

  it("rejects a kubeconfig that is not YAML without echoing its content", async () => {
    const path = join(dir, "broken");
    writeFileSync(path, `clusters: [\n  token: ${testToken}\n`);
    const error = await failure(connectCluster({ kubeconfig: path }));
    expect(error.message).toContain(`kubeconfig ${path} could not be read`);
    expect(error.message).not.toContain(testToken);
  });
});

describe("talking to the API server", () => {
  it("authenticates with a token or a client certificate", async () => {
    for (const auth of ["token", "client-cert"] as const) {
      const cluster = await connectCluster({ kubeconfig: server.kubeconfigPath(dir, { auth, fileName: `auth-${auth}` }) });
      const namespaces = await cluster.list("v1", "Namespace");
      expect(namespaces.map((namespace) => namespace.metadata.name)).toContain("default");
      expect(namespaces[0]).toMatchObject({ apiVersion: "v1", kind: "Namespace" });
      cluster.close();
    }
  });

  it("runs exec credential plugins through @kubernetes/client-node", async () => {
    const path = server.kubeconfigPath(dir, { auth: "none", fileName: "exec" });
    const document = parseYaml(readFileSync(path, "utf8"));
    const credential = JSON.stringify({
      apiVersion: "client.authentication.k8s.io/v1",
      kind: "ExecCredential",
      status: { token: testToken },
    });
    document.users[0].user = {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1",
        command: process.execPath,
        args: ["-e", `console.log(${JSON.stringify(credential)})`],
        interactiveMode: "Never",
      },
    };
    writeFileSync(path, stringifyYaml(document));
    const cluster = await connectCluster({ kubeconfig: path });
    expect((await cluster.list("v1", "Namespace")).length).toBeGreaterThan(0);
    cluster.close();
  });

  it("warms up (version, discovery) without waiting, but never through a credential plugin", async () => {
    server.clearRequests();
    const plain = await connectCluster({ kubeconfig: server.kubeconfigPath(dir, { fileName: "warm" }) });
    expect(server.requests()).toEqual([]);
    const version = warmUp(plain);
    expect(plain.credentialPlugin).toBe(false);
    expect((await version!).gitVersion).toBe("v1.33.1");
    await plain.discovery.find("v1", "Namespace");
    expect(
      server
        .requests()
        .map((request) => request.path)
        .sort(),
    ).toEqual(["/api", "/apis", "/version"]);
    plain.close();

    const path = server.kubeconfigPath(dir, { auth: "none", fileName: "warm-exec" });
    const document = parseYaml(readFileSync(path, "utf8"));
    const marker = join(dir, "warm-exec-ran");
    document.users[0].user = {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1",
        command: process.execPath,
        args: ["-e", `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "")`],
        interactiveMode: "Never",
      },
    };
    writeFileSync(path, stringifyYaml(document));
    server.clearRequests();
    const plugin = await connectCluster({ kubeconfig: path });
    expect(plugin.credentialPlugin).toBe(true);
    expect(warmUp(plugin)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(marker)).toBe(false);
    expect(server.requests()).toEqual([]);
    plugin.close();
  });

  it("resolves certificate files relative to the kubeconfig's directory", async () => {
    const path = server.kubeconfigPath(dir, { fileName: "relative" });
    const document = parseYaml(readFileSync(path, "utf8"));
    writeFileSync(join(dir, "ca.pem"), Buffer.from(document.clusters[0].cluster["certificate-authority-data"], "base64"));
    delete document.clusters[0].cluster["certificate-authority-data"];
    document.clusters[0].cluster["certificate-authority"] = "ca.pem";
    writeFileSync(path, stringifyYaml(document));
    const cluster = await connectCluster({ kubeconfig: path });
    expect((await cluster.version()).major).toBe("1");
    cluster.close();
  });

  it("reports rejected credentials (401) without printing them", async () => {
    const cluster = await connectCluster({
      kubeconfig: server.kubeconfigPath(dir, { token: "expired-secret-token", fileName: "bad-token" }),
    });
    const error = await failure(cluster.list("v1", "ConfigMap"));
    expect(error.message).toContain("rejected mesh's credentials (401 Unauthorized)");
    expect(`${error.message}\n${error.hint}\n${error.stack}`).not.toContain("expired-secret-token");
    cluster.close();
  });

  it("names the verb and resource that RBAC denied (403)", async () => {
    server.setBehaviour({ forbidden: [{ verb: "list", resource: "configmaps", namespace: "kube-system" }] });
    const cluster = await connectCluster({ kubeconfig: server.kubeconfigPath(dir) });
    const error = await failure(cluster.list("v1", "ConfigMap", { namespace: "kube-system" }));
    expect(error.message).toBe(
      'permission denied for list configmaps: configmaps is forbidden: User "mesh-admin" cannot list resource "configmaps" in API group "" in the namespace "kube-system"',
    );
    server.setBehaviour({ forbidden: [] });
    cluster.close();
  });

  it("reports a server that verifies with an unknown CA as a TLS failure", async () => {
    const cluster = await connectCluster({ kubeconfig: server.kubeconfigPath(dir, { ca: "other", fileName: "other-ca" }) });
    const error = await failure(cluster.version());
    expect(error.message).toMatch(/^TLS connection to the API server at https:\/\/127\.0\.0\.1:\d+ failed/);
    cluster.close();
  });

  it("reports an unreachable server", async () => {
    const stopped = await startKubeApiServer();
    const path = stopped.kubeconfigPath(dir, { fileName: "stopped" });
    await stopped.stop();
    const cluster = await connectCluster({ kubeconfig: path });
    const error = await failure(cluster.version());
    expect(error.message).toBe(`cannot reach the API server at ${stopped.url}: connection refused`);
    expect(error.hint).toContain('context "mesh-test"');
  });

  it("gives up after the request timeout", async () => {
    server.setBehaviour({ responseDelayMs: 500 });
    const cluster = await connectCluster({ kubeconfig: server.kubeconfigPath(dir), requestTimeoutMs: 100 });
    const error = await failure(cluster.version());
    expect(error.message).toContain("did not answer GET /version within 0.1s");
    server.setBehaviour({ responseDelayMs: 0 });
    cluster.close();
  });

  it("names an API group the cluster does not serve", async () => {
    const cluster = await connectCluster({ kubeconfig: server.kubeconfigPath(dir) });
    const error = await failure(
      cluster.get({ apiVersion: "networking.istio.io/v1", kind: "Gateway", metadata: { name: "x", namespace: "default" } }),
    );
    expect(error.message).toBe(
      'the cluster does not serve Gateway in networking.istio.io/v1 (API group "networking.istio.io" version v1 is not served)',
    );
    expect(await cluster.listIfServed("networking.istio.io/v1", "Gateway")).toEqual([]);
    cluster.close();
  });
});
