import type { GatewayApiChannel, GatewayApiVersion } from "../versions.js";

/** A Gateway API bundle (version + channel); Istio kinds are the same in every variant. */
export interface SchemaVariant {
  gatewayApiVersion: GatewayApiVersion;
  channel: GatewayApiChannel;
}

export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate";
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** apiextensions.k8s.io/v1 JSONSchemaProps, the structural subset CRDs use. */
export interface JSONSchemaProps {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  format?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  oneOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  allOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  description?: string;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: "atomic" | "granular";
  "x-kubernetes-validations"?: ValidationRule[];
  /** mesh's own keyword for resource.Quantity in the built-in Kubernetes schemas: a string or number of quantity syntax. */
  "x-mesh-quantity"?: boolean;
}

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  format?: string;
  description?: string;
  priority?: number;
}

/** One version of a kind after gates are resolved, as the dist bundles store it. */
export interface ResolvedVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  /** Absent when `schemaFrom` names the version whose schema this one shares. */
  openAPIV3Schema?: JSONSchemaProps;
  schemaFrom?: string;
  subresources?: Record<string, unknown>;
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: { jsonPath: string }[];
}

/** CRD-level facts of one kind after gates are resolved. */
export interface ResolvedKind {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  listKind: string;
  shortNames: string[];
  categories: string[];
  scope: "Namespaced" | "Cluster";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  versions: ResolvedVersion[];
}

/** What one file under dist/schemas holds (and what the YAML fallback builds in memory). */
export interface SchemaBundle {
  format: 1;
  /** The Gateway API variant this bundle was resolved for; absent for the ungated (Istio) bundle. */
  variant?: SchemaVariant;
  kinds: ResolvedKind[];
}
