/**
 * Checks a cluster before installing or upgrading Istio (istioctl x precheck): Kubernetes version, the
 * permissions the install needs, Istio already there (other revisions, Helm releases, the old in-cluster
 * operator), the Gateway API CRDs, and injection webhooks the new install would collide with.
 */
import { gunzipSync } from "node:zlib";
import { compareReleaseVersions, parseReleaseVersion } from "../core/gatewayapi/versions.js";
import type { KubeObject } from "../core/objects.js";
import { DEFAULT_GATEWAY_API_VERSION, ISTIO_VERSION } from "../core/versions.js";
import type { Cluster } from "./cluster.js";
import type { InstallPlan } from "./install.js";

/** Istio 1.30 supports Kubernetes 1.32 and later (docs/design/install.md §10). */
export const MIN_KUBERNETES_MINOR = 32;
/** The oldest Gateway API bundle whose APIs istiod 1.30 uses at v1 (BackendTLSPolicy became v1 in v1.4). */
export const MIN_GATEWAY_API_VERSION = "v1.4.0";

export interface PrecheckProblem {
  /** Stable identifier, e.g. `KubernetesVersion`, `Permission`, `HelmRelease`. */
  check: string;
  /** `error` fails the precheck; `info` describes what is there without failing. */
  level: "error" | "info";
  message: string;
  fix: string;
}

export async function precheck(cluster: Cluster, plan: InstallPlan): Promise<PrecheckProblem[]> {
  const results = await Promise.all([
    kubernetesVersion(cluster),
    permissions(cluster, plan),
    existingIstio(cluster, plan),
    gatewayApi(cluster),
    conflictingWebhooks(cluster, plan),
  ]);
  return results.flat();
}

async function kubernetesVersion(cluster: Cluster): Promise<PrecheckProblem[]> {
  const version = await cluster.version();
  const minor = Number.parseInt(version.minor, 10);
  if (version.major !== "1" || Number.isNaN(minor) || minor >= MIN_KUBERNETES_MINOR) return [];
  return [
    {
      check: "KubernetesVersion",
      level: "error",
      message: `the Kubernetes version ${version.gitVersion} is not supported by Istio ${ISTIO_VERSION}; the minimum is 1.${MIN_KUBERNETES_MINOR}`,
      fix: `upgrade the cluster to Kubernetes 1.${MIN_KUBERNETES_MINOR} or later`,
    },
  ];
}

/** One SelfSubjectAccessReview per resource and verb the install uses: server-side apply (patch, create) and prune (delete). */
async function permissions(cluster: Cluster, plan: InstallPlan): Promise<PrecheckProblem[]> {
  const wanted = new Map<string, { group: string; resource: string; namespace?: string; verb: string }>();
  const add = (group: string, resource: string, namespace: string | undefined, verb: string) =>
    wanted.set(`${verb} ${group}/${resource} ${namespace ?? ""}`, { group, resource, verb, ...(namespace ? { namespace } : {}) });
  add("", "namespaces", undefined, "create");
  for (const object of plan.components.flatMap((component) => component.objects)) {
    const found = await cluster.serves(object.apiVersion, object.kind);
    const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0]! : "";
    const resource = found?.plural ?? `${object.kind.toLowerCase()}s`;
    const namespace = found?.namespaced === false ? undefined : object.metadata.namespace;
    for (const verb of ["create", "patch", "delete"]) add(group, resource, namespace, verb);
  }
  const denied = await Promise.all(
    [...wanted.values()].map(async (attributes) => {
      const review = await cluster.client.request<{ status?: { allowed?: boolean; reason?: string } }>({
        method: "POST",
        path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: attributes } },
        action: "create selfsubjectaccessreviews",
      });
      return review.status?.allowed === true ? undefined : { attributes, reason: review.status?.reason };
    }),
  );
  return denied
    .filter((entry) => entry !== undefined)
    .map(({ attributes, reason }) => {
      const what = `${attributes.verb} ${attributes.group ? `${attributes.resource}.${attributes.group}` : attributes.resource}${attributes.namespace ? ` in namespace ${attributes.namespace}` : ""}`;
      return {
        check: "Permission",
        level: "error" as const,
        message: `missing permission to ${what}${reason ? ` (${reason})` : ""}`,
        fix: `grant it (kubectl auth can-i ${attributes.verb} ${attributes.resource}${attributes.namespace ? ` -n ${attributes.namespace}` : ""}), or use a context with cluster-admin rights`,
      };
    });
}

/** Istio already in the cluster: other revisions (fine, reported), a Helm release or the old operator (conflicting installers). */
async function existingIstio(cluster: Cluster, plan: InstallPlan): Promise<PrecheckProblem[]> {
  const problems: PrecheckProblem[] = [];
  const injectors = await cluster.list("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", {
    labelSelector: "istio.io/rev,!istio.io/tag",
  });
  const revisions = [...new Set(injectors.map((webhook) => webhook.metadata.labels?.["istio.io/rev"] ?? ""))].sort();
  for (const revision of revisions.filter((candidate) => candidate !== plan.revision))
    problems.push({
      check: "OtherRevision",
      level: "info",
      message: `Istio revision "${revision}" is installed; this install (revision "${plan.revision}") runs next to it`,
      fix: `move workloads with mesh tag set or namespace labels, then remove it with mesh uninstall --revision ${revision}`,
    });
  const secrets = await cluster.list("v1", "Secret", { labelSelector: "owner=helm" });
  for (const secret of secrets) {
    const chart = helmChartOf(secret);
    if (!chart || !istioCharts.has(chart)) continue;
    problems.push({
      check: "HelmRelease",
      level: "error",
      message: `Helm release "${secret.metadata.labels?.name ?? secret.metadata.name}" in namespace ${secret.metadata.namespace} installed Istio (chart ${chart}); two installers would fight over the same objects`,
      fix: `keep managing Istio with Helm, or remove the release first (helm uninstall ${secret.metadata.labels?.name ?? ""} -n ${secret.metadata.namespace})`,
    });
  }
  const operators = await cluster.list("apps/v1", "Deployment", { fieldSelector: "metadata.name=istio-operator" });
  for (const operator of operators)
    problems.push({
      check: "IstioOperatorController",
      level: "error",
      message: `the in-cluster Istio operator (Deployment ${operator.metadata.namespace}/istio-operator) is running; it would revert what mesh installs`,
      fix: `remove it first (kubectl delete deployment istio-operator -n ${operator.metadata.namespace}); Istio removed the in-cluster operator in 1.24`,
    });
  return problems;
}

