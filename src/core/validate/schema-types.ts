/**
 * The subset of the Kubernetes `JSONSchemaProps` (apiextensions.k8s.io/v1) that a structural CRD schema
 * uses. Both the project's built-in catalog and user CRDs loaded with `--crds` arrive in this shape.
 */
export interface StructuralSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  default?: unknown;
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  oneOf?: StructuralSchema[];
  anyOf?: StructuralSchema[];
  allOf?: StructuralSchema[];
  not?: StructuralSchema;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: "atomic" | "granular";
  "x-kubernetes-validations"?: ValidationRule[];
  /** mesh's own keyword for resource.Quantity in the built-in Kubernetes schemas: a string or number of quantity syntax. */
  "x-mesh-quantity"?: boolean;
  [keyword: string]: unknown;
}

export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate";
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** One kind at one version, as the API server serves it (mirrors the schema loader's `KindVersionSchema`). */
export interface KindSchema {
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: "Namespaced" | "Cluster";
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  openAPIV3Schema: StructuralSchema;
  /** Whether the status subresource is enabled (then `status` is dropped on create). Default true. */
  statusSubresource?: boolean;
  /** Set for the API server's own kinds (Deployment, Service, …), which also get their built-in validation. */
  kubernetesBuiltin?: boolean;
}

/** Where schemas come from: the built-in catalog of one variant, user CRDs, or both. */
export interface SchemaSource {
  lookup(apiVersion: string, kind: string): KindSchema | undefined;
  versionsOf(group: string, kind: string): KindSchema[];
  /** Variants (e.g. "v1.5.1 experimental") in which the kind/version exists when it does not here. */
  whereElse(apiVersion: string, kind: string): string[];
  /** API groups this source serves: a kind unknown in one of them is "no matches", not "no schema". */
  groups(): ReadonlySet<string>;
  /** Kinds served in a group (for "did you mean"). */
  kindsOf(group: string): string[];
}
