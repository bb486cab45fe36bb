import type { FieldPath } from "../findings.js";
import { shownValue, type FieldError } from "./field-errors.js";
import { unknownField } from "./structural-defaults.js";
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from "../dns-names.js";

/** ObjectMeta's fields: anything else inside `metadata` is an unknown field under strict validation. */
const objectMetaFields = [
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
];
const objectMetaFieldSet = new Set(objectMetaFields);

const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const labelRule =
  "must consist of lower case alphanumeric characters or '-', start and end with an alphanumeric character, and be at most 63 characters (e.g. 'my-name')";
const subdomainRule =
  "must consist of lower case alphanumeric characters, '-' or '.', start and end with an alphanumeric character, and be at most 253 characters (e.g. 'example.com')";
const dns1035Rule =
  "must consist of lower case alphanumeric characters or '-', start with a letter, end with an alphanumeric character, and be at most 63 characters (e.g. 'my-name')";

const rbacKinds = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);

/**
 * Which name rule the API server applies to `metadata.name` of a kind (core kinds differ, 1.2). RBAC objects
 * only need a valid path segment (ValidateRBACName), so `system:auth-delegator` is a fine ClusterRole name.
 */
function nameRule(apiVersion: string, kind: string): "label" | "dns1035" | "subdomain" | "pathSegment" {
  if (apiVersion === "v1" && kind === "Namespace") return "label";
  if (apiVersion === "v1" && kind === "Service") return "dns1035";
  if (apiVersion.startsWith("rbac.authorization.k8s.io/") && rbacKinds.has(kind)) return "pathSegment";
  return "subdomain";
}

/** IsValidPathSegmentName: the only rule for names that end up as one segment of a URL path. */
function pathSegmentProblems(name: string): string[] {
  if (name === "." || name === "..") return [`may not be '${name}'`];
  return ["/", "%"].filter((illegal) => name.includes(illegal)).map((illegal) => `may not contain '${illegal}'`);
}

/** Problems with a qualified name (`prefix/name`) as label and annotation keys use them; empty when valid. */
export function qualifiedNameProblems(key: string): readonly string[] {
  // Nearly every key is a plain valid name: answered without splitting or allocating.
  if (key.length <= 63 && !key.includes("/") && qualifiedNamePart.test(key)) return noProblems;
  const problems: string[] = [];
  const parts = key.split("/");
  let name = key;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) problems.push("prefix part must be non-empty");
    else if (!isDns1123Subdomain(prefix)) problems.push(`prefix part ${subdomainRule}`);
  } else if (parts.length > 2) {
    return ["a qualified name must consist of an optional DNS subdomain prefix and '/' followed by a name"];
  }
  if (name.length === 0) problems.push("name part must be non-empty");
  else if (name.length > 63) problems.push("name part must be no more than 63 characters");
  else if (!qualifiedNamePart.test(name)) {
    problems.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')",
    );
  }
  return problems;
}

/** Shared by the checks below for the common answer; frozen, so a caller cannot add to it. */
const noProblems: readonly string[] = Object.freeze([]);

export function labelValueProblems(value: string): readonly string[] {
  if (value === "") return noProblems;
  if (value.length > 63) return ["must be no more than 63 characters"];
  if (!qualifiedNamePart.test(value)) {
    return [
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')",
    ];
  }
  return noProblems;
}

export interface MetadataContext {
  apiVersion: string;
  kind: string;
  clusterScoped: boolean;
}

