import type { KindVersionSchema } from "../schemas/catalog.js";
import type { JSONSchemaProps, ValidationRule } from "../schemas/types.js";

/**
 * The structural subset of `JSONSchemaProps` (apiextensions.k8s.io/v1) that validation walks. Both the
 * project's built-in catalog and user CRDs loaded with `--crds` arrive in this shape.
 */
export type StructuralSchema = JSONSchemaProps;
export type { ValidationRule };

/** One kind at one version, as the API server serves it. */
export interface KindSchema extends KindVersionSchema {
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