const istioCharts = new Set(["base", "istiod", "istiod-remote", "gateway", "cni", "istio-cni", "ztunnel", "istio-ingress", "istio-egress"]);

/** A Helm 3 release Secret holds base64(gzip(JSON)) of the release, whose chart metadata names the chart. */
function helmChartOf(secret: KubeObject): string | undefined {
  const encoded = (secret as { data?: Record<string, string> }).data?.release;
  if ((secret as { type?: string }).type !== "helm.sh/release.v1" || !encoded) return undefined;
  try {
    const inner = Buffer.from(Buffer.from(encoded, "base64").toString("utf8"), "base64");
    const release = JSON.parse(gunzipSync(inner).toString("utf8")) as { chart?: { metadata?: { name?: string } } };
    return release.chart?.metadata?.name;
  } catch {
    return undefined;
  }
}

async function gatewayApi(cluster: Cluster): Promise<PrecheckProblem[]> {
  const crds = (await cluster.list("apiextensions.k8s.io/v1", "CustomResourceDefinition")).filter(
    (crd) => (crd as { spec?: { group?: string } }).spec?.group === "gateway.networking.k8s.io",
  );
  if (crds.length === 0) return [];
  const problems: PrecheckProblem[] = [];
  const fix = `upgrade the CRDs: mesh gateway-api install --version ${DEFAULT_GATEWAY_API_VERSION}`;
  const bundles = [...new Set(crds.map((crd) => crd.metadata.annotations?.["gateway.networking.k8s.io/bundle-version"] ?? "none"))];
  const minimum = parseReleaseVersion(MIN_GATEWAY_API_VERSION)!;
  const old = bundles.filter((bundle) => {
    const parsed = parseReleaseVersion(bundle);
    return parsed === undefined || compareReleaseVersions(parsed, minimum) < 0;
  });
  if (old.length > 0)
    problems.push({
      check: "GatewayApiVersion",
      level: "error",
      message: `Gateway API CRDs bundle ${old.join(", ")} is older than ${MIN_GATEWAY_API_VERSION}, the oldest Istio ${ISTIO_VERSION} supports (it is built against ${DEFAULT_GATEWAY_API_VERSION})`,
      fix,
    });
  for (const crd of crds) {
    const spec = (crd as { spec?: { names?: { kind?: string }; versions?: { name: string; served?: boolean }[] } }).spec;
    const kind = spec?.names?.kind ?? "";
    if (!["Gateway", "GatewayClass", "HTTPRoute", "ReferenceGrant"].includes(kind)) continue;
    const served = (spec?.versions ?? []).filter((version) => version.served !== false).map((version) => version.name);
    if (kind !== "ReferenceGrant" && !served.includes("v1"))
      problems.push({
        check: "GatewayApiVersion",
        level: "error",
        message: `CRD ${crd.metadata.name} serves ${served.join(",") || "no version"}, Istio ${ISTIO_VERSION} needs v1`,
        fix,
      });
  }
  return problems;
}

type Hook = { name?: string; namespaceSelector?: unknown; objectSelector?: unknown };

/** Injection webhooks of other installs that select the same pods as the webhooks this install brings. */
async function conflictingWebhooks(cluster: Cluster, plan: InstallPlan): Promise<PrecheckProblem[]> {
  const ours = plan.components
    .flatMap((component) => component.objects)
    .filter((object) => object.kind === "MutatingWebhookConfiguration") as (KubeObject & { webhooks?: Hook[] })[];
  if (ours.length === 0) return [];
  const names = new Set(ours.map((object) => object.metadata.name));
  const live = (await cluster.list("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration")) as (KubeObject & {
    webhooks?: Hook[];
  })[];
  const selectors = (hook: Hook) => JSON.stringify([hook.namespaceSelector ?? {}, hook.objectSelector ?? {}]);
  const problems: PrecheckProblem[] = [];
  for (const other of live) {
    if (names.has(other.metadata.name)) continue;
    const clash = (other.webhooks ?? []).find((hook) =>
      ours.some((object) => (object.webhooks ?? []).some((mine) => mine.name === hook.name && selectors(mine) === selectors(hook))),
    );
    if (clash)
      problems.push({
        check: "ConflictingWebhook",
        level: "error",
        message: `MutatingWebhookConfiguration ${other.metadata.name} (webhook ${clash.name}) selects the same pods as the injector this install adds; pods would be injected twice`,
        fix: `install with another --revision, repoint the tag with mesh tag set, or remove ${other.metadata.name}`,
      });
  }
  return problems;
}
