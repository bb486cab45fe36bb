import { _, Name, stringify, type Code, type CodeKeywordDefinition, type KeywordCxt, type Options } from "ajv";
import { ajvRuntime, type AjvRuntime } from "./validators.js";
import { checkFormat } from "../formats.js";
import { compilePattern, readsSameInJavaScript } from "../patterns.js";
import type { StructuralSchema } from "../schema-types.js";

/**
 * Translation of a Kubernetes structural schema into a JSON Schema that ajv compiles to a yes/no value check
 * with exactly the verdict of the walker in value-validation.ts (stage 6 of docs/design/validation.md §0.1). The walker
 * stays the authority for messages; ajv only decides, fast, that there is nothing to report.
 *
 * Keywords whose ajv semantics differ from the walker's in edge cases get a small code-generating keyword
 * instead of the native one: types (`Number.isInteger` rejects Infinity, ajv's integer check does not),
 * lengths (the walker's code-point count), ranges (ajv also rejects NaN), formats (Go semantics, §1.7).
 * Unknown fields, list types and CEL are not translated: the engine checks those itself.
 */

type TypeName = NonNullable<StructuralSchema["type"]> | "int-or-string";
const typeNames = new Set<string>(["object", "array", "string", "integer", "number", "boolean"]);

function typeTest(type: TypeName, data: Code): Code {
  switch (type) {
    case "object":
      return _`typeof ${data} == "object" && ${data} !== null && !Array.isArray(${data})`;
    case "array":
      return _`Array.isArray(${data})`;
    case "string":
      return _`typeof ${data} == "string"`;
    case "integer":
      return _`Number.isInteger(${data})`;
    case "number":
      return _`typeof ${data} == "number"`;
    case "boolean":
      return _`typeof ${data} == "boolean"`;
    case "int-or-string":
      return _`(typeof ${data} == "string" || Number.isInteger(${data}))`;
  }
}

function runtimeFunction(cxt: KeywordCxt, name: keyof AjvRuntime): Code {
  return cxt.gen.scopeValue("func", { key: name, ref: ajvRuntime[name], code: _`k8s.${new Name(name)}` });
}

interface LengthBounds {
  min?: number;
  max?: number;
}

interface RangeBounds {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
}

export const ajvKeywords: CodeKeywordDefinition[] = [
  {
    keyword: "k8sType",
    schemaType: "string",
    code(cxt) {
      cxt.fail(_`!(${typeTest(cxt.schema as TypeName, cxt.data)})`);
    },
  },
  {
    keyword: "k8sLength",
    schemaType: "object",
    code(cxt) {
      const { min, max } = cxt.schema as LengthBounds;
      const count = runtimeFunction(cxt, "codePoints");
      const data = cxt.data;
      const failures: Code[] = [];
      // The count never exceeds .length, so the loop runs only for strings that may be too long.
      if (max !== undefined) failures.push(_`(${data}.length > ${max} && ${count}(${data}) > ${max})`);
      if (min !== undefined) failures.push(_`${count}(${data}) < ${min}`);
      cxt.fail(_`typeof ${data} == "string" && (${joinOr(failures)})`);
    },
  },
  {
    keyword: "k8sRange",
    schemaType: "object",
    code(cxt) {
      const bounds = cxt.schema as RangeBounds;
      const data = cxt.data;
      const failures: Code[] = [];
      if (bounds.minimum !== undefined) {
        failures.push(bounds.exclusiveMinimum ? _`${data} <= ${bounds.minimum}` : _`${data} < ${bounds.minimum}`);
      }
      if (bounds.maximum !== undefined) {
        failures.push(bounds.exclusiveMaximum ? _`${data} >= ${bounds.maximum}` : _`${data} > ${bounds.maximum}`);
      }
      if (bounds.multipleOf !== undefined && bounds.multipleOf > 0) {
        failures.push(_`Math.abs(${data} / ${bounds.multipleOf} - Math.round(${data} / ${bounds.multipleOf})) > 1e-9`);
      }
      cxt.fail(_`typeof ${data} == "number" && (${joinOr(failures)})`);
    },
  },
  {
    // Native `enum` would embed the whole schema in the module to name the allowed values in its error.
    keyword: "k8sEnum",
    schemaType: "array",
    code(cxt) {
      const allowed = cxt.schema as unknown[];
      const data = cxt.data;
      const equal = runtimeFunction(cxt, "deepEqual");
      const matches = allowed.map((value) =>
        typeof value === "object" && value !== null ? _`${equal}(${stringify(value)}, ${data})` : _`${data} === ${value as string}`,
      );
      cxt.fail(matches.length === 0 ? _`true` : _`!(${matches.reduce((joined, part) => _`${joined} || ${part}`)})`);
    },
  },
  {
    keyword: "k8sFormat",
    schemaType: "string",
    code(cxt) {
      const check = runtimeFunction(cxt, "checkFormat");
      cxt.fail(_`typeof ${cxt.data} == "string" && ${check}(${cxt.schema as string}, ${cxt.data}) === false`);
    },
  },
];

