import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { ALL_VARIANTS, schemaCatalog } from "../../core/schemas/index.js";
import { compileCelToFunctionBody } from "../../core/validate/cel/codegen.js";
import { parseExpression } from "../../core/validate/cel/interpreter.js";

const outputDirectory = fileURLToPath(new URL("../../validators/", import.meta.url));

/**
 * Compiles every CEL rule (and messageExpression) of the built-in schemas, in every Gateway API variant
 * and Istio, to JavaScript function bodies in dist/validators/cel-rules.json. At run time mesh validate
 * then evaluates built-in rules without loading the CEL interpreter; a rule the compiler does not cover
 * is stored as null and interpreted.
 */
export async function run(): Promise<void> {
  const expressions = new Set<string>();
  for (const variant of ALL_VARIANTS) {
    for (const schema of schemaCatalog(variant).all()) collectRules(schema.openAPIV3Schema, expressions);
  }
  const table: Record<string, string | null> = {};
  const uncompiled: string[] = [];
  for (const expression of [...expressions].sort()) {
    const body = compileCelToFunctionBody(parseExpression(expression) as never) ?? null;
    if (body === null) uncompiled.push(expression);
    table[expression] = body;
  }
  await mkdir(outputDirectory, { recursive: true });
  await writeFile(new URL("cel-rules.json", `file://${outputDirectory}`), `${JSON.stringify(table)}\n`);
  if (process.env.MESH_BUILD_VERBOSE) {
    console.error(`cel rules: ${expressions.size} compiled to JavaScript, ${uncompiled.length} left to the interpreter`);
    for (const expression of uncompiled) console.error(`  interpreted: ${expression}`);
  }
}

function collectRules(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRules(item, into);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "x-kubernetes-validations" && Array.isArray(value)) {
      for (const rule of value as { rule?: unknown; messageExpression?: unknown }[]) {
        if (typeof rule.rule === "string") into.add(rule.rule);
        if (typeof rule.messageExpression === "string") into.add(rule.messageExpression);
      }
    } else {
      collectRules(value, into);
    }
  }
}
