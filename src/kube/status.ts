/** What mesh (or istioctl) installed on a cluster: components with versions and readiness, gateway Services. */
import type { KubeObject } from "../core/objects.js";
import type { Cluster } from "./cluster.js";
import { findOwned, OwnerLabel, ownerSelector, purgeKinds } from "./ownership.js";
import { readinessOf } from "./wait.js";
import { asLive, type LiveService, type LiveWorkload } from "./api-objects.js";
import { compareNames } from "../core/text-order.js";

export interface ComponentStatus {
  component: string;
  revision: string;
  namespace: string;
  /** Distinct operator.istio.io/version labels (more than one means a partial upgrade). */
  versions: string[];
  objects: number;
  workloads: { kind: string; name: string; namespace: string; ready: boolean; detail: string }[];
}

export interface GatewayService {
  name: string;
  namespace: string;
  type: string;
  clusterIP: string;
  externalIP: string;
  ports: string;
}

export interface InstallStatus {
  components: ComponentStatus[];
  gateways: GatewayService[];
  healthy: boolean;
}

const wholeObjectKinds = new Set(["Deployment", "DaemonSet", "StatefulSet", "Service"]);

const componentOrder = ["Base", "Pilot", "Cni", "Ztunnel", "IngressGateways", "EgressGateways"];

/** `kubectl get svc` columns: 80:31380/TCP style ports, `<pending>` external address. */
function describeService(object: KubeObject): GatewayService {
  const service = asLive<LiveService>(object);
  const ingress = service.status?.loadBalancer?.ingress ?? [];
  const external = ingress.map((entry) => entry.ip ?? entry.hostname).filter(Boolean);
  return {
    name: service.metadata.name ?? "",
    namespace: service.metadata.namespace ?? "",
    type: service.spec?.type ?? "ClusterIP",
    clusterIP: service.spec?.clusterIP ?? "<none>",
    externalIP: external.length > 0 ? external.join(",") : service.spec?.type === "LoadBalancer" ? "<pending>" : "<none>",
    ports: (service.spec?.ports ?? [])
      .map((port) => `${port.port ?? ""}${port.nodePort ? `:${port.nodePort}` : ""}/${port.protocol ?? "TCP"}`)
      .join(","),
  };
}

export async function readInstallStatus(cluster: Cluster, options: { namespace?: string } = {}): Promise<InstallStatus> {
  const selector = ownerSelector(options.namespace ? { namespace: options.namespace } : {});
  // Readiness needs the workloads' status and the gateway table the Services' spec; the rest is counted by labels.
  const owned = await findOwned(cluster, purgeKinds, selector, (kind) => !wholeObjectKinds.has(kind.kind));
  const groups = new Map<string, KubeObject[]>();
  for (const object of owned) {
    const labels = object.metadata.labels ?? {};
    const key = [
      labels[OwnerLabel.component],
      labels[OwnerLabel.revision] ?? "default",
      labels[OwnerLabel.owningNamespace] ?? object.metadata.namespace ?? "",
    ].join("\u0000");
    groups.set(key, [...(groups.get(key) ?? []), object]);
  }
  const components: ComponentStatus[] = [...groups].map(([key, objects]) => {
    const [component, revision, namespace] = key.split("\u0000") as [string, string, string];
    const versions = [
      ...new Set(
        objects.map((object) => object.metadata.labels?.[OwnerLabel.version]).filter((version): version is string => Boolean(version)),
      ),
    ];
    const workloads = objects
      .filter((object) => ["Deployment", "DaemonSet", "StatefulSet"].includes(object.kind))
      .map(asLive<LiveWorkload>)
      .map((object) => {
        const readiness = readinessOf(object);
        const desired = object.kind === "DaemonSet" ? (object.status?.desiredNumberScheduled ?? 0) : (object.spec?.replicas ?? 1);
        const ready = object.kind === "DaemonSet" ? (object.status?.numberReady ?? 0) : (object.status?.readyReplicas ?? 0);
        return {
          kind: object.kind,
          name: object.metadata.name ?? "",
          namespace: object.metadata.namespace ?? "",
          ready: readiness.ready,
          detail: readiness.ready ? `${ready}/${desired} ready` : (readiness.reason ?? "not ready"),
        };
      });
    return { component, revision, namespace, versions, objects: objects.length, workloads };
  });
  components.sort(
    (a, b) => componentOrder.indexOf(a.component) - componentOrder.indexOf(b.component) || compareNames(a.revision, b.revision),
  );
  const gateways = owned
    .filter(
      (object) =>
        object.kind === "Service" && ["IngressGateways", "EgressGateways"].includes(object.metadata.labels?.[OwnerLabel.component] ?? ""),
    )
    .map(describeService)
    .sort((a, b) => compareNames(a.name, b.name));
  const healthy = components.length > 0 && components.every((component) => component.workloads.every((workload) => workload.ready));
  return { components, gateways, healthy };
}
