import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ruleFromBody, type CompiledRule } from "../../../../src/core/validate/cel/compiled-rule.js";
import { precompiledRule, precompiledRulesModule } from "../../../../src/core/validate/cel/precompiled-rules.js";
import { celRuntime, resetCallBudget } from "../../../../src/core/validate/cel/runtime.js";
import { distPath } from "../../../../src/core/package-paths.js";

/** The module the bundle holds instead of precompiled-rules.ts, for `table`. */
async function bundledModule(
  table: Record<string, string | null>,
): Promise<{ precompiledRule(expression: string): CompiledRule | null | undefined }> {
  const source = precompiledRulesModule(table);
  return (await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`)) as never;
}

function outcome(rule: CompiledRule, self: unknown): unknown {
  resetCallBudget();
  try {
    return rule(celRuntime, self);
  } catch (error) {
    return `error: ${String(error)}`;
  }
}

describe("built-in CEL rules in the bundle", () => {
  const table = JSON.parse(readFileSync(distPath("validators", "cel-rules.json"), "utf8")) as Record<string, string | null>;
  const samples: unknown[] = [
    {},
    { type: "CORS" },
    { type: "CORS", cors: {} },
    { name: "a", port: 80, protocol: "HTTP", hostname: "*.example.com" },
    { group: "", kind: "Service", name: "x", port: 8080, weight: 1 },
    [],
    ["a", "b", "a"],
    "value",
    12,
  ];

  it("hold every rule of the build's table, compiled to functions that give the same outcomes", async () => {
    expect(Object.keys(table).length).toBeGreaterThan(100);
    const bundled = await bundledModule(table);
    for (const [expression, body] of Object.entries(table)) {
      const fromBundle = bundled.precompiledRule(expression);
      const fromTable = precompiledRule(expression);
      if (body === null) {
        expect(fromBundle).toBeNull();
        expect(fromTable).toBeNull();
        continue;
      }
      expect(fromBundle, expression).toBeTypeOf("function");
      for (const self of samples) expect(outcome(fromBundle!, self), expression).toEqual(outcome(ruleFromBody(body), self));
    }
  });

  it("answer undefined for a rule that is not built in, as the table does", async () => {
    const bundled = await bundledModule(table);
    expect(bundled.precompiledRule("self.size() > 1")).toBeUndefined();
    expect(precompiledRule("self.size() > 1")).toBeUndefined();
    expect(bundled.precompiledRule("constructor")).toBeUndefined();
    expect(precompiledRule("constructor")).toBeUndefined();
  });
});
