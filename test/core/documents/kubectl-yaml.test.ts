import { describe, expect, it } from "vitest";
import { parseManifestText, parseWithFullReader, type ParsedFile } from "../../../src/core/documents/parse.js";

// Each case is a difference the reader once had from kubectl (sigs.k8s.io/yaml: go-yaml v2, then JSON).
// Expected values are what kubectl produces; test/conformance/yaml-kubectl.test.ts checks them against go-yaml itself.

function read(text: string): ParsedFile {
  const fast = parseManifestText(text, "in.yaml");
  // The fast reader and the full reader must never disagree.
  expect(summary(fast)).toEqual(summary(parseWithFullReader(text, "in.yaml")));
  return fast;
}

function summary(parsed: ParsedFile) {
  return {
    objects: parsed.documents.map((document) => document.object),
    findings: parsed.findings.map((finding) => `${finding.line}:${finding.column} ${finding.code}`),
  };
}

function value(text: string): unknown {
  const parsed = read(text);
  expect(parsed.findings).toEqual([]);
  return parsed.documents[0]?.object;
}

function rejection(text: string) {
  const parsed = read(text);
  expect(parsed.documents).toEqual([]);
  expect(parsed.findings).toHaveLength(1);
  return parsed.findings[0]!;
}

describe("plain scalars as go-yaml v2 types them", () => {
  it.each([".", "-.", "+.", "._", "e3", ".e3", "0x_", "1e400", "0o", "0x1ffffffffffffffff", ".iNf"])(
    "keeps the junk %j a string",
    (text) => {
      expect(value(`a: ${text}\n`)).toEqual({ a: text });
    },
  );

  it("keeps exportTo: [foo, .] (Istio's own valid ServiceEntry test data) a list of strings", () => {
    expect(value("exportTo: [foo, .]\n")).toEqual({ exportTo: ["foo", "."] });
  });

  it.each([
    ["0o755", 493],
    ["0X1F", 31],
    ["0B101", 5],
    ["-_1", -1],
    ["0o1_7", 15],
    ["+0x10", 16],
    ["08", 8],
    ["1e1_0", 10_000_000_000],
    ["1e+_3", 1000],
    [".5_0", 0.5],
    ["18446744073709551616", 18446744073709551616],
  ])("reads %s as Go does", (text, expected) => {
    expect(value(`a: ${text}\n`)).toEqual({ a: expected });
  });

  it.each(["9007199254740993", "9223372036854775807", "-9223372036854775808", "18446744073709551615"])(
    "refuses the integer %s beyond 2^53 instead of rounding it",
    (text) => {
      expect(rejection(`a: ${text}\n`)).toMatchObject({ code: "yaml-value", line: 1, column: 4, message: expect.stringContaining("2^53") });
    },
  );

  it.each([".inf", "-.Inf", "+.INF", ".nan", ".NaN"])("fails the document for %s, which JSON cannot hold", (text) => {
    expect(rejection(`metadata:\n  x: ${text}\n`)).toMatchObject({
      code: "yaml-value",
      line: 2,
      column: 6,
      message: expect.stringContaining("JSON"),
    });
  });
});

describe("keys as sigs.k8s.io/yaml writes them", () => {
  it.each([
    ["1e20: a\n", "1e+20"],
    ["1.5: a\n", "1.5"],
    ["0.1: a\n", "0.1"],
    ["123456789.0: a\n", "1.2345679e+08"],
    ["3.14159265358979: a\n", "3.1415927"],
    ["1e6: a\n", "1e+06"],
    ["0.00001: a\n", "1e-05"],
    ["-0.0: a\n", "-0"],
    [".inf: a\n", ".inf"],
    ["yes: a\n", "true"],
    ["0x10: a\n", "16"],
    ["9223372036854775807: a\n", "9223372036854775807"],
    ["1e400: a\n", "1e400"],
  ])("%j has the key %j", (text, key) => {
    expect(value(text)).toEqual({ [key]: "a" });
  });

  it.each([
    ["~: a\n", "null key"],
    ["[a]: b\n", "invalid map key"],
    ["? {a: 1}\n: b\n", "invalid map key"],
    ["18446744073709551615: a\n", "too large"],
  ])("rejects %j", (text, message) => {
    expect(rejection(text)).toMatchObject({ code: "yaml-value", message: expect.stringContaining(message) });
  });

  it("rejects a repeated key, naming it, also when two spellings make the same JSON name", () => {
    expect(rejection("metadata:\n  name: a\n  name: b\n")).toMatchObject({
      code: "duplicate-key",
      line: 3,
      column: 3,
      message: expect.stringContaining('"name"'),
    });
    expect(rejection('1: a\n"1": b\n')).toMatchObject({ code: "duplicate-key", line: 2, message: expect.stringContaining('"1"') });
  });

  it("rejects a key whose colon is more than 1,024 characters away, on both readers", () => {
    expect(value(`${"k".repeat(1020)}: v\n`)).toEqual({ ["k".repeat(1020)]: "v" });
    expect(rejection(`${"k".repeat(1100)}: v\n`).code).toBe("yaml-syntax");
    expect(rejection(`a: {${"k".repeat(1100)}: v}\n`).code).toBe("yaml-syntax");
    expect(rejection(`"${"k".repeat(1100)}": v\n`).code).toBe("yaml-syntax");
  });
});

