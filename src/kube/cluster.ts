/**
 * The cluster as the commands see it: connect once, then get/list/apply/delete any kind by apiVersion + kind.
 * This is the entry point other modules (install, gateway-api) use:
 *
 *   const cluster = await connectCluster({ kubeconfig, context, env });
 *   await cluster.apply(object, { dryRun: true });
 *   cluster.close();
 */
import { describeObject, type KubeObject } from "../core/objects.js";
import { withTypeOf } from "./api-objects.js";
import { applyObject, type AppliedObject, type ApplyOptions } from "./apply.js";
import { isNotFound, KubeApiError, KubeClient } from "./client.js";
import { loadKubeConfig, type ClusterAccessOptions } from "./config.js";
import { describeAction, Discovery, type ApiResource, type ObjectRef } from "./discovery.js";

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

export interface ListOptions {
  /** Omit for all namespaces (namespaced kinds) or for cluster-scoped kinds. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Only the items' metadata (PartialObjectMetadataList, as kubectl asks for it): far smaller for big objects such
   * as CRDs. Servers that cannot answer so send the whole objects, which callers must accept too.
   */
  metadataOnly?: boolean;
}

export interface Cluster {
  readonly client: KubeClient;
  readonly discovery: Discovery;
  /** API server URL and context name, for messages (never credentials). */
  readonly server: string;
  readonly contextName: string;
  /** Credentials come from an exec or auth-provider plugin, which may prompt or open a browser when first used. */
  readonly credentialPlugin: boolean;
  version(): Promise<ServerVersion>;
  /** The live object, or undefined when it does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Objects of a kind; items get apiVersion and kind filled in (lists of built-in kinds omit them). */
  list(apiVersion: string, kind: string, options?: ListOptions): Promise<KubeObject[]>;
  /** Like list, but a kind the cluster does not serve yields no objects instead of an error. */
  listIfServed(apiVersion: string, kind: string, options?: ListOptions): Promise<KubeObject[]>;
  apply(object: KubeObject, options?: ApplyOptions): Promise<AppliedObject>;
  /** Creates an object (POST); 409 AlreadyExists when it exists. Not retried after a dropped connection. */
  create(object: KubeObject): Promise<KubeObject>;
  /** Replaces an object (PUT) guarded by its metadata.resourceVersion: 409 Conflict when it changed meanwhile. */
  replace(object: KubeObject): Promise<KubeObject>;
  /** Deletes an object; returns false when it was already gone. */
  delete(ref: ObjectRef, options?: { dryRun?: boolean; propagationPolicy?: "Foreground" | "Background" | "Orphan" }): Promise<boolean>;
  /** Whether discovery lists `kind` in `apiVersion`. */
  serves(apiVersion: string, kind: string): Promise<ApiResource | undefined>;
  close(): void;
}

const metadataListAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

export async function connectCluster(options: ClusterAccessOptions = {}): Promise<Cluster> {
  const loaded = await loadKubeConfig(options);
  const client = new KubeClient(loaded, {
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  const discovery = new Discovery(client);

  const list = async (apiVersion: string, kind: string, listOptions: ListOptions = {}): Promise<KubeObject[]> => {
    const ref = { apiVersion, kind, metadata: listOptions.namespace ? { namespace: listOptions.namespace } : {} };
    const { path, resource } = await discovery.pathOf(ref, { collection: true });
    const result = await client.request<{ items?: KubeObject[] }>({
      method: "GET",
      path,
      query: { labelSelector: listOptions.labelSelector, fieldSelector: listOptions.fieldSelector },
      ...(listOptions.metadataOnly ? { accept: metadataListAccept } : {}),
      action: describeAction("list", resource),
    });
    return (result.items ?? []).map((item) => ({ ...item, apiVersion, kind }));
  };

  const write = async (method: "POST" | "PUT", path: string, action: string, object: KubeObject): Promise<KubeObject> =>
    withTypeOf(await client.request<KubeObject>({ method, path, body: object, action }), object);

  return {
    client,
    discovery,
    server: loaded.server,
    contextName: loaded.contextName,
    credentialPlugin: loaded.config !== undefined,
    version: () => client.get<ServerVersion>("/version", undefined, "GET /version"),
    async get(ref) {
      const { path, resource } = await discovery.pathOf(ref);
      try {
        const object = await client.request<KubeObject>({ method: "GET", path, action: describeAction("get", resource, ref) });
        return withTypeOf(object, ref);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    list,
    async listIfServed(apiVersion, kind, listOptions) {
      if (!(await discovery.find(apiVersion, kind))) return [];
      return list(apiVersion, kind, listOptions);
    },
    apply: (object, applyOptions) => applyObject(client, discovery, object, applyOptions),
    async create(object) {
      const { path, resource } = await discovery.pathOf(
        { apiVersion: object.apiVersion, kind: object.kind, metadata: { namespace: object.metadata.namespace } },
        { collection: true },
      );
      return write("POST", path, describeAction("create", resource, object), object);
    },
    async replace(object) {
      const { path, resource } = await discovery.pathOf(object);
      return write("PUT", path, describeAction("update", resource, object), object);
    },
    async delete(ref, deleteOptions = {}) {
      const { path, resource } = await discovery.pathOf(ref);
      try {
        await client.request({
          method: "DELETE",
          path,
          query: { dryRun: deleteOptions.dryRun ? "All" : undefined },
          body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: deleteOptions.propagationPolicy ?? "Background" },
          action: describeAction("delete", resource, ref),
        });
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        if (error instanceof KubeApiError && error.code !== 401 && error.code !== 403) {
          throw new KubeApiError(`deleting ${describeObject(ref)} failed: ${error.message}`, error.code, error.status);
        }
        throw error;
      }
    },
    serves: (apiVersion, kind) => discovery.find(apiVersion, kind),
    close: () => client.close(),
  };
}

/**
 * Sends what a command needs from the cluster first (TLS handshake, server version, discovery) without waiting
 * for it, so that it overlaps local work such as rendering. Returns the version's answer, to be awaited where the
 * command asked for the version before (an error surfaces there). Nothing is sent for credential plugins: they may
 * prompt or open a browser, which should happen only once the local work has succeeded.
 */
export function warmUp(cluster: Cluster): Promise<ServerVersion> | undefined {
  if (cluster.credentialPlugin) return undefined;
  const version = cluster.version();
  version.catch(() => {});
  cluster.discovery.find("v1", "Namespace").catch(() => {});
  return version;
}
