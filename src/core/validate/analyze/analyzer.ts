import type { FieldPath } from "../../findings.js";
import { DEFAULT_CLUSTER_DOMAIN } from "../../hosts.js";
import type { MessageType } from "./messages.js";
import { mirrorDestinations, routeDestinations, type RouteDestination } from "./destinations.js";
import { kindKey, type AnalyzedResource } from "./resource.js";
import { labelsOf, record, selectorMatches, specOf, text } from "./values.js";

/** One analyser: what it reports, what it reads, and the check (as Istio's `analysis.Analyzer`). */
export interface Analyzer {
  /** Istio's analyser name where there is one (`virtualservice.GatewayAnalyzer`). */
  name: string;
  description: string;
  /** Message codes it can report. */
  codes: readonly string[];
  /** Kinds it reads, as `group/Kind` (`Kind` for the core group). */
  inputs: readonly string[];
  analyze(context: AnalysisContext): void;
}

/** The mesh-wide settings analysers depend on (from `--meshconfig`, the `istio` ConfigMap among the inputs, or defaults). */
export interface MeshSettings {
  clusterDomain: string;
  rootNamespace: string;
  /** `ISTIO_META_DNS_CAPTURE` and `ISTIO_META_DNS_AUTO_ALLOCATE` both on in defaultConfig.proxyMetadata. */
  dnsAutoAllocate: boolean;
}

export const defaultMeshSettings: MeshSettings = {
  clusterDomain: DEFAULT_CLUSTER_DOMAIN,
  rootNamespace: "istio-system",
  dnsAutoAllocate: false,
};

/** A pod, or the pod template of a workload controller: what selectors are matched against offline. */
export interface Workload {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  resource: AnalyzedResource;
}

export interface AnalysisSettings {
  mesh: MeshSettings;
  /** `validate` reports Istio's errors as warnings (the cluster would accept the objects); `analyze` keeps Istio's levels. */
  mode: "validate" | "analyze";
  /** Kinds read completely from a live cluster: their absence means something even with no object of them among the inputs. */
  completeKinds: readonly string[];
  /** `--analyze-refs`: also report Gateway API backendRefs to Services absent from the inputs. */
  analyzeRefs: boolean;
}

export const workloadKinds = new Set([
  "Pod",
  "apps/Deployment",
  "apps/StatefulSet",
  "apps/DaemonSet",
  "apps/ReplicaSet",
  "batch/Job",
  "batch/CronJob",
]);

export class AnalysisContext {
  private readonly byKind = new Map<string, AnalyzedResource[]>();
  private workloadList?: Workload[];
  private readonly destinations = new Map<AnalyzedResource, { routes: RouteDestination[]; mirrors: RouteDestination[] }>();

  constructor(
    private readonly resources: readonly AnalyzedResource[],
    readonly settings: AnalysisSettings,
  ) {
    for (const resource of resources) {
      const key = kindKey(resource);
      const list = this.byKind.get(key);
      if (list) list.push(resource);
      else this.byKind.set(key, [resource]);
    }
  }

  get mesh(): MeshSettings {
    return this.settings.mesh;
  }

  /** Every object, in input order. */
  all(): readonly AnalyzedResource[] {
    return this.resources;
  }

  of(kind: string): readonly AnalyzedResource[] {
    return this.byKind.get(kind) ?? [];
  }

  /**
   * Whether the inputs say enough about a kind to conclude that something of it is missing: at least one object of
   * the kind was given (or the live cluster was read). Partial inputs therefore do not turn every reference into
   * "not found".
   */
  known(kind: string): boolean {
    return this.settings.completeKinds.includes(kind) || this.of(kind).length > 0;
  }

  /** Pods and workload pod templates are known when any of them was given. */
  workloadsKnown(): boolean {
    return [...workloadKinds].some((kind) => this.known(kind));
  }

  /**
   * Whether the workloads of a namespace are among the inputs: some workload of it is, or its Namespace object is
   * (giving the Namespace says its contents are given), or workloads were read from the cluster.
   */
  workloadsKnownIn(namespace: string): boolean {
    if ([...workloadKinds].some((kind) => this.settings.completeKinds.includes(kind))) return true;
    return (
      this.workloads().some((workload) => workload.namespace === namespace) ||
      this.of("Namespace").some((resource) => resource.identity.name === namespace)
    );
  }

  /**
   * Whether gateway workloads are among the inputs: some workload is selected by some Istio Gateway (or workloads
   * were read from the cluster). Application Deployments alone say nothing about the ingress gateway's pods.
   */
  gatewayWorkloadsKnown(): boolean {
    if ([...workloadKinds].some((kind) => this.settings.completeKinds.includes(kind))) return true;
    const selectors = this.of("networking.istio.io/Gateway").map((gateway) => labelsOf(specOf(gateway.object).selector));
    return this.workloads().some((workload) =>
      selectors.some((selector) => Object.keys(selector).length > 0 && selectorMatches(selector, workload.labels)),
    );
  }

  workloads(): readonly Workload[] {
    this.workloadList ??= [...workloadKinds].flatMap((kind) =>
      this.of(kind).map((resource) => ({
        namespace: resource.identity.namespace ?? "",
        name: resource.identity.name ?? "",
        labels: labelsOf(record(kind === "Pod" ? resource.object.metadata : podTemplateMetadata(resource)).labels),
        resource,
      })),
    );
    return this.workloadList;
  }

  /** A VirtualService's route and mirror destinations (destinations.ts), read once per analysis; callers do not change them. */
  destinationsOf(virtualService: AnalyzedResource): { routes: readonly RouteDestination[]; mirrors: readonly RouteDestination[] } {
    let destinations = this.destinations.get(virtualService);
    if (!destinations) {
      destinations = { routes: routeDestinations(virtualService.object), mirrors: mirrorDestinations(virtualService.object) };
      this.destinations.set(virtualService, destinations);
    }
    return destinations;
  }

  report<Args extends unknown[]>(resource: AnalyzedResource, type: MessageType<Args>, path: FieldPath, ...args: Args): void {
    const severity =
      type.level === "Error" ? (this.settings.mode === "validate" ? "warning" : "error") : type.level === "Warning" ? "warning" : "info";
    resource.report({ code: type.code, severity, path, message: type.format(...args), origin: "analyzer" });
  }
}

function podTemplateMetadata(resource: AnalyzedResource): unknown {
  const spec = specOf(resource.object);
  const template = resource.identity.kind === "CronJob" ? record(record(record(spec.jobTemplate).spec).template) : record(spec.template);
  return template.metadata;
}

/** The namespace of an object, or "" for cluster-scoped ones. */
export function namespaceOf(resource: AnalyzedResource): string {
  return resource.identity.namespace ?? text(record(resource.object.metadata).namespace) ?? "";
}
