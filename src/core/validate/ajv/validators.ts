import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { builtinSchemaSource, type SchemaVariant } from "../builtin-schemas.js";
import { checkFormat } from "../formats.js";
import type { KindSchema } from "../schema-types.js";
import { codePointLength, deepEqual } from "../value-validation.js";
import { distPath } from "../../package-paths.js";

/** The helpers generated validators call; standalone modules receive them as their factory's `k8s` argument. */
export interface AjvRuntime {
  checkFormat: (format: string, text: string) => boolean | undefined;
  codePoints: (text: string) => number;
  deepEqual: (a: unknown, b: unknown) => boolean;
}

export const ajvRuntime: AjvRuntime = { checkFormat, codePoints: codePointLength, deepEqual };

/** True when the pruned, defaulted object passes every OpenAPI value check (list types and CEL aside). */
export type ValueValidator = (data: unknown) => boolean;

/** dist/validators/ajv/index.json: variant key → "apiVersion/Kind" → module hash. */
export type AjvIndex = Record<string, Record<string, string>>;

export const AJV_INDEX_FILE = "index.json";
export const variantKey = (variant: SchemaVariant): string => `${variant.gatewayApiVersion}/${variant.channel}`;
export const kindKey = (schema: Pick<KindSchema, "group" | "version" | "kind">): string =>
  `${schema.group ? `${schema.group}/` : ""}${schema.version}/${schema.kind}`;
export const moduleFileName = (hash: string): string => `${hash}.cjs`;

// Run from TypeScript sources (tests) too, the modules built into dist/ serve (npm test builds first).
const moduleDirectory = distPath("validators", "ajv");
const requireModule = createRequire(import.meta.url);

let index: AjvIndex | undefined;
const byKindSchema = new WeakMap<KindSchema, ValueValidator | null>();
const byHash = new Map<string, ValueValidator>();
// Off unless MESH_AJV=1: measured on a fresh process, the generated code runs mostly unoptimized and costs
// more (module parse, JIT warm-up per kind) than the walker it replaces, which all kinds keep hot; in a
// long-lived process it is ~10% faster. Read once.
let enabled = process.env.MESH_AJV === "1";

/** Switches the precompiled fast path on or off (tests compare both paths). */
export function useAjvFastPath(on: boolean): void {
  enabled = on;
}

/**
 * The validator generated at build time (src/build/steps/25-ajv-validators.ts) for a built-in kind/version
 * of this variant, loaded on first use; undefined for user CRDs, which may shadow a built-in kind, and when
 * dist/ holds no validators.
 */
export function precompiledValueValidator(schema: KindSchema, variant: SchemaVariant): ValueValidator | undefined {
  if (!enabled) return undefined;
  const cached = byKindSchema.get(schema);
  if (cached !== undefined) return cached ?? undefined;
  let validator: ValueValidator | null = null;
  const apiVersion = schema.group ? `${schema.group}/${schema.version}` : schema.version;
  if (builtinSchemaSource(variant).lookup(apiVersion, schema.kind) === schema) {
    const hash = loadIndex()[variantKey(variant)]?.[kindKey(schema)];
    if (hash !== undefined) validator = loadValidator(hash);
  }
  byKindSchema.set(schema, validator);
  return validator ?? undefined;
}

function loadIndex(): AjvIndex {
  if (index === undefined) {
    try {
      index = JSON.parse(readFileSync(path.join(moduleDirectory, AJV_INDEX_FILE), "utf8")) as AjvIndex;
    } catch {
      index = {};
    }
  }
  return index;
}

function loadValidator(hash: string): ValueValidator {
  let validator = byHash.get(hash);
  if (!validator) {
    const bind = requireModule(path.join(moduleDirectory, moduleFileName(hash))) as (runtime: AjvRuntime) => ValueValidator;
    validator = bind(ajvRuntime);
    byHash.set(hash, validator);
  }
  return validator;
}
