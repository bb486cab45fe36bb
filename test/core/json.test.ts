import { describe, expect, it } from "vitest";
import { isJsonObject, listOf, objectOf, recordsOf, scalarText, stringOf, stringsOf } from "../../src/core/json.js";

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

  it.each([
    ["istio-system", "istio-system"],
    ["", ""],
    [8080, undefined],
    [null, undefined],
    [undefined, undefined],
    [["a"], undefined],
    [{ name: "x" }, undefined],
  ])("stringOf(%j) is %j", (value, expected) => {
    expect(stringOf(value)).toBe(expected);
  });

  it.each([
    [["a", 1, null], ["a", 1, null], ["a"]],
    [[], [], []],
    ["a", [], []],
    [{ 0: "a" }, [], []],
    [undefined, [], []],
  ])("listOf(%j) is %j and stringsOf keeps %j", (value, list, strings) => {
    expect(listOf(value)).toEqual(list);
    expect(stringsOf(value)).toEqual(strings);
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
