/**
 * What an upgrade starts from: the version of the control plane being replaced (its istiod) and the versions
 * of the data-plane proxies still running, read from the pods' sidecar.istio.io/status annotation and
 * istio-proxy image tags.
 */
import type { KubeObject } from "../core/objects.js";
import type { Cluster } from "./cluster.js";
import { OwnerLabel } from "./ownership.js";

export interface ProxyVersion {
  namespace: string;
  pod: string;
  version: string;
}

export interface UpgradeState {
  /** The installed control plane's version for this revision, when there is one. */
  controlPlaneVersion?: string;
  proxies: ProxyVersion[];
}

type Pod = KubeObject & { spec?: { containers?: { name: string; image?: string }[]; initContainers?: { name: string; image?: string }[] } };

/** `docker.io/istio/proxyv2:1.29.2-distroless` → `1.29.2`; undefined when the tag is not a version. */
export function versionOfImage(image: string | undefined): string | undefined {
  const tag = /:([^:/@]+)(@|$)/.exec(image ?? "")?.[1];
  return /^\d+\.\d+\.\d+/.exec(tag ?? "")?.[0];
}

export async function readUpgradeState(cluster: Cluster, namespace: string, revision: string): Promise<UpgradeState> {
  const name = revision === "default" ? "istiod" : `istiod-${revision}`;
  const istiod = await cluster.get({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace } });
  const template = (istiod as { spec?: { template?: Pod } } | undefined)?.spec?.template;
  const controlPlaneVersion =
    istiod?.metadata.labels?.[OwnerLabel.version] ??
    versionOfImage(template?.spec?.containers?.find((container) => container.name === "discovery")?.image);
  const pods = (await cluster.list("v1", "Pod")) as Pod[];
  const proxies: ProxyVersion[] = [];
  for (const pod of pods) {
    const injected = pod.metadata.annotations?.["sidecar.istio.io/status"] !== undefined;
    const proxy = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
      (container) => container.name === "istio-proxy",
    );
    if (!injected && !proxy) continue;
    const version = versionOfImage(proxy?.image);
    if (version) proxies.push({ namespace: pod.metadata.namespace ?? "", pod: pod.metadata.name ?? "", version });
  }
  return { ...(controlPlaneVersion ? { controlPlaneVersion } : {}), proxies };
}

/** Minor versions between two `1.x.y` versions (positive when `to` is newer). */
export function minorSteps(from: string, to: string): number {
  const minor = (version: string) => Number.parseInt(version.split(".")[1] ?? "", 10);
  const [major, targetMajor] = [from.split(".")[0], to.split(".")[0]];
  if (major !== targetMajor) return Number.POSITIVE_INFINITY;
  return minor(to) - minor(from);
}

/** Numeric order of `1.x.y` versions. */
export function compareIstioVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(".").map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < 3; index++) if ((left[index] ?? 0) !== (right[index] ?? 0)) return (left[index] ?? 0) - (right[index] ?? 0);
  return 0;
}
