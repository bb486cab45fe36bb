import { describe, expect, it } from "vitest";
import { escapePropertyName, rootView, unescapeFieldName } from "../../../../src/core/validate/cel/property-names.js";

describe("CEL property names", () => {
  it.each([
    ["namespace", "__namespace__"],
    ["x-y", "x__dash__y"],
    ["a.b", "a__dot__b"],
    ["p/q", "p__slash__q"],
    ["u__v", "u__underscores__v"],
    ["plain", "plain"],
    ["has space", undefined],
    ["1st", undefined],
  ])("%s is %s in CEL and reads back", (name, escaped) => {
    expect(escapePropertyName(name)).toBe(escaped);
    if (escaped !== undefined) expect(unescapeFieldName(escaped)).toBe(name);
  });

  it("shows only name and generateName of the root's metadata", () => {
    const object = { apiVersion: "v1", kind: "X", metadata: { name: "a", namespace: "n", labels: { k: "v" } }, spec: { a: 1 } };
    expect(rootView(object)).toEqual({ apiVersion: "v1", kind: "X", metadata: { name: "a" }, spec: { a: 1 } });
    expect(rootView({ kind: "X", metadata: { generateName: "a-" } })).toEqual({ kind: "X", metadata: { generateName: "a-" } });
  });
});
