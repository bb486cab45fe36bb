/** Maps apiVersion + kind to REST paths through the API server's discovery documents, cached per group/version. */
import { ClusterError } from "../core/errors.js";
import { apiGroupOf, apiVersionOnly, describeObject, type KubeObject } from "../core/objects.js";
import { isNotFound, type KubeClient } from "./client.js";

export interface ApiResource {
  apiVersion: string;
  kind: string;
  /** Plural resource name used in URLs and RBAC: `deployments`. */
  plural: string;
  group: string;
  namespaced: boolean;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string };
}

export class Discovery {
  private readonly lists = new Map<string, Promise<ApiResource[] | undefined>>();

  constructor(private readonly client: KubeClient) {}

  private groupVersion(apiVersion: string): Promise<ApiResource[] | undefined> {
    let pending = this.lists.get(apiVersion);
    if (!pending) {
      const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      pending = this.client
        .get<{ resources?: { name: string; kind: string; namespaced: boolean }[] }>(path, undefined, `discovery of ${apiVersion}`)
        .then((list) =>
          (list.resources ?? [])
            .filter((resource) => !resource.name.includes("/"))
            .map((resource) => ({
              apiVersion,
              kind: resource.kind,
              plural: resource.name,
              group: apiGroupOf(apiVersion),
              namespaced: resource.namespaced,
            })),
        )
        .catch((error) => {
          if (isNotFound(error)) return undefined;
          throw error;
        });
      this.lists.set(apiVersion, pending);
    }
    return pending;
  }

  /** Forgets what discovery said about a group/version, e.g. after its CRDs were installed. */
  forget(apiVersion?: string): void {
    if (apiVersion === undefined) this.lists.clear();
    else this.lists.delete(apiVersion);
  }

  /** The resource serving `kind` in `apiVersion`, or undefined when the cluster does not serve it. */
  async find(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    // A list fetched for this very call is as fresh as a second fetch would be: only an earlier answer is
    // fetched again when it lacks the kind (its CRD may have been installed since).
    const cached = this.lists.has(apiVersion);
    let resources = await this.groupVersion(apiVersion);
    if (cached && !resources?.some((resource) => resource.kind === kind)) {
      this.forget(apiVersion);
      resources = await this.groupVersion(apiVersion);
    }
    return resources?.find((resource) => resource.kind === kind);
  }

  /** Like find, but a kind the cluster does not serve is a ClusterError naming the API group. */
  async require(apiVersion: string, kind: string): Promise<ApiResource> {
    const resource = await this.find(apiVersion, kind);
    if (resource) return resource;
    const group = apiGroupOf(apiVersion);
    throw new ClusterError(
      `the cluster does not serve ${kind} in ${apiVersion}${group ? ` (API group "${group}" version ${apiVersionOnly(apiVersion)} is not served)` : ""}`,
      {
        hint:
          group.endsWith(".istio.io") || group.includes("gateway.networking")
            ? "install the CRDs that define it first (mesh install installs the Istio CRDs)"
            : "this Kubernetes version may be too old or the API is disabled",
      },
    );
  }

  /** The URL of one object (with a name) or of its collection (without). */
  async pathOf(object: ObjectRef, options: { collection?: boolean } = {}): Promise<{ path: string; resource: ApiResource }> {
    const resource = await this.require(object.apiVersion, object.kind);
    const base = object.apiVersion.includes("/") ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
    const namespace = object.metadata.namespace;
    if (resource.namespaced && !namespace && !options.collection) {
      throw new ClusterError(`${describeObject(object)} has no namespace`);
    }
    const scope = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
    const name = options.collection ? "" : `/${encodeURIComponent(object.metadata.name ?? "")}`;
    return { path: `${base}${scope}/${resource.plural}${name}`, resource };
  }
}

/** `kind/name` in RBAC terms for messages: `patch customresourcedefinitions.apiextensions.k8s.io "x"`. */
export function describeAction(verb: string, resource: ApiResource, object?: KubeObject | ObjectRef): string {
  const qualified = resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
  const name = object?.metadata.name ? ` "${object.metadata.name}"` : "";
  const namespace = resource.namespaced && object?.metadata.namespace ? ` in namespace ${object.metadata.namespace}` : "";
  return `${verb} ${qualified}${name}${namespace}`;
}
