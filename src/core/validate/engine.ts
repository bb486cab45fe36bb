import type { FieldPath, ResourceIdentity, SkipReason } from "../findings.js";
import { closestWord } from "../suggest.js";
import { evaluateRules } from "./cel/rules.js";
import type { FieldError } from "./field-errors.js";
import { checkMetadata } from "./metadata.js";
import type { ValidateOptions } from "./options.js";
import { splitApiVersion } from "./schema-sources.js";
import type { KindSchema, SchemaSource, StructuralSchema } from "./schema-types.js";
import { pruneAndDefault, setOwn } from "./structural-defaults.js";
import { checkValues, checkValuesKnownValid, type ValueCheckResult } from "./value-validation.js";
import { admitAndCheck } from "./schema-walk.js";
import { precompiledValueValidator } from "./ajv/validators.js";
import { webhookErrors } from "./istio/webhook.js";
import { crdSchemaErrors } from "./crd/schema-checks.js";
import { appendAll } from "../arrays.js";
import { builtinKindErrors } from "./kubernetes/index.js";

/** What the engine concluded about one object; paths are relative to the object. */
export interface ObjectVerdict {
  errors: FieldError[];
  /** The object as the API server would store it (pruned, defaulted); undefined when it has no schema. */
  admitted?: Record<string, unknown>;
  schema?: KindSchema;
  identity: ResourceIdentity;
  /** Not validated: no schema for the kind (and not --strict), or the kind was given to --skip. */
  skipped?: SkipReason;
}

/** Cluster-scoped built-in kinds, for objects analysed without a schema (cluster objects, skipped kinds). */
export const clusterScopedCoreKinds: ReadonlySet<string> = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "StorageClass",
  "PriorityClass",
  "IngressClass",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "CertificateSigningRequest",
]);

/** Runs stages 2–9 of docs/design/validation.md §0.1 for one object, as `kubectl apply` (create, strict) would. */
export function validateObject(value: unknown, source: SchemaSource, options: ValidateOptions): ObjectVerdict {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      identity: {},
      errors: [
        problem([], "DOCUMENT_NOT_OBJECT", "document is not a mapping; a Kubernetes object is a map with apiVersion, kind and metadata"),
      ],
    };
  }
  const object = value as Record<string, unknown>;
  const identity = identityFor(object);
  const errors: FieldError[] = [];
  if (typeof object.apiVersion !== "string" || object.apiVersion === "") {
    errors.push({
      type: "Required",
      path: ["apiVersion"],
      code: "MISSING_APIVERSION",
      origin: "schema",
      detail: "",
      hint: "every object needs apiVersion, e.g. gateway.networking.k8s.io/v1",
    });
  }
  if (typeof object.kind !== "string" || object.kind === "") {
    errors.push({
      type: "Required",
      path: ["kind"],
      code: "MISSING_KIND",
      origin: "schema",
      detail: "",
      hint: "every object needs kind, e.g. HTTPRoute",
    });
  }
  if (errors.length > 0) return { identity, errors };
  const apiVersion = object.apiVersion as string;
  const kind = object.kind as string;
  const { group } = splitApiVersion(apiVersion);
  if (options.skipKinds.some((skip) => skip === kind || skip === `${group}/${kind}`)) return { identity, errors, skipped: "skip-flag" };

  // The API server refuses a CRD with an invalid pattern, a rule that does not compile or rules estimated too expensive.
  if (kind === "CustomResourceDefinition" && group === "apiextensions.k8s.io") appendAll(errors, crdSchemaErrors(object));
  const schema = source.lookup(apiVersion, kind);
  if (!schema || !schema.served) {
    const missing = missingSchema(apiVersion, kind, schema, source, options);
    if (missing === "skip") return { identity, errors, skipped: "no-schema" };
    appendAll(errors, missing);
    return { identity, errors };
  }
  if (schema.deprecated) {
    errors.push({
      ...problem(["apiVersion"], "DEPRECATED_VERSION", schema.deprecationWarning ?? `${group}/${schema.version} ${kind} is deprecated`),
      severity: "warning",
    });
  }
  const clusterScoped = schema.scope === "Cluster";
  if (!clusterScoped && identity.namespace === undefined) identity.namespace = options.defaultNamespace;
  appendAll(errors, checkMetadata(object.metadata, { apiVersion, kind, clusterScoped }));

  const root = schema.openAPIV3Schema;
  const structural: FieldError[] = [];
  const withoutStatus: Record<string, unknown> = {};
  const dropsStatus = schema.statusSubresource !== false;
  for (const key of Object.keys(object)) {
    if (key === "apiVersion" || key === "kind" || key === "metadata" || (key === "status" && dropsStatus)) continue;
    setOwn(withoutStatus, key, object[key]);
  }
  // Optional fast path (MESH_AJV=1): the build-time ajv validator answers "nothing to report"; the walker then
  // only collects list-type duplicates and CEL sites. Otherwise one walk prunes, defaults and words every error.
  const valueSchema = rootWithoutMetadata(root);
  const precompiled = precompiledValueValidator(schema, options);
  let pruned: Record<string, unknown>;
  let values: ValueCheckResult;
  if (precompiled) {
    pruned = pruneAndDefault(withoutStatus, valueSchema, [], structural) as Record<string, unknown>;
    values = precompiled(pruned) ? checkValuesKnownValid(pruned, valueSchema, []) : checkValues(pruned, valueSchema, []);
  } else {
    const admission = admitAndCheck(withoutStatus, valueSchema, []);
    pruned = admission.admitted as Record<string, unknown>;
    appendAll(structural, admission.structural);
    values = admission;
  }
  for (const error of structural) {
    if (error.type !== "Unknown" || options.fieldValidation === "Strict") errors.push(error);
    else if (options.fieldValidation === "Warn") errors.push({ ...error, severity: "warning" });
  }
  const admitted: Record<string, unknown> = { apiVersion, kind, metadata: object.metadata, ...pruned };
  appendAll(errors, values.errors);
  appendAll(errors, metadataSchemaErrors(object.metadata, root));
  const rootRules = root["x-kubernetes-validations"];
  if (rootRules?.length) values.ruleSites.push({ value: admitted, schema: root, path: [] });
  if (errors.some((error) => error.blocking && (error.severity ?? "error") === "error")) {
    if (values.ruleSites.length > 0) {
      errors.push({
        ...problem(
          [],
          "CEL_NOT_CHECKED",
          "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
        ),
        severity: "info",
      });
    }
  } else {
    appendAll(errors, evaluateRules(values.ruleSites, true));
  }
  if (!errors.some((error) => (error.severity ?? "error") === "error")) {
    if (schema.kubernetesBuiltin) appendAll(errors, builtinKindErrors(admitted, group, kind));
    appendAll(errors, webhookErrors(admitted, options));
  }
  return { identity, errors, admitted, schema };
}