describe("explicit tags", () => {
  it.each([
    ["a: !!float 1\n", { a: 1 }],
    ["a: !!binary aGVsbG8=\n", { a: "hello" }],
    ["a: !!binary |\n  aGVs\n  bG8=\n", { a: "hello" }],
    ["a: !!set {x, y}\n", { a: { x: null, true: null } }],
    ["a: !!omap [a: 1, b: 2]\n", { a: [{ a: 1 }, { b: 2 }] }],
    ["a: !!str 1\n", { a: "1" }],
    ['a: !!int "1"\n', { a: 1 }],
    ["a: !foo x\n", { a: "x" }],
    ["a: !!timestamp 2001-01-01\n", { a: "2001-01-01" }],
  ])("reads %j", (text, expected) => {
    expect(value(text)).toEqual(expected);
  });

  it.each([
    ["a: !!int abc\n", "cannot decode !!str `abc` as a !!int"],
    ["a: !!float abc\n", "as a !!float"],
    ["a: !!bool 1\n", "cannot decode !!int `1` as a !!bool"],
    ["a: !!null x\n", "as a !!null"],
    ["a: !!int\n", "cannot decode !!null `` as a !!int"],
    ['a: !!binary "!!"\n', "invalid base64"],
  ])("rejects %j", (text, message) => {
    expect(rejection(text)).toMatchObject({ code: "yaml-value", line: 1, column: 4, message: expect.stringContaining(message) });
  });

  it("rejects an undefined tag handle", () => {
    expect(rejection("a: !e!x 1\n")).toMatchObject({ code: "yaml-syntax", message: expect.stringContaining("undefined tag handle") });
  });
});

describe("flow collections scanned as go-yaml scans them", () => {
  it.each([
    ["a: [http://x/?q=1]\n", 1, 14],
    ["a: [::1, a]\n", 1, 5],
    [": a\n", 1, 1],
    ["a: [a, b]: c\n", 1, 10],
  ])("rejects %j at %i:%i", (text, line, column) => {
    expect(rejection(text)).toMatchObject({ code: "yaml-syntax", line, column });
  });

  it.each([
    ["a: {addr: 001:db8::}\n", { a: { addr: "001:db8::" } }],
    ["a: {a:}\n", { a: { "a:": null } }],
    ["a: [001:db8::]\n", { a: ["001:db8::"] }],
    ["a: [-]\n", { a: ["-"] }],
    ['a: "a"# c\n', { a: "a" }],
    ["a: [b\nc]\n", { a: ["b c"] }],
    ["a: [a: 1, b]\n", { a: [{ a: 1 }, "b"] }],
  ])("reads %j", (text, expected) => {
    expect(value(text)).toEqual(expected);
  });
});

describe("line breaks and characters as go-yaml reads them", () => {
  it.each([
    ["NEL", "a: b\u0085c: d\n", { a: "b", c: "d" }],
    ["a lone CR", "a: b\rc: d\r", { a: "b", c: "d" }],
    ["CRLF", "a: 1\r\nb: 2\r\n", { a: 1, b: 2 }],
    ["a CR inside a quoted scalar", 'a: "x\ry"\n', { a: "x y" }],
    ["a no-break space, which is no blank", "a: b\u00a0\n", { a: "b\u00a0" }],
  ])("treats %s as go-yaml does", (_name, text, expected) => {
    expect(value(text)).toEqual(expected);
  });

  it("treats U+2028 as a line break (so a plain scalar ends there)", () => {
    expect(rejection("a: b\u2028c\n").code).toBe("yaml-syntax");
  });

  it.each(["a: b\u0001\n", "a: '\u0007'\n", "# \u0007\na: 1\n", "a: b\u007f\n", "a: b\u0080\n", "a: \ufffe\n"])(
    "refuses control characters (%j)",
    (text) => {
      expect(rejection(text)).toMatchObject({ code: "yaml-syntax", message: expect.stringContaining("control characters") });
    },
  );

  it("refuses the escape \\/ that go-yaml does not know, and accepts \\N, \\_, \\L, \\P", () => {
    expect(rejection('a: "\\/"\n').message).toContain("unknown escape");
    expect(value('a: "\\N\\_\\L\\P"\n')).toEqual({ a: "\u0085\u00a0\u2028\u2029" });
  });
});

