import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { emitYaml, objectsToYaml } from "../../../src/core/documents/yaml-emitter.js";
import { toYamlStream } from "../../../src/core/documents/index.js";

const readBack = (text: string) => parse(text, { version: "1.1" });

describe("the manifest YAML writer", () => {
  it("writes istioctl's layout: sorted keys, 2-space indent, dashes at the key's column", () => {
    expect(emitYaml({ spec: { ports: [{ port: 80, name: "http" }], empty: {}, none: [] }, kind: "Service", annotations: null })).toBe(
      ["annotations: null", "kind: Service", "spec:", "  empty: {}", "  none: []", "  ports:", "  - name: http", "    port: 80", ""].join(
        "\n",
      ),
    );
  });

  it("writes multi-line strings as literal blocks with the right chomping", () => {
    expect(emitYaml({ a: "x\ny", b: "x\n", c: "x\n\n" })).toBe("a: |-\n  x\n  y\nb: |\n  x\nc: |+\n  x\n\n");
  });

  it.each([
    "",
    "true",
    "False",
    "yes",
    "no",
    "on",
    "OFF",
    "y",
    "n",
    "~",
    "null",
    "15014",
    "1.0",
    "-1",
    "0x1F",
    "0755",
    "1e3",
    "1_000",
    "1:20",
    ".inf",
    "2026-11-26",
    "*",
    "&a",
    "!tag",
    "|",
    ">",
    "@x",
    "`x",
    "%x",
    "{{ .Values }}",
    "[a]",
    "- a",
    "-",
    "a: b",
    "a #b",
    "trailing ",
    " leading",
    "ends:",
    "it's",
    'say "hi"',
    "tab\there",
    "$(POD_NAMESPACE).svc.cluster.local",
    "--domain",
    "100%",
    "=",
    "<<",
    "kubernetes://apis/apps/v1",
    "line\nbreak",
    " indented\nblock",
    "trailing space \nline",
    "\u0007bell",
  ])("reads %j back as the same string", (text) => {
    expect(readBack(emitYaml({ key: text, list: [text], [text || "k"]: 1 }))).toEqual({ key: text, list: [text], [text || "k"]: 1 });
  });

  it("quotes numbers-as-strings with double quotes and other non-plain strings with single quotes, as Go does", () => {
    expect(emitYaml({ port: "15014", rule: "a: b" })).toBe("port: \"15014\"\nrule: 'a: b'\n");
  });

  it("writes nested lists and lists of maps inside lists", () => {
    const value = { matrix: [[1, 2], [], [{ a: 1, b: [] }]] };
    expect(readBack(emitYaml(value))).toEqual(value);
  });

  it("never writes trailing spaces", () => {
    const text = emitYaml({ a: { b: "x\n\ny\n", c: [{}, [], null] } });
    expect(text.split("\n").filter((line) => / $/.test(line))).toEqual([]);
  });

  it("keeps a list item whose fields are all unset, as an empty map", () => {
    expect(emitYaml({ list: [{ a: undefined }, 1] })).toBe("list:\n- {}\n- 1\n");
  });
});

describe("the converted-objects YAML writer (same emitter, the documents layer's layout)", () => {
  it.each([
    ["insertion order and indented lists", { kind: "X", b: 1, a: [{ z: 1, y: [] }, "s"], m: {} }],
    ["unset fields", { kind: "X", spec: { gone: undefined }, list: [{ only: undefined }] }],
    ["an empty object", {}],
    ["lists in lists (left to the general writer)", { kind: "X", matrix: [[1], []] }],
    ["multi-line text (left to the general writer)", { kind: "X", text: "a\nb\n" }],
  ])("writes the bytes of toYamlStream for %s", (_name, object) => {
    expect(objectsToYaml([object, object])).toBe(toYamlStream([object, object]));
  });

  it("writes a string the same way when it meets it again (its quoting is remembered), as key and as value", () => {
    const strings = ["plain", "yes", "0755", "1e3", "a: b", " lead", "", "multi\nline", 'say "hi"', "ünïcode", "*.example.com", "-"];
    for (let round = 0; round < 3; round++) {
      const object = {
        kind: "X",
        values: Object.fromEntries(strings.map((text, index) => [`k${index}-${round}`, text])),
        keys: Object.fromEntries(strings.filter((text) => !text.includes("\n")).map((text) => [text, round])),
        list: strings,
      };
      expect(objectsToYaml([object])).toBe(toYamlStream([object]));
    }
  });
});
