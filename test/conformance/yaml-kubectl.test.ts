// Conformance of mesh's YAML reader with kubectl's: every input is read by mesh (src/core/documents) and by
// the Go program in ./yaml-harness, which uses sigs.k8s.io/yaml (go-yaml v2, then JSON) after kubectl's
// line-based document split. mesh must produce the same JSON wherever kubectl accepts a stream and an error
// wherever kubectl rejects it. mesh refuses two things kubectl accepts, by design: repeated keys (the API
// server's strict field validation rejects them) and integers beyond ±2^53 (a JavaScript number cannot hold
// them exactly). Without Go and Debian's golang-gopkg-yaml.v2-dev and golang-k8s-sigs-yaml-dev this file is
// skipped with a warning.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseManifestText } from "../../src/core/documents/parse.js";
import { buildHarness, harnessUnavailable, readAsKubectl } from "./yaml-harness/harness.js";
import { numberLikeScalars } from "../support/number-like-scalars.js";

const unavailable = await harnessUnavailable();
if (unavailable) console.warn(`\n!!! SKIPPING YAML conformance with kubectl: ${unavailable}.\n`);

const listed = [
  ...[...numberLikeScalars, ".inf", "-.Inf", ".nan", "08", "0o"].map((scalar) => `a: ${scalar}\n`),
  "exportTo: [foo, .]\n",
  "1.5: a\n1e20: a\n0.1: a\n123456789.0: a\n1e6: a\n0.00001: a\n-0.0: a\n.inf: a\nyes: a\n0x10: a\n",
  "~: a\n",
  "[a]: b\n",
  "a: !!int abc\n",
  "a: !!float 1\n",
  "a: !!binary aGVsbG8=\n",
  "a: !!set {x, y}\n",
  "a: !!omap [a: 1, b: 2]\n",
  "a: [http://x/?q=1]\n",
  "a: [::1, a]\n",
  "a: {addr: 001:db8::}\n",
  "a: {a:}\n",
  "a: [-]\n",
  'a: "a"# c\n',
  "a: b\u0085c: d\n",
  "a: b\u2028c\n",
  "a: b\rc: d\r",
  "a: b\u0001\n",
  "--- {a: 1}\n",
  "%YAML 1.1\n---\na: 1\n",
  "a: 1\n...\nb: 2\n",
  "a: 1\n---\n\ufeffb: 2\n",
  "b: &b {a: 1}\nc:\n  a: 9\n  <<: *b\n",
  "a: *x\n",
  `${"k".repeat(1100)}: v\n`,
  `${"k".repeat(1024)}: v\n`,
  `a: {${"k".repeat(1100)}: v}\n`,
  '{"apiVersion": "v1", "kind": "ConfigMap", "data": {"url": "http:\\/\\/x"}}\n',
  '{"a": 1}\n{"b": [2, 3]}\n',
  '{"a": 1}\n---\n{"b": 2}\n',
  "{a: 1}\n",
  '  {"a": 1e400}\n',
  '{"a": 1, "a": 2}\n',
];

const seeds = [
  ...readdirSync("test/fixtures/validate")
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => readFileSync(path.join("test/fixtures/validate", name), "utf8")),
  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  labels: {app: web, tier: \"front\"}\ndata:\n  key: value\n  list: [a, 'b', 1, yes]\n",
  "a:\n  - b: 1\n    c: [x, y]\n  - d\n  -\n    e: |\n      text\n      more\n    f: >-\n      folded\n      line\n",
  "anchors:\n  base: &b {a: 1, b: 2}\n  derived:\n    <<: *b\n    c: 3\n  list: [*b, &x 5, *x]\n",
  "? complex\n: value\n'quoted key': \"dq \\t \\u00e9\"\nplain: multi\n  line\n# comment\nnum: 0x1F\nf: 1.5e3\nn: ~\n",
  "- [a, b]\n- {c: d}\n- \"x\"\n- 'y'\n- !!str 1\n- &a z\n- *a\n- ? k\n  : v\n",
  "a: b\n---\nc: d\n...\n---\ne: [f, {g: h}]\n",
  '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {"name": "s", "labels": {"app": "web"}},\n  "spec": {"ports": [{"port": 80, "name": "http"}], "note": "a\\/b \\u00e9"}\n}\n',
];

