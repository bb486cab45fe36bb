import {
  DEFAULT_GATEWAY_API_VERSION,
  DEFAULT_KUBERNETES_VERSION,
  type GatewayApiChannel,
  type GatewayApiVersion,
  type KubernetesVersion,
} from "../versions.js";

export interface ValidateOptions {
  gatewayApiVersion: GatewayApiVersion;
  channel: GatewayApiChannel;
  /** Which Kubernetes minor version's built-in kinds (schemas/kubernetes) to validate against. */
  kubernetesVersion: KubernetesVersion;
  /** Kinds without a schema (CRDs not given with --crds) are errors instead of being skipped. */
  strict: boolean;
  /** Skip kinds without a schema without listing them (wins over `strict`); they are still counted. */
  ignoreMissingSchemas: boolean;
  /** User CustomResourceDefinition objects (from `--crds`); their kinds shadow the built-in catalog. */
  crds: unknown[];
  /** Kinds not validated at all (`--skip`), as `Kind` or `group/Kind`. */
  skipKinds: string[];
  /** Which severity fails the run (exit 1). */
  failOn: "error" | "warning";
  /** Also warn about backendRefs to Services and Secrets absent from the input (noisy for partial inputs). */
  analyzeRefs: boolean;
  /** Namespace of namespaced objects without `metadata.namespace` (kubectl's context namespace). */
  defaultNamespace: string;
  /** kubectl's `--validate`: Strict rejects unknown fields, Warn reports them as warnings, Ignore drops them. */
  fieldValidation: "Strict" | "Warn" | "Ignore";
  /** Run the analysers (stage 10); `validate --analyze=false` turns them off. */
  analyze: boolean;
  /** `validate` reports Istio's analyser errors as warnings (the cluster accepts the objects); `analyze` keeps Istio's levels. */
  analysisMode: "validate" | "analyze";
  /** A MeshConfig object (`analyze --meshconfig`); otherwise the `istio` ConfigMap among the inputs. */
  meshConfig?: unknown;
  /** Istio revision whose `istio-<revision>` ConfigMap holds the mesh config. */
  revision?: string;
  /** Live objects read from a cluster (`analyze --cluster`): analysed with the inputs, not validated. */
  clusterObjects?: readonly unknown[];
  /** Kinds read completely from the cluster, so that their absence means "not found". */
  clusterKinds?: readonly string[];
}

export const defaultValidateOptions: ValidateOptions = {
  gatewayApiVersion: DEFAULT_GATEWAY_API_VERSION,
  channel: "standard",
  kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
  strict: false,
  ignoreMissingSchemas: false,
  crds: [],
  skipKinds: [],
  failOn: "error",
  analyzeRefs: false,
  defaultNamespace: "default",
  fieldValidation: "Strict",
  analyze: true,
  analysisMode: "validate",
};

export function resolveOptions(options: Partial<ValidateOptions> | undefined): ValidateOptions {
  return { ...defaultValidateOptions, ...(options ?? {}) };
}
