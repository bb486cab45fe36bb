/**
 * Small or legal inputs that used to crash or exhaust the machine: each must end with a proper exit code, no
 * internal error, within 500 MB of memory (the process's peak RSS, recorded at exit). Their speed is measured by the
 * bench, not here: a loaded machine must not fail the suite.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { meshBin } from "./run-mesh.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mesh-hostile-"));
  writeFileSync(
    join(dir, "rss.mjs"),
    `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(process.env.MESH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n`,
  );
});

function crd(spec: Record<string, unknown>) {
  return JSON.stringify({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec } } } }],
    },
  });
}

const widget = (value: unknown) =>
  `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: default\nspec:\n  value: ${JSON.stringify(value)}\n`;

const virtualService = (hosts: string[]) =>
  `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\n  namespace: default\nspec:\n  hosts:\n${hosts.map((host) => `  - ${host}\n`).join("")}  http:\n  - route:\n    - destination:\n        host: a\n`;

interface Case {
  name: string;
  files: Record<string, string>;
  args: string[];
  exitCode: number;
  /** In the findings (stdout) or messages (stderr). */
  expected: RegExp;
}

const cases: Case[] = [
  {
    name: "a VirtualService repeating one host 1,000 times (15 KB)",
    files: { "vs.yaml": virtualService(Array(1000).fill("a.example.com")) },
    args: ["validate", "vs.yaml"],
    exitCode: 1,
    expected: /spec\.hosts\[999\]: duplicate hosts in virtual service: a\.example\.com & a\.example\.com/,
  },
  {
    name: "a VirtualService with 100,000 distinct hosts and wildcards",
    files: {
      "vs.yaml": virtualService(
        Array.from({ length: 100_000 }, (_, index) =>
          index % 10 === 0 ? `"*.d${index}.example.com"` : `h${index}.d${index - (index % 10)}.example.com`,
        ),
      ),
    },
    args: ["validate", "vs.yaml"],
    exitCode: 1,
    expected: /duplicate hosts in virtual service: \*\.d0\.example\.com & h1\.d0\.example\.com/,
  },
  {
    name: "a CRD pattern that backtracks catastrophically (^(a+)+$)",
    files: {
      "crd.json": crd({ type: "object", properties: { value: { type: "string", pattern: "^(a+)+$" } } }),
      "w.yaml": widget(`${"a".repeat(5000)}!`),
    },
    args: ["validate", "--crds", "crd.json", "w.yaml"],
    exitCode: 1,
    expected: /should match '\^\(a\+\)\+\$'/,
  },
  {
    name: "a CRD pattern RE2 rejects (backreference)",
    files: { "crd.json": crd({ type: "object", properties: { value: { type: "string", pattern: "^(a)\\1$" } } }), "w.yaml": widget("aa") },
    args: ["validate", "--crds", "crd.json", "w.yaml"],
    exitCode: 1,
    expected: /invalid escape sequence/,
  },
  {
    name: "a CEL rule nested 5,000 parentheses deep",
    files: {
      "crd.json": crd({
        type: "object",
        properties: { value: { type: "string" } },
        "x-kubernetes-validations": [{ rule: `${"(".repeat(5000)}self.value == 'a'${")".repeat(5000)}` }],
      }),
      "w.yaml": widget("a"),
    },
    args: ["validate", "--crds", "crd.json", "w.yaml"],
    exitCode: 1,
    expected: /expression recursion limit exceeded: 250/,
  },
  {
    name: "a CEL rule with quadratic list membership (x in list inside all() over the same 5,000-item list)",
    files: {
      "crd.json": crd({
        type: "object",
        properties: { value: { type: "array", items: { type: "string" } } },
        "x-kubernetes-validations": [{ rule: "self.value.all(x, x in self.value)" }],
      }),
      "w.yaml": widget(Array.from({ length: 5000 }, (_, index) => `v${index}`)),
    },
    args: ["validate", "--crds", "crd.json", "w.yaml"],
    exitCode: 1,
    expected: /cost limit exceeded/,
  },
  {
    name: "CEL matches() with a catastrophic pattern",
    files: {
      "crd.json": crd({
        type: "object",
        properties: { value: { type: "string" } },
        "x-kubernetes-validations": [{ rule: "self.value.matches('^(a|aa)+$')" }],
      }),
      "w.yaml": widget(`${"a".repeat(5000)}!`),
    },
    args: ["validate", "--crds", "crd.json", "w.yaml"],
    exitCode: 1,
    expected: /failed rule: self\.value\.matches/,
  },
];

describe("hostile but legal inputs", () => {
  it.each(cases)(
    "$name",
    async ({ files, args, exitCode, expected }) => {
      const caseDir = mkdtempSync(join(dir, "case-"));
      for (const [name, content] of Object.entries(files)) writeFileSync(join(caseDir, name), content);
      const rssFile = join(caseDir, "rss");
      const result = await execa(process.execPath, ["--import", join(dir, "rss.mjs"), meshBin, ...args], {
        cwd: caseDir,
        reject: false,
        env: { NO_COLOR: "1", MESH_RSS_FILE: rssFile },
        // A hang guard, not a speed check: these inputs took minutes or never finished before they were bounded.
        timeout: 120_000,
      });
      const output = `${String(result.stdout)}\n${String(result.stderr)}`;
      expect(output).not.toMatch(/internal error|Maximum call stack/);
      expect(output).toMatch(expected);
      expect(result.exitCode).toBe(exitCode);
      expect(Number(readFileSync(rssFile, "utf8")) / 1024).toBeLessThan(500);
    },
    150_000,
  );
});
