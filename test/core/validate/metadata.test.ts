import { describe, expect, it } from "vitest";
import { checkMetadata, qualifiedNameProblems } from "../../../src/core/validate/metadata.js";
import { isDns1123Subdomain } from "../../../src/core/dns-names.js";
import { seededChoices } from "../../support/seeded-random.js";

/** The qualified-name rule spelled out step by step (split first, no shortcut), to compare the fast path with. */
function referenceProblems(key: string): string[] {
  const parts = key.split("/");
  if (parts.length > 2) return ["a qualified name must consist of an optional DNS subdomain prefix and '/' followed by a name"];
  const problems: string[] = [];
  let name = key;
  if (parts.length === 2) {
    name = parts[1]!;
    if (parts[0] === "") problems.push("prefix part must be non-empty");
    else if (!isDns1123Subdomain(parts[0]!)) problems.push("prefix");
  }
  if (name === "") problems.push("name part must be non-empty");
  else if (name.length > 63) problems.push("name part must be no more than 63 characters");
  else if (!/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name)) problems.push("name part must consist of");
  return problems;
}

describe("qualifiedNameProblems", () => {
  it("agrees with the step-by-step rule on generated keys (its shortcut for plain names included)", () => {
    const { pick, random } = seededChoices(16);
    const alphabet = [..."abcxyzABZ0189-_./", "é", " "];
    for (let round = 0; round < 20_000; round++) {
      const length = pick([0, 1, 2, 5, 20, 62, 63, 64, 70, Math.floor(random() * 80)]);
      let key = "";
      for (let i = 0; i < length; i++) key += random() < 0.8 ? pick([..."abc019"]) : pick(alphabet);
      const expected = referenceProblems(key);
      const actual = qualifiedNameProblems(key);
      expect(actual.length, key).toBe(expected.length);
      actual.forEach((problem, index) => expect(problem.startsWith(expected[index]!), key).toBe(true));
    }
  });

  it("returns no problems for a plain name, and its answer cannot be added to", () => {
    const problems = qualifiedNameProblems("app.kubernetes.io_name-1");
    expect(problems).toEqual([]);
    expect(Object.isFrozen(problems)).toBe(true);
  });
});

describe("checkMetadata labels and annotations", () => {
  const context = { apiVersion: "networking.istio.io/v1", kind: "Gateway", clusterScoped: false };

  it("reports a labels or annotations value that is not a map, and bad keys and values under it", () => {
    const errors = checkMetadata({ name: "a", labels: ["x"], annotations: { "bad key": "v", "example.com/ok": 1 } }, context);
    expect(errors.map((error) => [error.path.join("."), error.code])).toEqual([
      ["metadata.labels", "METADATA_TYPE"],
      ["metadata.annotations.bad key", "METADATA_ANNOTATION_KEY"],
      ["metadata.annotations.example.com/ok", "METADATA_TYPE"],
    ]);
  });

  it("ignores null labels and annotations", () => {
    expect(checkMetadata({ name: "a", labels: null, annotations: null }, context)).toEqual([]);
  });
});
