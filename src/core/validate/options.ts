import { DEFAULT_GATEWAY_API_VERSION, type GatewayApiChannel, type GatewayApiVersion } from "../versions.js";

export interface ValidateOptions {
  gatewayApiVersion: GatewayApiVersion;
  channel: GatewayApiChannel;
  /** Kinds without a schema (core Kubernetes kinds, unknown CRDs) are errors instead of "no schema" infos. */
  strict: boolean;
  /** Say nothing about kinds without a schema (wins over `strict`). */
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
}

export const defaultValidateOptions: ValidateOptions = {
  gatewayApiVersion: DEFAULT_GATEWAY_API_VERSION,
  channel: "standard",
  strict: false,
  ignoreMissingSchemas: false,
  crds: [],
  skipKinds: [],
  failOn: "error",
  analyzeRefs: false,
  defaultNamespace: "default",
  fieldValidation: "Strict",
};

export function resolveOptions(options: Partial<ValidateOptions> | undefined): ValidateOptions {
  return { ...defaultValidateOptions, ...(options ?? {}) };
}