function joinOr(parts: Code[]): Code {
  if (parts.length === 0) return _`false`;
  return parts.reduce((joined, part) => _`${joined} || ${part}`);
}

/** ajv options under which the translated schemas compile (no meta-schema: the custom keywords are not in it). */
export function ajvOptions(standalone: boolean): Options {
  return {
    strict: false,
    allErrors: false,
    messages: false,
    validateSchema: false,
    addUsedSchema: false,
    useDefaults: false,
    unicodeRegExp: true,
    inlineRefs: false,
    keywords: ajvKeywords,
    code: { source: standalone, lines: false, optimize: true },
  };
}

export type AjvSchema = Record<string, unknown>;

/** Keywords that can reject a null; a node that admits null is wrapped so that null passes before them. */
const nullSensitive = ["k8sType", "k8sEnum", "not", "oneOf", "anyOf", "allOf"];

export function toAjvSchema(node: StructuralSchema): AjvSchema {
  const out: AjvSchema = {};
  const intOrString = node["x-kubernetes-int-or-string"] === true;
  if (intOrString) out.k8sType = "int-or-string";
  else if (node.type !== undefined) out.k8sType = node.type;
  if (Array.isArray(node.enum)) out.k8sEnum = node.enum;
  if (node.minLength !== undefined || node.maxLength !== undefined) out.k8sLength = { min: node.minLength, max: node.maxLength };
  if (node.pattern !== undefined) out.pattern = node.pattern;
  if (node.format !== undefined && checkFormat(node.format, "") !== undefined) out.k8sFormat = node.format;
  if (node.minimum !== undefined || node.maximum !== undefined || node.multipleOf !== undefined) {
    out.k8sRange = {
      minimum: node.minimum,
      maximum: node.maximum,
      exclusiveMinimum: node.exclusiveMinimum,
      exclusiveMaximum: node.exclusiveMaximum,
      multipleOf: node.multipleOf,
    };
  }
  if (node.minItems !== undefined) out.minItems = node.minItems;
  if (node.maxItems !== undefined) out.maxItems = node.maxItems;
  if (node.items !== undefined) out.items = toAjvSchema(node.items);
  if (node.required !== undefined && node.required.length > 0) out.required = node.required;
  if (node.minProperties !== undefined) out.minProperties = node.minProperties;
  if (node.maxProperties !== undefined) out.maxProperties = node.maxProperties;
  if (node.properties !== undefined) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([key, child]) => [key, toAjvSchema(child)]));
  }
  if (typeof node.additionalProperties === "object") out.additionalProperties = toAjvSchema(node.additionalProperties);
  if (node.allOf) out.allOf = node.allOf.map(toAjvSchema);
  if (node.anyOf) out.anyOf = node.anyOf.map(toAjvSchema);
  if (node.oneOf) out.oneOf = node.oneOf.map(toAjvSchema);
  if (node.not) out.not = toAjvSchema(node.not);
  // The walker accepts a null where the node is nullable or has no type at all, and checks nothing else then.
  const nullPasses = node.nullable === true || (node.type === undefined && !intOrString);
  if (nullPasses && nullSensitive.some((keyword) => keyword in out)) return { anyOf: [{ type: "null" }, out] };
  return out;
}

/**
 * Constructs where the translation would not give the walker's verdict. The build fails on any of them
 * (built-in schemas); user CRDs with one keep using the walker alone.
 */
