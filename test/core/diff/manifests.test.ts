import { describe, expect, it } from "vitest";
import { compareManifests } from "../../../src/core/diff/manifests.js";
import { unifiedObjectDiff } from "../../../src/core/diff/unified.js";

const configMap = (name: string, data: Record<string, string>, namespace = "istio-system") => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace },
  data,
});

describe("compareManifests", () => {
  it("matches objects by identity whatever their order, and diffs only those that differ", () => {
    const a = [configMap("one", { x: "1" }), configMap("two", { v: "2" }), configMap("gone", {})];
    const b = [configMap("two", { v: "3" }), configMap("new", {}), configMap("one", { x: "1" })];
    const { differences, same } = compareManifests(a, b);
    expect(same).toBe(1);
    expect(differences.map((difference) => `${difference.change}: ${difference.object}`)).toEqual([
      "only in A: ConfigMap istio-system/gone",
      "only in B: ConfigMap istio-system/new",
      "changed: ConfigMap istio-system/two",
    ]);
    expect(differences[2]!.diff).toBe(
      [
        "diff -u -N A/v1.ConfigMap.istio-system.two B/v1.ConfigMap.istio-system.two",
        "--- A/v1.ConfigMap.istio-system.two",
        "+++ B/v1.ConfigMap.istio-system.two",
        "@@ -1,6 +1,6 @@",
        " apiVersion: v1",
        " data:",
        '-  v: "2"',
        '+  v: "3"',
        " kind: ConfigMap",
        " metadata:",
        "   name: two",
        "",
      ].join("\n"),
    );
  });

  it("keys order inside objects does not count; a different namespace is a different object", () => {
    const reordered = { metadata: { namespace: "istio-system", name: "one" }, kind: "ConfigMap", apiVersion: "v1", data: { x: "1" } };
    expect(compareManifests([configMap("one", { x: "1" })], [reordered]).differences).toEqual([]);
    expect(compareManifests([configMap("one", {})], [configMap("one", {}, "other")]).differences).toHaveLength(2);
  });

  it("a created object is all additions, a deleted one all removals", () => {
    expect(unifiedObjectDiff(undefined, configMap("c", {}), "c")).toMatch(/^\+kind: ConfigMap$/m);
    expect(unifiedObjectDiff(configMap("c", {}), undefined, "c")).toMatch(/^-kind: ConfigMap$/m);
    expect(unifiedObjectDiff(configMap("c", {}), configMap("c", {}), "c")).toBe("");
  });
});
