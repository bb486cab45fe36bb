import { closestWord } from "../suggest.js";
import type { SchemaNode } from "./bundle.js";
import { isMap } from "./types.js";

export type OperatorPath = (string | number)[];

export interface SchemaIssue {
  path: OperatorPath;
  kind: "unknown-field" | "wrong-type";
  message: string;
  suggestion?: string;
}

/** Checks `value` against the IstioOperator schema: unknown fields and wrong JSON types, all of them, in document order. */
export function checkAgainstSchema(value: unknown, schema: SchemaNode, path: OperatorPath = []): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  walk(value, schema, path, issues);
  return issues;
}

function walk(value: unknown, schema: SchemaNode, path: OperatorPath, issues: SchemaIssue[]): void {
  if (value === null || value === undefined) return;
  if (schema["x-kubernetes-int-or-string"]) {
    if (typeof value !== "string" && !(typeof value === "number" && Number.isInteger(value)))
      issues.push(typeIssue(path, "an integer or a string", value));
    return;
  }
  if (schema.anyOf) {
    if (!schema.anyOf.some((alternative) => checkAgainstSchema(value, alternative, path).length === 0))
      issues.push(typeIssue(path, schema.anyOf.map((alternative) => article(alternative.type)).join(" or "), value));
    return;
  }
  const type = schema.type ?? (schema.properties || schema.additionalProperties ? "object" : undefined);
  switch (type) {
    case "string":
      if (typeof value !== "string") issues.push(typeIssue(path, "a string", value));
      else if (schema.enum && !schema.enum.includes(value)) issues.push(enumIssue(path, value, schema.enum));
      return;
    case "boolean":
      if (typeof value !== "boolean") issues.push(typeIssue(path, "a boolean (true or false)", value));
      return;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) issues.push(typeIssue(path, "an integer", value));
      return;
    case "number":
      if (typeof value !== "number") issues.push(typeIssue(path, "a number", value));
      return;
    case "array":
      if (!Array.isArray(value)) {
        issues.push(typeIssue(path, "a list", value));
        return;
      }
      if (schema.items) value.forEach((item, index) => walk(item, schema.items!, [...path, index], issues));
      return;
    case "object":
      if (!isMap(value)) {
        issues.push(typeIssue(path, "a map", value));
        return;
      }
      checkObject(value, schema, path, issues);
      return;
    default:
      return;
  }
}

function checkObject(value: Record<string, unknown>, schema: SchemaNode, path: OperatorPath, issues: SchemaIssue[]): void {
  const properties = schema.properties ?? {};
  for (const [key, item] of Object.entries(value)) {
    const property = properties[key];
    if (property) {
      walk(item, property, [...path, key], issues);
    } else if (typeof schema.additionalProperties === "object") {
      walk(item, schema.additionalProperties, [...path, key], issues);
    } else if (!schema["x-kubernetes-preserve-unknown-fields"] && schema.additionalProperties !== true) {
      const suggestion = closestWord(key, Object.keys(properties));
      issues.push({
        path: [...path, key],
        kind: "unknown-field",
        message: `unknown field "${key}"`,
        ...(suggestion ? { suggestion } : {}),
      });
    }
  }
}

function typeIssue(path: OperatorPath, expected: string, value: unknown): SchemaIssue {
  return { path, kind: "wrong-type", message: `expected ${expected}, got ${describe(value)}` };
}

/** A protobuf enum value istioctl would not parse (resourceScope, proxy.tracer). */
function enumIssue(path: OperatorPath, value: string, allowed: unknown[]): SchemaIssue {
  const names = allowed.map(String);
  const suggestion = closestWord(value, names);
  return {
    path,
    kind: "wrong-type",
    message: `${JSON.stringify(value)} is not one of ${names.join(", ")}`,
    ...(suggestion ? { suggestion } : {}),
  };
}

function article(type: SchemaNode["type"]): string {
  return type === "integer" || type === "object" || type === "array" ? `an ${type}` : `a ${type ?? "value"}`;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (isMap(value)) return "a map";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
