import { describe, expect, it } from "vitest";
import { parseFast } from "../../../src/core/documents/fast-parse.js";
import { parseManifestText, parseWithFullReader } from "../../../src/core/documents/parse.js";
import { defaultReadLimits } from "../../../src/core/documents/limits.js";
import { validateDocuments } from "../../../src/core/validate/index.js";
import { fixtureText, widgetCrds } from "./widget-fixture.js";
import { numberLikeScalars } from "../../support/number-like-scalars.js";

// Plain scalars whose reading differs between YAML 1.1 (kubectl, go-yaml v2) and 1.2 or between parsers.
const scalars = [
  "on",
  "On",
  "ON",
  "off",
  "yes",
  "Yes",
  "no",
  "NO",
  "y",
  "n",
  "Y",
  "true",
  "False",
  "~",
  "null",
  "Null",
  "0755",
  "0o17",
  "0x1F",
  "0b101",
  "1_000",
  "+12",
  "-0",
  "007",
  "08",
  "1e3",
  "1.5e-3",
  ".5",
  "5.",
  ...numberLikeScalars,
  ".5_0",
  "2024-01-02",
  "2024-01-02T10:00:00Z",
  "1:20",
  "190:20:30",
  "12:30:45.5",
  "2001:db8::1",
  "10.0.0.1",
  "1.2.3",
  "v1",
  "a b  c",
  "foo#bar",
  "100%",
  "'quoted'",
  '"dq\\u00e9\\n"',
  "'it''s'",
  "-1",
  "-a",
  "'*.example.com'",
];

function zoo(): string {
  const lines = ["apiVersion: test.mesh.dev/v1", "kind: Zoo", "metadata:", "  name: zoo", "values:"];
  for (const scalar of scalars) lines.push(`  - ${scalar}`);
  lines.push("map:");
  scalars.forEach((scalar, index) => lines.push(`  key${index}: ${scalar}  # comment`));
  lines.push(
    "flow: [a, 'b', \"c\", 1, 0755, yes, [], {}]",
    "flowMap: {'a': 1, 'b': 'on'}",
    "empty:",
    "nested:",
    "- - x",
    "  - y",
    "- k: v",
    "  j:",
    "  - 1",
  );
  return `${lines.join("\n")}\n`;
}

const samePath = (text: string) => {
  const fast = parseFast(text, defaultReadLimits.maxDepth);
  const slow = parseWithFullReader(text, "f.yaml", defaultReadLimits);
  return { fast, slow };
};

describe("the fast parse path reads YAML exactly as the full reader (kubectl's go-yaml v2)", () => {
  it("gives identical values for the scalar zoo", () => {
    const { fast, slow } = samePath(zoo());
    expect(fast).toBeDefined();
    expect(fast!.map((document) => document.value)).toEqual(slow.documents.map((document) => document.object));
  });

  it.each([
    ["a flow sequence with colons", "a: [001:db8::]\n"],
    ["an anchor", "a: &x 1\nb: *x\n"],
    ["a block scalar", "a: |\n  text\n"],
    ["a multi-line plain scalar", "a: one\n  two\n"],
    ["a non-string key", "on: 1\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
    ["a merge key", "a: {x: 1}\nb:\n  <<: {y: 2}\n"],
    ["a tab", "a:\t1\n"],
    ["a document end marker", "a: 1\n...\n"],
    ["a scalar starting with a colon", "a: ::1\n"],
    ["an infinity (kubectl cannot write it as JSON)", "a: .inf\n"],
    ["a NaN", "a: .nan\n"],
    ["an integer beyond 2^53", "a: 9007199254740993\n"],
    ["a key longer than 1,024 characters", `${"k".repeat(1100)}: v\n`],
    ["a flow key longer than 1,024 characters", `a: {${"k".repeat(1100)}: v}\n`],
    ["a question mark in a flow scalar", "a: [http://x/?q=1]\n"],
    ["an escaped slash (go-yaml knows no \\/)", 'a: "\\/"\n'],
    ["a byte order mark inside the file", "a: 1\n---\n\ufeffb: 2\n"],
    ["a next-line character", "a: b\u0085c: d\n"],
    ["a reserved indicator", "a: @x\n"],
    ["an unquoted wildcard (an alias to the full parser)", "a: *.example.com\n"],
    ["a flow mapping with a JSON-style key (no space after the colon)", 'a: {"b":1}\n'],
  ])("leaves %s to the full parser", (_name, text) => {
    expect(parseFast(text, defaultReadLimits.maxDepth)).toBeUndefined();
  });

  it.each([
    ["a: [001:db8::]\n", { a: ["001:db8::"] }],
    ["a: [x, 001:db8::, y]\n", { a: ["x", "001:db8::", true] }],
    ["a: [key:]\n", { a: ["key:"] }],
    ["a: [k: v]\n", { a: [{ k: "v" }] }],
    ["a: [2001:db8::1, 10.0.0.1]\n", { a: ["2001:db8::1", "10.0.0.1"] }],
  ])("reads the flow collection %j as go-yaml (kubectl) does", (text, expected) => {
    expect(parseManifestText(text, "f.yaml").documents[0]!.object).toEqual(expected);
  });

  it("numbers documents and positions them as the full parser does", () => {
    const text = "# head\n---\na: 1\n---\n---\n# only a comment\n---\n  b:\n    - c\n";
    const { fast, slow } = samePath(text);
    expect(fast!.map((document) => [document.index, document.line, document.column])).toEqual(
      slow.documents.map((document) => [document.index, document.line, document.column]),
    );
  });

  it("locates fields identically on both paths", () => {
    const text = fixtureText("valid-widget.yaml") + "---\n" + fixtureText("valid-widget.yaml");
    const fastDocuments = parseManifestText(text, "w.yaml").documents;
    const slowDocuments = parseWithFullReader(text, "w.yaml", defaultReadLimits).documents;
    for (const path of [
      ["spec", "ports", 0, "number"],
      ["metadata", "name"],
      ["spec", "extra", "anything", "goes"],
      ["spec", "missing"],
    ]) {
      expect(fastDocuments.map((document) => document.locate(path))).toEqual(slowDocuments.map((document) => document.locate(path)));
    }
  });

  it("gives the same verdicts and findings on both paths", () => {
    const broken = fixtureText("valid-widget.yaml")
      .replace("size: small", "size: huge")
      .replace("name: demo-widget", "name: Demo")
      .replace("number: 8080", "number: 0755");
    const text = `${fixtureText("valid-widget.yaml")}---\n${broken}`;
    const fastReport = validateDocuments(parseManifestText(text, "w.yaml").documents, { crds: widgetCrds });
    const slowReport = validateDocuments(parseWithFullReader(text, "w.yaml", defaultReadLimits).documents, { crds: widgetCrds });
    expect(fastReport.resources.flatMap((resource) => resource.findings).length).toBeGreaterThan(1);
    const withoutTimes = (report: typeof fastReport) => ({
      ...report,
      resources: report.resources.map(({ durationMs: _durationMs, ...resource }) => resource),
    });
    expect(withoutTimes(fastReport)).toEqual(withoutTimes(slowReport));
  });
});
