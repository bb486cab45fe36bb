import type { ResourceIdentity } from "../../findings.js";
import type { FieldError } from "../field-errors.js";

/** One admitted object as the analyzers see it, with a way to attach a finding to it. */
export interface AnalyzedResource {
  object: Record<string, unknown>;
  /** Namespace already defaulted for namespaced kinds. */
  identity: ResourceIdentity;
  report(error: FieldError): void;
}

export function warning(code: string, path: (string | number)[], detail: string, hint?: string): FieldError {
  return { type: "Message", path, code, origin: code.startsWith("IST") ? "analyzer" : "controller", detail, hint, severity: "warning" };
}

export function groupOf(resource: AnalyzedResource): string {
  const apiVersion = resource.identity.apiVersion ?? "";
  return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
}