/** Stage 5: the ObjectMeta rules the API server applies to every kind, outside the CRD schema. */
export function checkMetadata(metadata: unknown, context: MetadataContext): FieldError[] {
  const errors: FieldError[] = [];
  const at = (...segments: (string | number)[]): FieldPath => ["metadata", ...segments];
  if (metadata === undefined || metadata === null) {
    errors.push(required(at("name"), "kubectl apply needs metadata.name"));
    return errors;
  }
  if (typeof metadata !== "object" || Array.isArray(metadata)) {
    errors.push({
      type: "Invalid",
      path: at(),
      code: "METADATA_TYPE",
      origin: "metadata",
      shown: shownValue(metadata),
      detail: "must be of type object",
      blocking: true,
    });
    return errors;
  }
  const meta = metadata as Record<string, unknown>;
  for (const key of Object.keys(meta)) {
    if (!objectMetaFieldSet.has(key)) errors.push({ ...unknownField(at(key), objectMetaFields), origin: "metadata" });
  }
  const name = meta.name;
  if (name === undefined || name === "") {
    if (typeof meta.generateName === "string")
      errors.push(required(at("name"), "generateName only works with kubectl create; kubectl apply needs metadata.name"));
    else errors.push(required(at("name"), "every object needs a name"));
  } else if (typeof name !== "string") {
    errors.push(typeMismatch(at("name"), name, "string"));
  } else {
    const rule = nameRule(context.apiVersion, context.kind);
    if (rule === "pathSegment")
      for (const problem of pathSegmentProblems(name)) errors.push(invalid(at("name"), name, "METADATA_NAME", problem));
    const ok =
      rule === "pathSegment"
        ? true
        : rule === "label"
          ? isDns1123Label(name)
          : rule === "dns1035"
            ? isDns1035Label(name)
            : isDns1123Subdomain(name);
    if (!ok) {
      const text =
        rule === "label"
          ? `a lowercase RFC 1123 label ${labelRule}`
          : rule === "dns1035"
            ? `a DNS-1035 label ${dns1035Rule}`
            : `a lowercase RFC 1123 subdomain ${subdomainRule}`;
      errors.push(
        invalid(at("name"), name, "METADATA_NAME", text, name.toLowerCase() !== name ? `try "${name.toLowerCase()}"` : undefined),
      );
    }
  }
  const namespace = meta.namespace;
  if (namespace !== undefined) {
    if (typeof namespace !== "string") errors.push(typeMismatch(at("namespace"), namespace, "string"));
    else if (context.clusterScoped) {
      errors.push({
        type: "Invalid",
        path: at("namespace"),
        code: "METADATA_NAMESPACE_IGNORED",
        origin: "metadata",
        shown: shownValue(namespace),
        detail: `${context.kind} is cluster-scoped; the API server ignores metadata.namespace`,
        severity: "warning",
      });
    } else if (!isDns1123Label(namespace)) {
      errors.push(invalid(at("namespace"), namespace, "METADATA_NAMESPACE", `a lowercase RFC 1123 label ${labelRule}`));
    }
  }
  // Most objects have no annotations: their path is built only when there are some.
  if (meta.labels !== undefined && meta.labels !== null) checkStringMap(meta.labels, at("labels"), "label", errors);
  if (meta.annotations !== undefined && meta.annotations !== null)
    checkStringMap(meta.annotations, at("annotations"), "annotation", errors);
  return errors;
}

/** Appends the problems of a labels or annotations map to `errors`. */
function checkStringMap(value: unknown, path: FieldPath, what: "label" | "annotation", errors: FieldError[]): void {
  if (typeof value !== "object" || Array.isArray(value)) {
    errors.push(typeMismatch(path, value, "object"));
    return;
  }
  let total = 0;
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const keyProblems = qualifiedNameProblems(key);
    if (keyProblems.length > 0) {
      errors.push(
        invalid([...path, key], key, what === "label" ? "METADATA_LABEL_KEY" : "METADATA_ANNOTATION_KEY", keyProblems.join("; ")),
      );
    }
    if (typeof entry !== "string") {
      errors.push({
        ...typeMismatch([...path, key], entry, "string"),
        hint: `${what} values are strings; quote ${JSON.stringify(String(entry))}`,
      });
      continue;
    }
    total += key.length + entry.length;
    if (what === "label") {
      const problems = labelValueProblems(entry);
      if (problems.length > 0) errors.push(invalid([...path, key], entry, "METADATA_LABEL_VALUE", problems.join("; ")));
    }
  }
  if (what === "annotation" && total > 256 * 1024) {
    errors.push({
      type: "TooLong",
      path,
      code: "METADATA_ANNOTATIONS_SIZE",
      origin: "metadata",
      detail: "may not be more than 262144 bytes",
    });
  }
}

function required(path: FieldPath, hint: string): FieldError {
  return { type: "Required", path, code: "METADATA_NAME_REQUIRED", origin: "metadata", detail: "name or generateName is required", hint };
}

function invalid(path: FieldPath, value: unknown, code: string, detail: string, hint?: string): FieldError {
  return { type: "Invalid", path, code, origin: "metadata", shown: shownValue(value), detail, hint };
}

function typeMismatch(path: FieldPath, value: unknown, expected: string): FieldError {
  return {
    type: "Invalid",
    path,
    code: "METADATA_TYPE",
    origin: "metadata",
    shown: shownValue(value),
    detail: `must be of type ${expected}`,
    blocking: true,
  };
}
