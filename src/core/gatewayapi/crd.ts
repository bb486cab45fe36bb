import type { KubeObject } from "../objects.js";
import { BUNDLE_VERSION_ANNOTATION, CHANNEL_ANNOTATION } from "./versions.js";

/** The API groups whose CRDs make up a Gateway API bundle. */
export const GATEWAY_API_GROUPS = ["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"] as const;

export function isGatewayApiGroup(group: unknown): boolean {
  return typeof group === "string" && (GATEWAY_API_GROUPS as readonly string[]).includes(group);
}

/** One version entry of a CRD's `spec.versions`. */
export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
}

/** What mesh needs to know about a Gateway API CRD, from a bundle or from a cluster. */
export interface CrdSummary {
  /** `gateways.gateway.networking.k8s.io` */
  name: string;
  group: string;
  kind: string;
  /** `gateway.networking.k8s.io/bundle-version`; undefined when the annotation is absent. */
  bundleVersion: string | undefined;
  /** `gateway.networking.k8s.io/channel`; undefined when the annotation is absent. */
  channel: string | undefined;
  versions: CrdVersion[];
}

/** A CRD as found in a cluster: the summary plus the status fields that matter for upgrades. */
export interface InstalledCrd extends CrdSummary {
  /** `status.storedVersions`: versions objects may still be stored in etcd as. */
  storedVersions: string[];
  /** `Established=True` in `status.conditions`. */
  established: boolean;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function summariseCrd(object: KubeObject): CrdSummary {
  const spec = record(object.spec);
  const annotations = record(object.metadata.annotations);
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  return {
    name: object.metadata.name ?? "",
    group: stringOrUndefined(spec.group) ?? "",
    kind: stringOrUndefined(record(spec.names).kind) ?? "",
    bundleVersion: stringOrUndefined(annotations[BUNDLE_VERSION_ANNOTATION]),
    channel: stringOrUndefined(annotations[CHANNEL_ANNOTATION]),
    versions: versions.map((entry) => {
      const version = record(entry);
      return { name: stringOrUndefined(version.name) ?? "", served: version.served === true, storage: version.storage === true };
    }),
  };
}

export function summariseInstalledCrd(object: KubeObject): InstalledCrd {
  const status = record(object.status);
  const conditions = Array.isArray(status.conditions) ? status.conditions.map(record) : [];
  const storedVersions = Array.isArray(status.storedVersions)
    ? status.storedVersions.filter((entry): entry is string => typeof entry === "string")
    : [];
  return {
    ...summariseCrd(object),
    storedVersions,
    established: conditions.some((condition) => condition.type === "Established" && condition.status === "True"),
  };
}

export function servedVersions(crd: CrdSummary): string[] {
  return crd.versions.filter((version) => version.served).map((version) => version.name);
}

export function storageVersion(crd: CrdSummary): string | undefined {
  return crd.versions.find((version) => version.storage)?.name;
}
