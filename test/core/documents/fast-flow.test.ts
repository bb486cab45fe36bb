import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fastLocator, parseFast } from "../../../src/core/documents/fast-parse.js";
import { defaultReadLimits, type ReadLimits } from "../../../src/core/documents/limits.js";
import { parseManifestText, parseWithFullReader, type ParsedFile } from "../../../src/core/documents/parse.js";
import type { FieldPath } from "../../../src/core/findings.js";
import { seededRandom } from "../../support/seeded-random.js";

// The fast reader must be invisible: whatever it accepts reads exactly as the `yaml` package path
// (`parseWithFullReader`) reads it — values, key order, findings, document positions and every field's position.

/** Values with key order, NaN and -0 made comparable by `toEqual`. */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return { array: value.map(ordered) };
  if (typeof value === "object" && value !== null) return { map: Object.entries(value).map(([key, item]) => [key, ordered(item)]) };
  if (typeof value === "number") return { number: Object.is(value, -0) ? "-0" : String(value) };
  return value;
}

/** Every field path in a value, plus one missing child per collection (which resolves to its parent). */
function allPaths(value: unknown, prefix: FieldPath = []): FieldPath[] {
  const paths: FieldPath[] = [prefix];
  if (Array.isArray(value)) {
    value.forEach((item, index) => paths.push(...allPaths(item, [...prefix, index])));
    paths.push([...prefix, value.length]);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...allPaths(item, [...prefix, key]));
    paths.push([...prefix, "no-such-field"]);
  }
  return paths;
}

function summary(parsed: ParsedFile): unknown {
  return {
    findings: parsed.findings,
    documents: parsed.documents.map((document) => ({
      index: document.index,
      line: document.line,
      column: document.column,
      identity: document.identity,
      basePath: document.basePath,
      object: ordered(document.object),
      positions: allPaths(document.object).map((fieldPath) => [fieldPath, document.locate(fieldPath)]),
    })),
  };
}

/** Asserts that `parseManifestText` (fast path first) and `parseWithFullReader` agree; returns whether the fast path took the text. */
function expectSameAsYaml(text: string, limits: ReadLimits = defaultReadLimits): boolean {
  expect(summary(parseManifestText(text, "in.yaml", limits)), text).toEqual(summary(parseWithFullReader(text, "in.yaml", limits)));
  return parseFast(text, limits.maxDepth) !== undefined;
}

const accepted: [string, string][] = [
  ["flow mapping of plain scalars", "port: {number: 80, name: http, protocol: HTTP}\n"],
  ["flow sequence of quoted and plain scalars", "hosts: [\"./a.example.com\", b, 'c']\n"],
  ["nested flow mappings", 'headers: {x-canary: {exact: "true"}}\n'],
  ["nested mapping with numbers", "route: {destination: {host: api-v2, port: {number: 8080}}}\n"],
  ["colons without a following space stay in the scalar", "a: [001:db8::1, a:b, http://x.example/y, 1:20]\nb: {url: http://x/y:8080}\n"],
  ["YAML 1.1 scalars in a flow mapping", "a: {b: on, c: 0755, d: '0755', e: 1:20}\n"],
  [
    "YAML 1.1 scalars",
    "a: [yes, No, on, OFF, ~, null, 0755, 0x1F, 1_000, 1.5, 0o17, 0X1F, -_1, 1e1_0, 1e400, ., ._, 0b101, 1e3, +1, -1, 2001-12-14]\n",
  ],
  ["quoted scalars with commas, brackets and escapes", 'a: ["x, y", "]", \'{\', "tab\\there", "\\u00e9", \'it\'\'s\']\n'],
  ["empty collections", "a: {}\nb: []\nc: [{}, [], {d: []}]\n"],
  ["trailing commas", "a: [b, c,]\nd: {e: 1, f: 2,}\n"],
  ["spaces around tokens", "a: [ b ,c , d ]\ne: { f : 1 , g: [ ] }\n"],
  ["multi-word plain scalars", "a: [hello world, {k: two words}]\n"],
  ["plain scalars with #, ' and \" inside", 'a: [a#b, it\'s, say"hi"]\n'],
  ["dash-led plain scalars", "a: [-a, -1, ---]\n"],
  ["comment after the collection", "a: [b, c] # comment\n"],
  ["multi-line flow sequence", "a: [b,\n  c,\n  d]\n"],
  ["multi-line flow mapping with a trailing comma", "a: {\n  b: 1,\n  c: [x, y],\n  }\n"],
  ["multi-line with comments and blank lines", "a: [b, # first\n\n  # own line\n  c]\n"],
  ["value on the line after its key", "a: {b:\n    c}\n"],
  ["flow collections in block sequences", "a:\n- [b,\n  c]\n- {d: 1}\n- e: [f]\n  g: {h: i}\n"],
  ["compact nested mapping with a multi-line value", "list:\n  - name: x\n    hosts: [a,\n      b]\n    port: 1\n"],
  ["quoted keys", "a: {\"quoted key\": 1, 'single': 2}\n"],
  ["several documents", "a: {b: 1}\n---\nc: [d]\n---\n# empty\n---\ne: {f: [g, {h: i}]}\n"],
  [
    "a kind: List with flow items",
    "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}, data: {k: v}}\n",
  ],
];

