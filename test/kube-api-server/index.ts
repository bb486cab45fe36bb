/**
 * An in-process Kubernetes API server for tests, on loopback only. It follows the observable rules of the real
 * API (discovery, CRUD, server-side apply with managedFields and conflicts, dry runs, Status errors) and
 * simulates the controllers clients wait for (see simulation.ts).
 *
 *   const server = await startKubeApiServer();
 *   const kubeconfig = server.kubeconfigPath(dir);   // token auth; { auth: "client-cert" } for certificates
 *   ...
 *   await server.stop();
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { stringify } from "yaml";
import { ApiHandler, type ForbiddenRule, type HttpBehaviour, type RequestRecord } from "./http.js";
import { builtinResources } from "./resources.js";
import { Simulation, type Readiness, type SimulationBehaviour } from "./simulation.js";
import { ObjectStore } from "./store.js";

export type { ForbiddenRule, Readiness, RequestRecord };

export interface Behaviour extends SimulationBehaviour, HttpBehaviour {
  /** Objects of this kind (and name) are rejected with 422 Invalid naming `field`. */
  invalid: { kind: string; name?: string; field: string; message: string }[];
}

export interface KubeApiServerOptions extends Partial<Behaviour> {
  /** Serve plain HTTP instead of TLS (kubeconfig then sets insecure-skip-tls-verify). */
  plainHttp?: boolean;
  /** Namespaces that exist from the start (default: default, kube-system, kube-public). */
  namespaces?: string[];
}

export interface KubeconfigOptions {
  auth?: "token" | "client-cert" | "none";
  token?: string;
  /** CA the kubeconfig trusts; "other" trusts an unrelated CA, so TLS verification fails. */
  ca?: "server" | "other";
  contextName?: string;
  fileName?: string;
  /** The server URL the kubeconfig points at (a proxy in front of this server); default this server. */
  server?: string;
  /** Extra contexts (name → server URL) written next to the main one. */
  extraContexts?: Record<string, string>;
}

export interface KubeApiServer {
  url: string;
  /** Writes a kubeconfig for this server into `directory` and returns its path. */
  kubeconfigPath(directory: string, options?: KubeconfigOptions): string;
  stop(): Promise<void>;
  /** Every stored object as the API would return it. */
  objects(filter?: { kind?: string; namespace?: string; labelSelector?: Record<string, string> }): any[];
  /** Creates an object directly, as another client (`manager`) would. */
  createObject(object: any, options?: { manager?: string }): any;
  setBehaviour(behaviour: Partial<Behaviour>): void;
  /** Requests received so far (method, path, verb, user, dryRun, status). */
  requests(): RequestRecord[];
  clearRequests(): void;
}

const certs = (file: string) => readFileSync(new URL(`./certs/${file}`, import.meta.url), "utf8");

export const testToken = "mesh-test-token-d0n0tpr1nt";

const defaults: Behaviour = {
  crdEstablishDelayMs: 50,
  deploymentReadyAfterReads: 2,
  deployments: {},
  loadBalancerIngress: { ip: "172.18.255.200" },
  tokens: { [testToken]: "mesh-admin" },
  forbidden: [],
  responseDelayMs: 0,
  hiddenGroups: [],
  aggregatedDiscovery: true,
  partialObjectMetadata: true,
  kubernetesVersion: { major: "1", minor: "33", gitVersion: "v1.33.1" },
  invalid: [],
};

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const { plainHttp, namespaces, ...overrides } = options;
  let behaviour: Behaviour = { ...defaults, ...overrides };
  const store = new ObjectStore();
  store.invalidRules = behaviour.invalid;
  const simulation = new Simulation(store, () => behaviour);
  const handler = new ApiHandler(store, simulation, () => behaviour);
  const namespaceType = builtinResources.find((type) => type.kind === "Namespace")!;
  for (const name of namespaces ?? ["default", "kube-system", "kube-public"]) {
    store.create(
      namespaceType,
      "v1",
      undefined,
      { apiVersion: "v1", kind: "Namespace", metadata: { name } },
      { manager: "kube-apiserver", dryRun: false, now: new Date().toISOString() },
    );
  }

  const listener = (request: any, response: any) => {
    handler.handle(request, response).catch((error) => {
      response.writeHead(500);
      response.end(String(error));
    });
  };
  const server: Server = plainHttp
    ? createHttpServer(listener)
    : createHttpsServer(
        { key: certs("server.key"), cert: certs("server.crt"), ca: certs("ca.crt"), requestCert: true, rejectUnauthorized: false },
        listener,
      );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `${plainHttp ? "http" : "https"}://127.0.0.1:${port}`;

  return {
    url,
    kubeconfigPath(directory, kubeconfig = {}) {
      const contextName = kubeconfig.contextName ?? "mesh-test";
      const cluster: Record<string, unknown> = { server: kubeconfig.server ?? url };
      if (plainHttp) cluster["insecure-skip-tls-verify"] = true;
      else
        cluster["certificate-authority-data"] = Buffer.from(certs(kubeconfig.ca === "other" ? "other-ca.crt" : "ca.crt")).toString(
          "base64",
        );
      const auth = kubeconfig.auth ?? "token";
      const user: Record<string, unknown> =
        auth === "token"
          ? { token: kubeconfig.token ?? testToken }
          : auth === "client-cert"
            ? {
                "client-certificate-data": Buffer.from(certs("admin.crt")).toString("base64"),
                "client-key-data": Buffer.from(certs("admin.key")).toString("base64"),
              }
            : {};
      const extra = Object.entries(kubeconfig.extraContexts ?? {});
      const document = {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: contextName, cluster }, ...extra.map(([name, server]) => ({ name, cluster: { ...cluster, server } }))],
        users: [{ name: contextName, user }],
        contexts: [
          { name: contextName, context: { cluster: contextName, user: contextName } },
          ...extra.map(([name]) => ({ name, context: { cluster: name, user: contextName } })),
        ],
        "current-context": contextName,
        preferences: {},
      };
      const path = join(directory, kubeconfig.fileName ?? "kubeconfig");
      writeFileSync(path, stringify(document), { mode: 0o600 });
      return path;
    },
    stop() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
    objects(filter = {}) {
      simulation.reconcile(Date.now());
      return [...store.records.values()]
        .filter((record) => filter.kind === undefined || record.type.kind === filter.kind)
        .filter((record) => filter.namespace === undefined || record.object.metadata.namespace === filter.namespace)
        .filter((record) =>
          Object.entries(filter.labelSelector ?? {}).every(([key, value]) => record.object.metadata.labels?.[key] === value),
        )
        .map((record) => store.render(record));
    },
    createObject(object, createOptions = {}) {
      simulation.reconcile(Date.now());
      const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
      const type = store
        .types()
        .find((candidate) => candidate.group === group && candidate.kind === object.kind && candidate.versions.includes(version));
      if (!type) throw new Error(`the test server does not serve ${object.apiVersion} ${object.kind}`);
      const created = store.create(type, version, object.metadata?.namespace, object, {
        manager: createOptions.manager ?? "kubectl-create",
        dryRun: false,
        now: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      });
      return store.render(created);
    },
    setBehaviour(update) {
      behaviour = { ...behaviour, ...update };
      store.invalidRules = behaviour.invalid;
    },
    requests: () => [...handler.log],
    clearRequests() {
      handler.log.length = 0;
    },
  };
}
