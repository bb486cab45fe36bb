import { describe, expect, it } from "vitest";
import { parseManifestText } from "../../../src/core/documents/parse.js";
import { toJson, toYaml, toYamlStream } from "../../../src/core/documents/write.js";

describe("YAML and JSON writers", () => {
  it("separates documents with --- and indents by two spaces", () => {
    const text = toYamlStream([
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { list: ["x"] } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } },
    ]);
    expect(text).toBe(
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  list:\n    - x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
    );
  });

  it("quotes strings that kubectl would otherwise read as booleans or numbers", () => {
    const values = { a: "on", b: "yes", c: "0755", d: "1_000", e: "true", f: "1.5", g: "null", h: "~" };
    const written = toYaml(values);
    const [document] = parseManifestText(written, "roundtrip.yaml").documents;
    expect(document!.object).toEqual(values);
  });

  it("never folds long lines", () => {
    const long = "x ".repeat(200).trim();
    expect(toYaml({ long }).trim().split("\n")).toHaveLength(1);
  });

  it("writes identical bytes for identical input, and sorts keys when asked", () => {
    const object = { b: 1, a: { d: 2, c: 3 } };
    expect(toYaml(object)).toBe(toYaml(structuredClone(object)));
    expect(toYaml(object, { sortKeys: true })).toBe("a:\n  c: 3\n  d: 2\nb: 1\n");
    expect(toJson(object, { sortKeys: true })).toBe('{\n  "a": {\n    "c": 3,\n    "d": 2\n  },\n  "b": 1\n}\n');
  });
});