export function ajvIncompatibilities(node: StructuralSchema, path = "", insideCombinator = false): string[] {
  const problems: string[] = [];
  const at = path || "<root>";
  if (node.type !== undefined && !typeNames.has(node.type)) problems.push(`${at}: unknown type ${JSON.stringify(node.type)}`);
  if (node.pattern !== undefined && !isJavaScriptPattern(node.pattern)) {
    problems.push(`${at}: pattern ${JSON.stringify(node.pattern)} does not compile as a JavaScript "u" regex`);
  }
  if (Array.isArray(node.items)) problems.push(`${at}: tuple items`);
  if (node.properties && typeof node.additionalProperties === "object") problems.push(`${at}: both properties and additionalProperties`);
  for (const key of [...Object.keys(node.properties ?? {}), ...(node.required ?? [])]) {
    // ajv reads `data[key] !== undefined`, the walker iterates own keys: inherited names would differ.
    if (key in Object.prototype) problems.push(`${at}: property name ${JSON.stringify(key)} shadows Object.prototype`);
  }
  // Inside a combinator the walker also reports list-type duplicates, which ajv does not see.
  if (insideCombinator && node["x-kubernetes-list-type"] !== undefined && node["x-kubernetes-list-type"] !== "atomic") {
    problems.push(`${at}: x-kubernetes-list-type inside oneOf/anyOf/allOf/not`);
  }
  const children: [string, StructuralSchema, boolean][] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) children.push([`${path}.${key}`, child, insideCombinator]);
  if (node.items && !Array.isArray(node.items)) children.push([`${path}[]`, node.items, insideCombinator]);
  if (typeof node.additionalProperties === "object") children.push([`${path}{}`, node.additionalProperties, insideCombinator]);
  for (const keyword of ["allOf", "anyOf", "oneOf"] as const) {
    (node[keyword] ?? []).forEach((child, index) => children.push([`${path}/${keyword}[${index}]`, child, true]));
  }
  if (node.not) children.push([`${path}/not`, node.not, true]);
  for (const [childPath, child, inCombinator] of children) problems.push(...ajvIncompatibilities(child, childPath, inCombinator));
  return problems;
}

/**
 * ajv evaluates patterns with `new RegExp(pattern, "u")`: only patterns that are valid RE2 and that JavaScript
 * reads the same way. The ajv path serves the built-in schemas only, whose upstream patterns are vetted at build
 * time; user CRD patterns always go through compilePattern's linear-time automaton.
 */
function isJavaScriptPattern(pattern: string): boolean {
  try {
    compilePattern(pattern);
    new RegExp(pattern, "u");
    return readsSameInJavaScript(pattern);
  } catch {
    return false;
  }
}

/** Subschemas at least this long (as JSON) and found twice or more become shared definitions. */
const SHARED_MINIMUM_LENGTH = 300;

/**
 * Moves repeated subschemas (HTTPRoute filters at rule and backendRef level, DestinationRule traffic policy
 * per subset and port …) into `definitions` referenced by `$ref`; compiled with `inlineRefs: false`, each
 * becomes one function instead of a copy per site, which keeps the generated modules small.
 */
export function withSharedDefinitions(schema: AjvSchema): AjvSchema {
  const counts = new Map<string, number>();
  forEachSubschema(schema, (node) => {
    const text = JSON.stringify(node);
    if (text.length >= SHARED_MINIMUM_LENGTH) counts.set(text, (counts.get(text) ?? 0) + 1);
  });
  const definitions: Record<string, AjvSchema> = {};
  const names = new Map<string, string>();
  const share = (node: AjvSchema): AjvSchema => {
    const text = JSON.stringify(node);
    if ((counts.get(text) ?? 0) < 2) return mapSubschemas(node, share);
    let name = names.get(text);
    if (name === undefined) {
      name = `d${names.size}`;
      names.set(text, name);
      definitions[name] = mapSubschemas(node, share);
    }
    return { $ref: `#/definitions/${name}` };
  };
  const root = mapSubschemas(schema, share);
  return names.size > 0 ? { ...root, definitions } : root;
}

function forEachSubschema(node: AjvSchema, visit: (child: AjvSchema) => void): void {
  mapSubschemas(node, (child) => {
    visit(child);
    forEachSubschema(child, visit);
    return child;
  });
}

/** A copy of the node with `map` applied to its direct subschemas. */
function mapSubschemas(node: AjvSchema, map: (child: AjvSchema) => AjvSchema): AjvSchema {
  const out: AjvSchema = { ...node };
  if (node.properties) {
    out.properties = Object.fromEntries(
      Object.entries(node.properties as Record<string, AjvSchema>).map(([key, child]) => [key, map(child)]),
    );
  }
  for (const keyword of ["items", "additionalProperties", "not"]) {
    if (node[keyword] !== undefined) out[keyword] = map(node[keyword] as AjvSchema);
  }
  for (const keyword of ["allOf", "anyOf", "oneOf"]) {
    if (node[keyword] !== undefined) out[keyword] = (node[keyword] as AjvSchema[]).map(map);
  }
  return out;
}
