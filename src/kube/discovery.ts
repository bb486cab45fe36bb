/** Maps apiVersion + kind to REST paths through the API server's discovery documents, cached per group/version. */
import { ClusterError } from "../core/errors.js";
import { apiGroupOf, apiVersionOnly, describeObject, type KubeObject } from "../core/objects.js";
import { isNotFound, KubeApiError, type KubeClient } from "./client.js";

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

/**
 * Aggregated discovery (apidiscovery.k8s.io v2, v2beta1 before Kubernetes 1.30), as kubectl asks for it: /api and
 * /apis answer with every group/version and its resources in two requests instead of one per group/version.
 * Servers without it answer with the plain APIVersions/APIGroupList, and mesh asks per group/version.
 */
const aggregatedAccept = [
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
  "application/json",
].join(",");

interface AggregatedList {
  kind?: string;
  items?: {
    metadata?: { name?: string };
    versions?: {
      version?: string;
      freshness?: string;
      resources?: { resource?: string; responseKind?: { kind?: string }; scope?: string }[];
    }[];
  }[];
}

/** Resources per group/version; "stale" for one whose aggregated API server did not answer (asked directly). */
type AggregatedResources = Map<string, ApiResource[] | "stale">;

export class Discovery {
  private readonly lists = new Map<string, Promise<ApiResource[] | undefined>>();
  private aggregated: Promise<AggregatedResources | undefined> | undefined;
  /** Group/versions forgotten one by one: asked directly, never answered from an older aggregated answer. */
  private readonly direct = new Set<string>();

  constructor(private readonly client: KubeClient) {}

  private groupVersion(apiVersion: string): Promise<ApiResource[] | undefined> {
    let pending = this.lists.get(apiVersion);
    if (!pending) {
      pending = this.direct.has(apiVersion) ? this.fetchGroupVersion(apiVersion) : this.fromAggregated(apiVersion);
      this.lists.set(apiVersion, pending);
    }
    return pending;
  }

  private async fromAggregated(apiVersion: string): Promise<ApiResource[] | undefined> {
    this.aggregated ??= this.fetchAggregated();
    const resources = await this.aggregated;
    // No aggregated discovery (or it failed: the direct request then reports the problem as before).
    if (!resources) return this.fetchGroupVersion(apiVersion);
    const entry = resources.get(apiVersion);
    if (entry === "stale") return this.fetchGroupVersion(apiVersion);
    // Not in the aggregated list: the cluster does not serve it (as a 404 from its own endpoint says).
    return entry;
  }

  private async fetchAggregated(): Promise<AggregatedResources | undefined> {
    let lists: AggregatedList[];
    try {
      lists = await Promise.all(
        ["/api", "/apis"].map((path) =>
          this.client.request<AggregatedList>({ method: "GET", path, accept: aggregatedAccept, action: `discovery (${path})` }),
        ),
      );
    } catch (error) {
      // An answer, even an error, means the server is there: the direct requests then say what they said before.
      // Without one (unreachable, timed out) asking again per group/version would only wait longer.
      if (error instanceof KubeApiError) return undefined;
      throw error;
    }
    if (!lists.every((list) => list?.kind === "APIGroupDiscoveryList")) return undefined;
    const resources: AggregatedResources = new Map();
    for (const group of lists.flatMap((list) => list.items ?? [])) {
      const groupName = group.metadata?.name ?? "";
      for (const version of group.versions ?? []) {
        if (!version.version) continue;
        const apiVersion = groupName ? `${groupName}/${version.version}` : version.version;
        resources.set(
          apiVersion,
          version.freshness === "Stale"
            ? "stale"
            : (version.resources ?? [])
                .filter((resource) => resource.resource && resource.responseKind?.kind)
                .map((resource) => ({
                  apiVersion,
                  kind: resource.responseKind!.kind!,
                  plural: resource.resource!,
                  group: groupName,
                  namespaced: resource.scope === "Namespaced",
                })),
        );
      }
    }
    return resources;
  }

  private fetchGroupVersion(apiVersion: string): Promise<ApiResource[] | undefined> {
    const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return this.client
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
  }

  /** Forgets what discovery said about a group/version (or all), e.g. after its CRDs were installed. */
  forget(apiVersion?: string): void {
    if (apiVersion === undefined) {
      this.lists.clear();
      this.direct.clear();
      this.aggregated = undefined;
    } else {
      this.lists.delete(apiVersion);
      this.direct.add(apiVersion);
    }
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
