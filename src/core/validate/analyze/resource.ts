import type { FieldPath, ResourceIdentity, Severity } from "../../findings.js";
import { fieldErrorMessage } from "../field-errors.js";

/** What an analyser concluded about one object, before it gets a file position. */
export interface AnalysisFinding {
  code: string;
  severity: Severity;
  /** Where in the object, for file:line:col. */
  path: FieldPath;
  message: string;
  /** `analyzer` for istioctl analyze's messages, `controller` for what a Gateway API controller would set in status. */
  origin: "analyzer" | "controller";
}

/** One object as the analysers see it (admitted or not), with a way to attach a finding to it. */
export interface AnalyzedResource {
  object: Record<string, unknown>;
  /** Namespace already defaulted for namespaced kinds. */
  identity: ResourceIdentity;
  report(finding: AnalysisFinding): void;
}

/** A controller-style warning worded like the API server's field errors (`path: detail (hint)`). */
export function warning(code: string, path: (string | number)[], detail: string, hint?: string): AnalysisFinding {
  return {
    code,
    path,
    severity: "warning",
    origin: code.startsWith("IST") ? "analyzer" : "controller",
    message: fieldErrorMessage({ type: "Message", path, code, origin: "controller", detail, hint }),
  };
}

/** `group/Kind`, or just `Kind` for the core group: the key analysers ask for objects by. */
export function kindKey(resource: AnalyzedResource): string {
  const apiVersion = resource.identity.apiVersion ?? "";
  const kind = resource.identity.kind ?? "";
  const slash = apiVersion.indexOf("/");
  // An apiVersion starting with "/" has the core group: the key is the kind alone.
  return slash <= 0 ? kind : apiVersion.slice(0, slash + 1) + kind;
}

/** `namespace/name`, the way Istio prints a resource's full name. */
export function fullName(resource: AnalyzedResource): string {
  const { namespace, name } = resource.identity;
  return namespace ? `${namespace}/${name ?? ""}` : (name ?? "");
}
