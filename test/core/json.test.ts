import { describe, expect, it } from "vitest";
import { isJsonObject, objectOf, recordsOf, scalarText } from "../../src/core/json.js";

describe("decoded JSON helpers", () => {
  it.each([
    [{}, true],
    [{ a: 1 }, true],
    [[], false],
    [null, false],
    ["text", false],
    [3, false],
  ])("isJsonObject(%j) is %s", (value, expected) => {
    expect(isJsonObject(value)).toBe(expected);
    expect(objectOf(value)).toBe(expected ? value : undefined);
  });

  it("reads lists as records and anything else as an empty list", () => {
    expect(recordsOf([{ a: 1 }])).toEqual([{ a: 1 }]);
    expect(recordsOf({ a: 1 })).toEqual([]);
    expect(recordsOf(undefined)).toEqual([]);
  });

  it.each([
    ["istio-system", "istio-system"],
    [8080, "8080"],
    [true, "true"],
    [null, "null"],
    [undefined, "undefined"],
    [{ name: "x" }, '{"name":"x"}'],
    [["a", 1], '["a",1]'],
  ])("scalarText(%j) is %s, never [object Object]", (value, expected) => {
    expect(scalarText(value)).toBe(expected);
  });
});
