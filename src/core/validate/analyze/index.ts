import { parseManifestText } from "../../documents/index.js";
import { allAnalyzers } from "./all.js";
import { AnalysisContext, workloadKinds, type AnalysisSettings } from "./analyzer.js";
import { meshConfigMapOf, meshSettingsOf } from "./mesh-config.js";
import type { AnalyzedResource } from "./resource.js";
import { record, text } from "./values.js";

export { allAnalyzers } from "./all.js";
export type { Analyzer, AnalysisSettings, MeshSettings } from "./analyzer.js";
export { messageTypes, documentationUrl } from "./messages.js";
export { parseSuppressions, isSuppressed, friendlyName, type Suppression } from "./suppress.js";
export type { AnalyzedResource, AnalysisFinding } from "./resource.js";

export interface AnalyzeOptions {
  mode: AnalysisSettings["mode"];
  completeKinds?: AnalysisSettings["completeKinds"];
  analyzeRefs?: boolean;
  /** A MeshConfig object (`--meshconfig`); otherwise the `istio` ConfigMap among the inputs, otherwise defaults. */
  meshConfig?: unknown;
  /** Selects the `istio-<revision>` ConfigMap. */
  revision?: string;
  /** Run only these analysers (by name, e.g. `virtualservice.GatewayAnalyzer`); all when undefined. */
  analyzers?: readonly string[];
}

/** The analysers' names, for `analyze --analyzer` and its "did you mean". */
export const analyzerNames: readonly string[] = allAnalyzers.map((analyzer) => analyzer.name);

/**
 * Stage 10: what `istioctl analyze` reports and what Gateway API controllers would write in status, predicted from the
 * objects given together (including ones that failed validation, as istioctl does).
 */
export function analyzeResources(resources: readonly AnalyzedResource[], options: AnalyzeOptions): void {
  if (resources.length === 0) return;
  const context = new AnalysisContext(resources, {
    mode: options.mode,
    completeKinds: options.completeKinds ?? [],
    analyzeRefs: options.analyzeRefs ?? false,
    mesh: meshSettingsOf(options.meshConfig ?? meshConfigFromInputs(resources, options.revision)),
  });
  for (const analyzer of allAnalyzers) if (!options.analyzers || options.analyzers.includes(analyzer.name)) analyzer.analyze(context);
}

function meshConfigFromInputs(resources: readonly AnalyzedResource[], revision: string | undefined): unknown {
  const configMap = meshConfigMapOf(resources, revision);
  const mesh = configMap ? text(record(configMap.object.data).mesh) : undefined;
  if (!mesh) return undefined;
  return parseManifestText(mesh, "mesh").documents[0]?.object;
}

/** A `--meshconfig` file's object: a MeshConfig, or a ConfigMap carrying one in `data.mesh`. */
export function meshConfigOfDocument(object: unknown): unknown {
  const value = record(object);
  if (value.kind !== "ConfigMap") return value;
  const mesh = text(record(value.data).mesh);
  return mesh ? parseManifestText(mesh, "mesh").documents[0]?.object : {};
}

const apiVersionOfGroup: Record<string, string> = {
  "": "v1",
  apps: "apps/v1",
  batch: "batch/v1",
  "networking.istio.io": "networking.istio.io/v1",
  "security.istio.io": "security.istio.io/v1",
  "gateway.networking.k8s.io": "gateway.networking.k8s.io/v1",
};
const gatewayApiVersionOfKind: Record<string, string> = {
  ReferenceGrant: "gateway.networking.k8s.io/v1beta1",
  TLSRoute: "gateway.networking.k8s.io/v1alpha2",
  TCPRoute: "gateway.networking.k8s.io/v1alpha2",
  UDPRoute: "gateway.networking.k8s.io/v1alpha2",
};
/** Not read from clusters: credentials, and CRDs (large; only the deprecation analyser reads them). */
const notReadFromClusters = new Set(["Secret", "MeshConfig", "apiextensions.k8s.io/CustomResourceDefinition"]);

/** The kinds the analysers read, with the apiVersion to list them in, for `analyze --cluster`. */
export function clusterAnalysisKinds(): { apiVersion: string; kind: string; key: string }[] {
  const keys = new Set([...allAnalyzers.flatMap((analyzer) => analyzer.inputs), ...workloadKinds, "ConfigMap"]);
  return [...keys]
    .filter((key) => !notReadFromClusters.has(key))
    .map((key) => {
      const slash = key.indexOf("/");
      const group = slash === -1 ? "" : key.slice(0, slash);
      const kind = key.slice(slash + 1);
      return { apiVersion: gatewayApiVersionOfKind[kind] ?? apiVersionOfGroup[group] ?? `${group}/v1`, kind, key };
    });
}
