/** The resource types the test server serves: built-in kinds plus those defined by Established CRDs. */
export interface ResourceType {
  group: string;
  versions: string[];
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  /** A `/status` subresource exists, so writes to the main resource ignore `.status`. */
  statusSubresource: boolean;
  shortNames?: string[];
}

const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function builtin(
  group: string,
  versions: string[],
  kind: string,
  plural: string,
  namespaced: boolean,
  statusSubresource = false,
  shortNames?: string[],
): ResourceType {
  return { group, versions, kind, plural, singular: kind.toLowerCase(), namespaced, statusSubresource, shortNames };
}

export const builtinResources: readonly ResourceType[] = [
  builtin("", ["v1"], "Namespace", "namespaces", false, true, ["ns"]),
  builtin("", ["v1"], "ConfigMap", "configmaps", true, false, ["cm"]),
  builtin("", ["v1"], "Secret", "secrets", true),
  builtin("", ["v1"], "Service", "services", true, true, ["svc"]),
  builtin("", ["v1"], "ServiceAccount", "serviceaccounts", true, false, ["sa"]),
  builtin("", ["v1"], "Pod", "pods", true, true, ["po"]),
  builtin("", ["v1"], "Event", "events", true, false, ["ev"]),
  builtin("", ["v1"], "Endpoints", "endpoints", true, false, ["ep"]),
  builtin("", ["v1"], "Node", "nodes", false, true, ["no"]),
  builtin("apps", ["v1"], "Deployment", "deployments", true, true, ["deploy"]),
  builtin("apps", ["v1"], "ReplicaSet", "replicasets", true, true, ["rs"]),
  builtin("apps", ["v1"], "DaemonSet", "daemonsets", true, true, ["ds"]),
  builtin("apps", ["v1"], "StatefulSet", "statefulsets", true, true, ["sts"]),
  builtin("autoscaling", ["v2", "v1"], "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, true, ["hpa"]),
  builtin("policy", ["v1"], "PodDisruptionBudget", "poddisruptionbudgets", true, true, ["pdb"]),
  builtin("networking.k8s.io", ["v1"], "NetworkPolicy", "networkpolicies", true, false, ["netpol"]),
  builtin("discovery.k8s.io", ["v1"], "EndpointSlice", "endpointslices", true),
  builtin("rbac.authorization.k8s.io", ["v1"], "ClusterRole", "clusterroles", false),
  builtin("rbac.authorization.k8s.io", ["v1"], "ClusterRoleBinding", "clusterrolebindings", false),
  builtin("rbac.authorization.k8s.io", ["v1"], "Role", "roles", true),
  builtin("rbac.authorization.k8s.io", ["v1"], "RoleBinding", "rolebindings", true),
  builtin("admissionregistration.k8s.io", ["v1"], "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false),
  builtin("admissionregistration.k8s.io", ["v1"], "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", false),
  builtin("admissionregistration.k8s.io", ["v1"], "ValidatingAdmissionPolicy", "validatingadmissionpolicies", false, true),
  builtin("admissionregistration.k8s.io", ["v1"], "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", false),
  // Not stored: a POST answers whether the caller may do what spec.resourceAttributes describes.
  builtin("authorization.k8s.io", ["v1"], "SelfSubjectAccessReview", "selfsubjectaccessreviews", false),
  builtin("apiextensions.k8s.io", ["v1"], "CustomResourceDefinition", "customresourcedefinitions", false, true, ["crd", "crds"]),
  builtin("coordination.k8s.io", ["v1"], "Lease", "leases", true),
];

export function isBuiltinType(type: ResourceType): boolean {
  return builtinResources.some((builtin) => builtin.group === type.group && builtin.plural === type.plural);
}

/** The served resource types of a CRD that is Established; none before that (as the real API's discovery). */
export function resourcesOfCrd(crd: Record<string, any>): ResourceType | undefined {
  const established = (crd.status?.conditions ?? []).some(
    (condition: { type?: string; status?: string }) => condition.type === "Established" && condition.status === "True",
  );
  if (!established) return undefined;
  const spec = crd.spec ?? {};
  const versions = (spec.versions ?? [])
    .filter((version: { served?: boolean }) => version.served !== false)
    .map((version: { name: string }) => version.name);
  if (versions.length === 0) return undefined;
  return {
    group: spec.group,
    versions,
    kind: spec.names.kind,
    plural: spec.names.plural,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    namespaced: spec.scope !== "Cluster",
    statusSubresource: (spec.versions ?? []).some((version: any) => version.subresources?.status !== undefined),
    shortNames: spec.names.shortNames,
  };
}

export function apiVersionOf(group: string, version: string): string {
  return group === "" ? version : `${group}/${version}`;
}

/** APIResourceList for one group/version, as GET /api/v1 or /apis/{group}/{version} returns it. */
export function apiResourceList(group: string, version: string, types: readonly ResourceType[]) {
  const resources = [];
  for (const type of types) {
    if (type.group !== group || !type.versions.includes(version)) continue;
    resources.push({
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs,
      ...(type.shortNames ? { shortNames: type.shortNames } : {}),
    });
    if (type.statusSubresource) {
      resources.push({
        name: `${type.plural}/status`,
        singularName: "",
        namespaced: type.namespaced,
        kind: type.kind,
        verbs: ["get", "patch", "update"],
      });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: apiVersionOf(group, version), resources };
}

/** APIGroupList for GET /apis: every non-core group with its versions, the first one preferred. */
export function apiGroupList(types: readonly ResourceType[]) {
  const groups = new Map<string, string[]>();
  for (const type of types) {
    if (type.group === "") continue;
    const versions = groups.get(type.group) ?? [];
    for (const version of type.versions) if (!versions.includes(version)) versions.push(version);
    groups.set(type.group, versions);
  }
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

/**
 * Aggregated discovery (apidiscovery.k8s.io/v2 APIGroupDiscoveryList) for GET /api (`core`) or /apis, as servers since
 * Kubernetes 1.30 answer a client that asks for it in its Accept header.
 */
export function aggregatedDiscovery(core: boolean, types: readonly ResourceType[]) {
  const groups = new Map<string, Map<string, ResourceType[]>>();
  for (const type of types) {
    if ((type.group === "") !== core) continue;
    const versions = groups.get(type.group) ?? new Map<string, ResourceType[]>();
    for (const version of type.versions) versions.set(version, [...(versions.get(version) ?? []), type]);
    groups.set(type.group, versions);
  }
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: "apidiscovery.k8s.io/v2",
    metadata: {},
    items: [...groups].map(([group, versions]) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: [...versions].map(([version, served]) => ({
        version,
        freshness: "Current",
        resources: served.map((type) => ({
          resource: type.plural,
          responseKind: { group: type.group, version, kind: type.kind },
          scope: type.namespaced ? "Namespaced" : "Cluster",
          singularResource: type.singular,
          verbs,
          ...(type.shortNames ? { shortNames: type.shortNames } : {}),
          ...(type.statusSubresource
            ? {
                subresources: [
                  {
                    subresource: "status",
                    responseKind: { group: type.group, version, kind: type.kind },
                    verbs: ["get", "patch", "update"],
                  },
                ],
              }
            : {}),
        })),
      })),
    })),
  };
}
