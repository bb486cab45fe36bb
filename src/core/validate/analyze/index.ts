import type { ResourceIdentity } from "../../findings.js";
import type { FieldError } from "../field-errors.js";
import type { ValidateOptions } from "../options.js";
import { analyzeGatewayApi } from "./gateway-api.js";
import { analyzeIstio } from "./istio.js";

/** One admitted object as the analyzers see it, with a way to attach a finding to it. */
export interface AnalyzedResource {
  object: Record<string, unknown>;
  /** Namespace already defaulted for namespaced kinds. */
  identity: ResourceIdentity;
  report(error: FieldError): void;
}

/**
 * Stage 10: what controllers would report in status and what `istioctl analyze` reports, predicted from
 * the documents given together. Every finding is a warning (or info): the cluster would accept them.
 */
export function analyzeResources(resources: readonly AnalyzedResource[], options: ValidateOptions): void {
  if (resources.length === 0) return;
  analyzeGatewayApi(resources, options);
  analyzeIstio(resources, options);
}

export function warning(code: string, path: (string | number)[], detail: string, hint?: string): FieldError {
  return { type: "Message", path, code, origin: code.startsWith("IST") ? "analyzer" : "controller", detail, hint, severity: "warning" };
}

export function groupOf(resource: AnalyzedResource): string {
  const apiVersion = resource.identity.apiVersion ?? "";
  return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
}