const fallback: [string, string][] = [
  ["duplicate keys", "a: {b: 1, b: 2}\n"],
  ["plain scalar ending in a colon (go-yaml keeps it whole)", "a: [001:db8::]\n"],
  ["implicit single-pair mapping in a sequence", "a: [b: c]\n"],
  ["key without a space after the colon", "a: {b:c}\n"],
  ["JSON-style key", 'a: {"b":1}\n'],
  ["empty value", "a: {b: , c: 1}\n"],
  ["empty value at the end", "a: {b:}\n"],
  ["non-string key", "a: {1: b}\n"],
  ["merge key", "a: {<<: {b: 1}}\n"],
  ["anchor", "a: [&x b, c]\n"],
  ["alias", "a: [*x]\n"],
  ["tag", "a: [!!str 1]\n"],
  ["explicit key", "a: {? b : c}\n"],
  ["multi-line plain scalar", "a: [b\n  c]\n"],
  ["multi-line quoted scalar", 'a: ["b\n  c"]\n'],
  ["continuation not indented deeper than the key", "a:\n  b: [c,\n  d]\n"],
  ["closing bracket at the key's indentation", "a: [b,\n]\n"],
  ["missing comma", 'a: ["b" c]\n'],
  ["two commas", "a: [b,, c]\n"],
  ["unclosed collection", "a: [b, c\n"],
  ["extra closing bracket", "a: [b]]\n"],
  ["comment not separated by a space", "a: [b,#c\n  d]\n"],
  ["text after the collection", "a: [b] c\n"],
  ["flow collection as a key", "a: {[b]: c}\n"],
  ["block sequence inside a flow collection", "a: [- b]\n"],
  ["colon-led plain scalar", "a: [:b]\n"],
  ["flow collection as the document root", "[a, b]\n"],
];

describe("fast reader: flow collections", () => {
  it.each(accepted)("reads %s on the fast path, exactly as the full reader does", (_name, text) => {
    expect(expectSameAsYaml(text)).toBe(true);
    // Positions, too, come from the fast reader rather than from the full reader.
    for (const document of parseFast(text, defaultReadLimits.maxDepth)!) expect(fastLocator(document)).toBeDefined();
  });

  it("asks the full reader for positions when a list item is empty", () => {
    const [document] = parseFast("a:\n-\n- b\n", defaultReadLimits.maxDepth)!;
    expect(fastLocator(document!)).toBeUndefined();
    expectSameAsYaml("a:\n-\n- b\n");
  });

  it.each(fallback)("leaves %s to the full reader", (_name, text) => {
    expect(parseFast(text, defaultReadLimits.maxDepth)).toBeUndefined();
    expectSameAsYaml(text);
  });

  it("keeps a nested flow collection's depth in line with the full reader's depth limit", () => {
    const limits = { ...defaultReadLimits, maxDepth: 3 };
    for (const text of [
      "a: {b: [c]}\n",
      "a: {b: [[c]]}\n",
      "a:\n  b: [c]\n",
      "a:\n  b: [[c]]\n",
      "a:\n  b:\n    c: 1\n",
      "a:\n- [b]\n",
      "a:\n- - [b]\n",
    ]) {
      expectSameAsYaml(text, limits);
    }
    expect(parseFast("a: {b: [[c]]}\n", 3)).toBeUndefined();
    expect(parseFast("a: {b: [c]}\n", 3)).toBeDefined();
  });
});

function yamlFilesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const file = path.join(directory, name);
    if (statSync(file).isDirectory()) return yamlFilesUnder(file);
    return /\.ya?ml$/.test(name) ? [file] : [];
  });
}

describe("fast reader: the project's YAML fixtures and golden files", () => {
  const files = ["test/fixtures", "test/golden"].flatMap(yamlFilesUnder);
  it("finds the files", () => expect(files.length).toBeGreaterThan(20));
  it.each(files)("reads %s as the full reader does", (file) => {
    expectSameAsYaml(readFileSync(file, "utf8"));
  });
});

// Generated documents: random flow collections in random layouts, then random small edits, so that both
// what the fast path accepts and where it gives up are exercised. Seeded, so failures reproduce.