const insertions = [
  ":",
  "-",
  "?",
  ",",
  "[",
  "]",
  "{",
  "}",
  "#",
  "&",
  "*",
  "!",
  "|",
  ">",
  "'",
  '"',
  "%",
  "@",
  "`",
  " ",
  "\t",
  "\n",
  "\r",
  "\r\n",
].concat([
  "\u0085",
  "\u2028",
  "\ufeff",
  "\u00a0",
  "a",
  "1",
  "0",
  ".",
  "_",
  "e",
  "x",
  "~",
  "\\",
  "<<",
  "---",
  "...",
  "\n  ",
  "\n- ",
  ": ",
  " #",
]);

/** Seeded edits of the seeds: inserted, deleted and replaced characters that matter to YAML. */
function mutations(count: number, seed: number): string[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = pick(seeds);
    for (let edit = 0, edits = 1 + Math.floor(random() * 3); edit < edits; edit++) {
      const at = Math.floor(random() * (text.length + 1));
      const choice = random();
      if (choice < 0.6) text = text.slice(0, at) + pick(insertions) + text.slice(at);
      else if (choice < 0.85) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
      else text = text.slice(0, at) + pick(insertions) + text.slice(at + 1);
    }
    out.push(text);
  }
  return out;
}

/** JSON with sorted keys (Go's order) and -0 kept, to compare values exactly. */
function canonical(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

const intendedRefusals = /already defined|beyond ±2\^53/;

describe.skipIf(unavailable !== undefined)("YAML read exactly as kubectl reads it (sigs.k8s.io/yaml, go-yaml v2)", () => {
  let binary = "";
  beforeAll(async () => {
    binary = await buildHarness();
  });

  it.each([
    ["the listed differences", () => listed],
    ["4,000 seeded edits of manifests", () => mutations(4000, 20251207)],
  ])("agrees with kubectl on %s", async (_name, corpus) => {
    const texts = corpus();
    const kubectl = await readAsKubectl(binary, texts);
    const disagreements: string[] = [];
    let accepted = 0;
    let refusedByDesign = 0;
    texts.forEach((text, index) => {
      const expected = kubectl[index]!;
      const parsed = parseManifestText(text, "in.yaml");
      const errors = parsed.findings.filter((finding) => finding.severity === "error");
      if (expected.error !== undefined) {
        if (errors.length === 0) disagreements.push(`${JSON.stringify(text)}: kubectl rejects (${expected.error}), mesh accepts`);
        return;
      }
      if (errors.length > 0) {
        if (errors.every((finding) => intendedRefusals.test(finding.message))) refusedByDesign++;
        else
          disagreements.push(
            `${JSON.stringify(text)}: kubectl accepts, mesh says ${errors[0]!.line}:${errors[0]!.column} ${errors[0]!.message}`,
          );
        return;
      }
      if (parsed.documents.some((document) => document.basePath.length > 0)) return;
      const mine = parsed.documents.map((document) => canonical(document.object));
      const theirs = expected.documents.map((json) => canonical(JSON.parse(json)));
      if (JSON.stringify(mine) !== JSON.stringify(theirs))
        disagreements.push(`${JSON.stringify(text)}: kubectl ${theirs.join(" | ")}, mesh ${mine.join(" | ")}`);
      else accepted++;
    });
    expect(disagreements).toEqual([]);
    expect(accepted).toBeGreaterThan(texts.length / 10);
    expect(refusedByDesign).toBeLessThan(texts.length / 10);
  });
});
