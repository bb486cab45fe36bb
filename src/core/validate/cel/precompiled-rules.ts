import { readFileSync } from "node:fs";
import { distPath } from "../../package-paths.js";
import { ruleFromBody, type CompiledRule } from "./compiled-rule.js";

/** The built-in rules as the build step 20-validators compiled them: rule text → function body, null if not covered. */
const tableFile = distPath("validators", "cel-rules.json");
let bodies: Record<string, string | null> | undefined;

/**
 * The built-in rule `expression` compiled ahead of time: its function, null when the compiler does not cover it (the
 * interpreter runs it), undefined when it is not a built-in rule. The bundle replaces this module with one that holds
 * the functions themselves (src/build/steps/90-bundle.ts), so V8's code cache keeps them compiled between runs.
 */
export function precompiledRule(expression: string): CompiledRule | null | undefined {
  if (bodies === undefined) {
    try {
      bodies = JSON.parse(readFileSync(tableFile, "utf8")) as Record<string, string | null>;
    } catch {
      bodies = {};
    }
  }
  const body = Object.hasOwn(bodies, expression) ? bodies[expression] : undefined;
  return body === undefined ? undefined : body === null ? null : ruleFromBody(body);
}

/** The source of the module that replaces this one in the bundle, for the table `bodies`. */
export function precompiledRulesModule(table: Record<string, string | null>): string {
  const entries = Object.entries(table).map(
    ([expression, body]) => `[${JSON.stringify(expression)}, ${body === null ? "null" : `(rt, self) => {\n${body}\n}`}]`,
  );
  return `const rules = new Map([\n${entries.join(",\n")}\n]);\nexport function precompiledRule(expression) {\n  return rules.get(expression);\n}\n`;
}
