import AjvModule from "ajv";
import { ajvOptions, toAjvSchema, withSharedDefinitions } from "../../../../src/core/validate/ajv/schema.js";
import { rootWithoutMetadata } from "../../../../src/core/validate/engine.js";
import type { FieldError } from "../../../../src/core/validate/field-errors.js";
import type { KindSchema, StructuralSchema } from "../../../../src/core/validate/schema-types.js";
import { pruneAndDefault } from "../../../../src/core/validate/structural-defaults.js";
import { checkValues, checkValuesKnownValid, type ValueCheckResult } from "../../../../src/core/validate/value-validation.js";

/** What both value checkers see: the object after status, apiVersion/kind/metadata are set aside, pruned and defaulted (as engine.ts). */
export function prunedForValueChecks(
  object: Record<string, unknown>,
  schema: KindSchema,
): { pruned: unknown; valueSchema: StructuralSchema } {
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    if (key === "status" && schema.statusSubresource !== false) continue;
    if (key === "apiVersion" || key === "kind" || key === "metadata") continue;
    body[key] = object[key];
  }
  const valueSchema = rootWithoutMetadata(schema.openAPIV3Schema);
  const ignored: FieldError[] = [];
  return { pruned: pruneAndDefault(body, valueSchema, [], ignored), valueSchema };
}

const ajv = new AjvModule.default(ajvOptions(false));
const compiled = new WeakMap<StructuralSchema, (data: unknown) => boolean>();

/** The translated schema compiled in-process (the same translation the build step writes as standalone code). */
export function runtimeAjvValidator(valueSchema: StructuralSchema): (data: unknown) => boolean {
  let validate = compiled.get(valueSchema);
  if (!validate) {
    validate = ajv.compile(withSharedDefinitions(toAjvSchema(valueSchema))) as (data: unknown) => boolean;
    compiled.set(valueSchema, validate);
  }
  return validate;
}

/** The walker's errors that ajv is meant to decide (list-type duplicates are the engine's own check). */
export function walkerValueErrors(result: ValueCheckResult): FieldError[] {
  return result.errors.filter((error) => error.code !== "SCHEMA_DUPLICATE");
}

export { checkValues, checkValuesKnownValid };