// Scalars and keys the fast path reads, and ones it leaves to the full reader (or that break the document).
const plainScalars = [
  "a",
  "http",
  "HTTP",
  "80",
  "0755",
  "0x1F",
  "1_000",
  "1.5",
  "1.5s",
  ".inf",
  "-.inf",
  ".nan",
  "yes",
  "No",
  "on",
  "~",
  "null",
  "true",
  "1:20",
  "2001-12-14",
  "001:db8::1",
  "a:b",
  "http://x.y/z",
  "-1",
  "-a",
  "a b",
  "x-canary",
  "/api/",
  "./app.example.com",
  "a#b",
  "a'b",
  'a"b',
  "~x",
  "=",
  "e",
  "1e3",
  "+1",
  "0b101",
  "a%b",
  "a!b",
  "a&b",
  "---",
  "a-",
  "0o17",
  "Y",
  "n",
];
const quotedScalars = [
  '"x, y"',
  '"true"',
  '"a\\"b"',
  '"\\u00e9\\n"',
  "'it''s'",
  "''",
  '""',
  "'a: b'",
  '"#x"',
  '"80"',
  "'''a'''",
  '"a\\\\"',
  '"a\\\\\\"b"',
];
const keys = ["a", "name", "number", "x-canary", "host", '"quoted key"', "'k'", "a b", "url", "a:b", "port", "match"];
const wildScalars = ["001:db8::", "a:", "*.example.com", "?x", ":x", "@x", "-", "1,5", "a]b", "&x y", "!!str 1", "*x", "a: b"];
const wildKeys = ["1", "true", "<<", "__proto__", "a", "? a", "[a]", "", "a:", '"k":'];

function generator(next: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const wildness = next() < 0.5 ? 0.15 : 0.005;
  const scalar = () => (next() < wildness ? pick(wildScalars) : next() < 0.75 ? pick(plainScalars) : pick(quotedScalars));
  const key = () => (next() < wildness ? pick(wildKeys) : pick(keys));
  const node = (depth: number): string => {
    const roll = next();
    if (depth > 3 || roll < 0.45) return scalar();
    const count = Math.floor(next() * 4);
    const parts = Array.from({ length: count }, () => (roll < 0.7 ? node(depth + 1) : `${key()}: ${node(depth + 1)}`));
    return roll < 0.7 ? `[${join(parts)}]` : `{${join(parts)}}`;
  };
  // Separators with random spacing, line breaks (at random indentation), comments and trailing commas.
  // Continuation lines deeper than every block key above them, now and then not (which the fast path refuses).
  const lineBreak = () => `\n${" ".repeat(next() < 0.9 ? 5 + Math.floor(next() * 4) : Math.floor(next() * 5))}`;
  const join = (parts: string[]): string => {
    const separator = () => {
      const roll = next();
      if (roll < 0.6) return ", ";
      if (roll < 0.7) return ",";
      if (roll < 0.75) return " , ";
      if (roll < 0.85) return `,${lineBreak()}`;
      return `, # note${lineBreak()}`;
    };
    let out = parts.map((part, index) => (index === 0 ? part : separator() + part)).join("");
    if (parts.length > 0 && next() < 0.2) out += ",";
    if (next() < 0.1) out += lineBreak();
    return out;
  };
  return { node, pick, key };
}

function generatedDocument(next: () => number): string {
  const { node, pick, key } = generator(next);
  const flow = () => {
    const value = node(0);
    return value.startsWith("[") || value.startsWith("{") ? value : `[${value}]`;
  };
  return `apiVersion: v1
kind: ${pick(["ConfigMap", "Gateway"])}
metadata:
  name: n
  labels: ${flow()}
spec:
  ${key()}: ${flow()}
  list:
  - ${flow()}
  - key: ${flow()}
    other: ${flow()}
`;
}

/** A random small edit: delete, duplicate or insert a YAML-significant character somewhere. */
function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * text.length);
  const roll = next();
  if (roll < 0.3) return text.slice(0, at) + text.slice(at + 1);
  if (roll < 0.5) return text.slice(0, at) + text[at] + text.slice(at);
  const inserted = [":", ",", " ", "#", "\n", "\n  ", "]", "}", "[", "{", '"', "'", "-", "&a ", "*a", "!!str ", "? "][
    Math.floor(next() * 17)
  ]!;
  return text.slice(0, at) + inserted + text.slice(at);
}

describe("fast reader: generated flow documents", () => {
  it("reads 1,500 generated documents exactly as the full reader does", () => {
    const next = seededRandom(20261126);
    let fast = 0;
    for (let i = 0; i < 1500; i++) if (expectSameAsYaml(generatedDocument(next))) fast++;
    // Some generated scalars, keys and layouts are ones the fast path refuses; over a third of the documents take it.
    expect(fast).toBeGreaterThan(400);
  });

  it("reads 3,000 randomly edited documents exactly as the full reader does", () => {
    const next = seededRandom(7);
    let fast = 0;
    for (let i = 0; i < 3000; i++) {
      let text = generatedDocument(next);
      const edits = 1 + Math.floor(next() * 3);
      for (let edit = 0; edit < edits; edit++) text = mutate(text, next);
      if (expectSameAsYaml(text)) fast++;
    }
    expect(fast).toBeGreaterThan(250);
    // 3,000 parses with both readers: minutes, not seconds, on a loaded two-core machine.
  }, 180_000);

  it("reads documents under a small depth limit exactly as the full reader does", () => {
    const next = seededRandom(42);
    for (let i = 0; i < 500; i++) expectSameAsYaml(generatedDocument(next), { ...defaultReadLimits, maxDepth: 2 + Math.floor(next() * 4) });
  });
});
