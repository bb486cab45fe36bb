import type { FieldError } from "../field-errors.js";
import { invalid, required, unsupported, type Path } from "./api-errors.js";

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const map = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});
const strings = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);

const RBAC_GROUP = "rbac.authorization.k8s.io";

/** ValidatePolicyRule: verbs always; resource rules need api groups and resources; namespaced rules no URLs. */
function policyRuleErrors(rule: Json, path: Path, namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (strings(rule.verbs).length === 0) errors.push(required([...path, "verbs"], "K8S_REQUIRED", "verbs must contain at least one value"));
  const urls = strings(rule.nonResourceURLs);
  if (urls.length > 0) {
    if (namespaced)
      errors.push(invalid([...path, "nonResourceURLs"], urls, "K8S_INVALID", "namespaced rules cannot apply to non-resource URLs"));
    if (strings(rule.apiGroups).length > 0 || strings(rule.resources).length > 0 || strings(rule.resourceNames).length > 0) {
      errors.push(
        invalid([...path, "nonResourceURLs"], urls, "K8S_INVALID", "rules cannot apply to both regular resources and non-resource URLs"),
      );
    }
    return errors;
  }
  if (strings(rule.apiGroups).length === 0)
    errors.push(required([...path, "apiGroups"], "K8S_REQUIRED", "resource rules must supply at least one api group"));
  if (strings(rule.resources).length === 0)
    errors.push(required([...path, "resources"], "K8S_REQUIRED", "resource rules must supply at least one resource"));
  return errors;
}

export function roleErrors(object: Json): FieldError[] {
  return list(object.rules).flatMap((rule, index) => policyRuleErrors(rule, ["rules", index], true));
}

export function clusterRoleErrors(object: Json): FieldError[] {
  // An aggregated ClusterRole's rules are filled in by the controller.
  return list(object.rules).flatMap((rule, index) => policyRuleErrors(rule, ["rules", index], false));
}

function bindingErrors(object: Json, roleKinds: string[], namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const roleRef = map(object.roleRef);
  if (roleRef.apiGroup !== RBAC_GROUP) errors.push(unsupported(["roleRef", "apiGroup"], roleRef.apiGroup ?? "", [RBAC_GROUP]));
  if (!roleKinds.includes(roleRef.kind as string)) errors.push(unsupported(["roleRef", "kind"], roleRef.kind ?? "", roleKinds));
  if (typeof roleRef.name !== "string" || roleRef.name === "") errors.push(required(["roleRef", "name"], "K8S_REQUIRED"));
  for (const [index, subject] of list(object.subjects).entries()) {
    const here = ["subjects", index];
    const kind = subject.kind;
    if (kind === "ServiceAccount") {
      if (subject.apiGroup !== undefined && subject.apiGroup !== "")
        errors.push(unsupported([...here, "apiGroup"], subject.apiGroup, [""]));
      if (!namespaced && (typeof subject.namespace !== "string" || subject.namespace === ""))
        errors.push(required([...here, "namespace"], "K8S_REQUIRED"));
    } else if (kind === "User" || kind === "Group") {
      if (subject.apiGroup !== RBAC_GROUP) errors.push(unsupported([...here, "apiGroup"], subject.apiGroup ?? "", [RBAC_GROUP]));
    } else {
      errors.push(unsupported([...here, "kind"], kind ?? "", ["ServiceAccount", "User", "Group"]));
    }
    if (typeof subject.name !== "string" || subject.name === "") errors.push(required([...here, "name"], "K8S_REQUIRED"));
  }
  return errors;
}

export function roleBindingErrors(object: Json): FieldError[] {
  return bindingErrors(object, ["Role", "ClusterRole"], true);
}

export function clusterRoleBindingErrors(object: Json): FieldError[] {
  return bindingErrors(object, ["ClusterRole"], false);
}
