import { defaultMeshSettings, type MeshSettings } from "./analyzer.js";
import type { AnalyzedResource } from "./resource.js";
import { record, text } from "./values.js";

/** The settings analysers need from a MeshConfig object (defaults for what it leaves out). */
export function meshSettingsOf(meshConfig: unknown): MeshSettings {
  const config = record(meshConfig);
  const metadata = record(record(config.defaultConfig).proxyMetadata);
  return {
    clusterDomain: text(config.clusterDomain) || defaultMeshSettings.clusterDomain,
    rootNamespace: text(config.rootNamespace) || defaultMeshSettings.rootNamespace,
    dnsAutoAllocate: metadata.ISTIO_META_DNS_CAPTURE === "true" && metadata.ISTIO_META_DNS_AUTO_ALLOCATE === "true",
  };
}

/** `istio` (or `istio-<revision>`) ConfigMaps among the inputs, whose `data.mesh` holds the mesh config as YAML. */
export function meshConfigMapOf(resources: readonly AnalyzedResource[], revision: string | undefined): AnalyzedResource | undefined {
  const name = revision && revision !== "default" ? `istio-${revision}` : "istio";
  const candidates = resources.filter((resource) => resource.identity.kind === "ConfigMap" && resource.identity.name === name);
  return candidates.find((resource) => resource.identity.namespace === "istio-system") ?? candidates[0];
}