describe("documents split as kubectl splits them", () => {
  it("reports content on a separator line at its position and reads the other documents", () => {
    const parsed = read("a: 1\n--- {b: 2}\nc: 3\n");
    expect(parsed.documents.map((document) => document.object)).toEqual([{ a: 1 }, { c: 3 }]);
    expect(parsed.findings).toEqual([
      expect.objectContaining({ code: "yaml-syntax", line: 2, column: 5, message: expect.stringContaining("separator") }),
    ]);
  });

  it.each(["---x\na: 1\n", "----\na: 1\n", "--- |\n  a\n"])("treats every line starting with --- as a separator (%j)", (text) => {
    expect(read(text).findings).toEqual([expect.objectContaining({ line: 1, message: expect.stringContaining("separator") })]);
  });

  it("accepts a comment right after the marker", () => {
    expect(read("a: 1\n---# next\nb: 2\n").documents.map((document) => document.object)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it.each(["%YAML 1.1\n---\na: 1\n", "%TAG !e! tag:e.com,2000:\n---\na: !e!x 1\n"])(
    "rejects directives (%j): kubectl's splitter leaves them alone",
    (text) => {
      expect(read(text).findings[0]).toMatchObject({ code: "yaml-syntax", line: 2, message: expect.stringContaining("document start") });
    },
  );

  it("drops what follows a document end marker, as yaml.Unmarshal reads one document", () => {
    expect(read("a: 1\n...\nb: 2\n").documents.map((document) => document.object)).toEqual([{ a: 1 }]);
    expect(read("a: 1\n...\n@ not yaml\n").findings).toEqual([]);
  });

  it("skips a byte order mark at the start of every document", () => {
    expect(read("a: 1\n---\n\ufeffb: 2\n").documents.map((document) => document.object)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("rejects a stream that is only a document end marker", () => {
    expect(rejection("...\n").code).toBe("yaml-syntax");
  });
});

describe("anchors, aliases and merge keys as go-yaml v2 applies them", () => {
  it("applies << in document order: a merge after a key overwrites it", () => {
    expect(value("b: &b {a: 1}\nc:\n  a: 9\n  <<: *b\n")).toEqual({ b: { a: 1 }, c: { a: 1 } });
    expect(value("<<: {a: 1}\na: 2\n")).toEqual({ a: 2 });
  });

  it("lets earlier maps of a merged list win, and keeps a quoted << an ordinary key", () => {
    expect(value("<<: [{a: 1}, {a: 2, b: 2}]\n")).toEqual({ a: 1, b: 2 });
    expect(value('"<<": {a: 1}\n')).toEqual({ "<<": { a: 1 } });
  });

  it("rejects a merge of something that is no map", () => {
    expect(rejection("<<: 1\n").message).toContain("map merge requires map");
  });

  it("reports an undefined alias as such, at the alias", () => {
    expect(rejection("a: 1\nb: *x\n")).toMatchObject({ code: "yaml-syntax", line: 2, column: 4, message: "unknown anchor 'x' referenced" });
  });

  it("reports an alias to its own anchor", () => {
    expect(rejection("a: &a [*a]\n").message).toContain("contains itself");
  });

  it("uses the latest definition of a redefined anchor", () => {
    expect(value("a: &a 1\nb: &a 2\nc: *a\n")).toEqual({ a: 1, b: 2, c: 2 });
  });
});

describe("stack safety", () => {
  it("reads 130,000 documents in one file without deep recursion", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n".repeat(130_000);
    const parsed = parseManifestText(text, "many.yaml");
    expect(parsed.findings).toEqual([]);
    expect(parsed.documents).toHaveLength(130_000);
  });

  it("reads a long flow sequence and a long block sequence on the full reader", () => {
    const hosts = Array.from({ length: 20_000 }, (_, i) => `h${i}.example.com`);
    const flow = parseWithFullReader(`hosts: [${hosts.join(", ")}]\n`, "flow.yaml");
    expect((flow.documents[0]!.object as { hosts: string[] }).hosts).toHaveLength(20_000);
    const block = parseWithFullReader(`hosts:\n${hosts.map((host) => `- &h${host.length} ${host}`).join("\n")}\n`, "block.yaml");
    expect((block.documents[0]!.object as { hosts: string[] }).hosts).toHaveLength(20_000);
  });
});

describe("a stream starting with { is read as JSON values, as kubectl does", () => {
  it("accepts JSON that go-yaml would refuse (the escape \\/) and concatenated objects", () => {
    const parsed = read('{"kind": "ConfigMap", "data": {"url": "http:\\/\\/x"}}\n{"kind": "Secret"}\n');
    expect(parsed.findings).toEqual([]);
    expect(parsed.documents.map((document) => document.object)).toEqual([
      { kind: "ConfigMap", data: { url: "http://x" } },
      { kind: "Secret" },
    ]);
  });

  it("locates fields of a JSON document", () => {
    const [document] = read('{\n  "kind": "Service",\n  "spec": {"ports": [{"port": 80}]}\n}\n').documents;
    expect(document!.locate(["spec", "ports", 0, "port"])).toEqual({ file: "in.yaml", line: 3, column: 23 });
  });

  it.each([
    ["{a: 1}\n", "invalid JSON"],
    ['{"a": 1}\n---\n{"b": 2}\n', "between JSON values"],
    ['{"a": 1e400}\n', "too large"],
    ['{"a": 1, "a": 2}\n', "already defined"],
  ])("rejects %j", (text, message) => {
    expect(read(text).findings).toEqual([expect.objectContaining({ severity: "error", message: expect.stringContaining(message) })]);
  });
});