const rootsWithoutMetadata = new WeakMap<StructuralSchema, StructuralSchema>();

/** The root schema minus apiVersion/kind/metadata (checked separately) and minus root rules (run on the whole object). */
export function rootWithoutMetadata(root: StructuralSchema): StructuralSchema {
  let cached = rootsWithoutMetadata.get(root);
  if (!cached) {
    cached = stripRoot(root);
    rootsWithoutMetadata.set(root, cached);
  }
  return cached;
}

function stripRoot(root: StructuralSchema): StructuralSchema {
  const properties = { ...(root.properties ?? {}) };
  delete properties.metadata;
  delete properties.apiVersion;
  delete properties.kind;
  const { "x-kubernetes-validations": _rules, ...rest } = root;
  return { ...rest, type: "object", properties };
}

/** Within `metadata`, a CRD schema may constrain only `name` and `generateName`. */
function metadataSchemaErrors(metadata: unknown, root: StructuralSchema): FieldError[] {
  const metaSchema = root.properties?.metadata?.properties;
  if (!metaSchema || typeof metadata !== "object" || metadata === null) return [];
  const errors: FieldError[] = [];
  for (const key of ["name", "generateName"]) {
    const schema = metaSchema[key];
    const value = (metadata as Record<string, unknown>)[key];
    if (schema && typeof value === "string") appendAll(errors, checkValues(value, schema, ["metadata", key]).errors);
  }
  return errors;
}

function missingSchema(
  apiVersion: string,
  kind: string,
  schema: KindSchema | undefined,
  source: SchemaSource,
  options: ValidateOptions,
): FieldError[] | "skip" {
  const { group, version } = splitApiVersion(apiVersion);
  const versions = source.versionsOf(group, kind);
  const elsewhere = source.whereElse(apiVersion, kind);
  if (schema || versions.length > 0 || source.groups().has(group)) {
    const served = versions.filter((candidate) => candidate.served).map((candidate) => `${group}/${candidate.version}`);
    let hint: string | undefined;
    if (elsewhere.length > 0)
      hint = `${apiVersion} ${kind} exists in Gateway API ${elsewhere.join(", ")}; pass --gateway-api-version/--channel to match your cluster`;
    else if (served.length > 0) hint = `served versions: ${served.join(", ")}`;
    else {
      const known = source.kindsOf(group);
      const suggestion = closestWord(kind, known);
      if (suggestion) hint = `did you mean kind "${suggestion}"?`;
    }
    return [
      {
        type: "Invalid",
        path: schema ? ["apiVersion"] : ["kind"],
        code: "NO_MATCHES_FOR_KIND",
        origin: "schema",
        shown: JSON.stringify(kind),
        detail: schema
          ? `version ${version} of ${kind} is not served by this cluster's CRD`
          : `no matches for kind "${kind}" in version "${apiVersion}"`,
        hint,
      },
    ];
  }
  // Neither a built-in kind nor a known CRD: nothing can be checked, so the object is skipped, not passed.
  if (options.ignoreMissingSchemas || !options.strict) return "skip";
  return [
    {
      type: "Invalid",
      path: ["kind"],
      code: "NO_SCHEMA",
      origin: "schema",
      shown: JSON.stringify(kind),
      detail: `no schema for ${apiVersion} ${kind}; not validated`,
      hint: "pass --crds with its CustomResourceDefinition, --skip it, or drop --strict",
    },
  ];
}

function identityFor(object: Record<string, unknown>): ResourceIdentity {
  const identity: ResourceIdentity = {};
  if (typeof object.apiVersion === "string") identity.apiVersion = object.apiVersion;
  if (typeof object.kind === "string") identity.kind = object.kind;
  const metadata = object.metadata as Record<string, unknown> | undefined;
  if (metadata && typeof metadata === "object") {
    if (typeof metadata.namespace === "string") identity.namespace = metadata.namespace;
    if (typeof metadata.name === "string") identity.name = metadata.name;
  }
  return identity;
}

function problem(path: FieldPath, code: string, detail: string): FieldError {
  return { type: "Message", path, code, origin: "schema", detail };
}
