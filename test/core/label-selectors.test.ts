import { describe, expect, it } from "vitest";
import { labelSelectorMatches, type LabelSelector } from "../../src/core/label-selectors.js";

const labels = { app: "cart", tier: "web" };

describe("labelSelectorMatches", () => {
  it.each<[string, LabelSelector, boolean]>([
    ["empty selector", {}, true],
    ["matchLabels equal", { matchLabels: { app: "cart" } }, true],
    ["matchLabels differ", { matchLabels: { app: "shop" } }, false],
    ["matchLabels absent key", { matchLabels: { zone: "a" } }, false],
    ["In with the value", { matchExpressions: [{ key: "tier", operator: "In", values: ["web", "db"] }] }, true],
    ["In without the value", { matchExpressions: [{ key: "tier", operator: "In", values: ["db"] }] }, false],
    ["In on an absent key", { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }, false],
    ["NotIn with the value", { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] }, false],
    ["NotIn on an absent key", { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }, true],
    ["Exists", { matchExpressions: [{ key: "app", operator: "Exists" }] }, true],
    ["Exists on an absent key", { matchExpressions: [{ key: "zone", operator: "Exists" }] }, false],
    ["DoesNotExist", { matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, true],
    ["DoesNotExist on a present key", { matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, false],
    ["an unknown operator selects nothing", { matchExpressions: [{ key: "app", operator: "Equals", values: ["cart"] }] }, false],
    ["Exists on an inherited property name", { matchExpressions: [{ key: "constructor", operator: "Exists" }] }, false],
    ["DoesNotExist on an inherited property name", { matchExpressions: [{ key: "toString", operator: "DoesNotExist" }] }, true],
    [
      "labels and expressions together",
      { matchLabels: { app: "cart" }, matchExpressions: [{ key: "tier", operator: "NotIn", values: ["db"] }] },
      true,
    ],
  ])("%s", (_name, selector, expected) => {
    expect(labelSelectorMatches(selector, labels)).toBe(expected);
  });
});
