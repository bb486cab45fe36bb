import { describe, expect, it } from "vitest";
import { formatFieldPath, summarize, type Finding, type FindingsReport, type Severity } from "../../src/core/findings.js";

/** The definition formatFieldPath's character test stands for. */
const identifier = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

function referencePath(path: readonly (string | number)[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (identifier.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${segment}]`;
  }
  return out;
}

describe("formatFieldPath", () => {
  it("writes identifiers with dots and everything else in brackets", () => {
    expect(formatFieldPath(["spec", "listeners", 1, "name"])).toBe("spec.listeners[1].name");
    expect(formatFieldPath(["metadata", "labels", "app.kubernetes.io/name"])).toBe("metadata.labels[app.kubernetes.io/name]");
    expect(formatFieldPath(["a-b", "$x", "_y", "9z", "", "é"])).toBe("a-b.$x._y[9z][][é]");
  });

  it("agrees with the identifier pattern on generated segments", () => {
    const alphabet = ["a", "Z", "_", "$", "-", "0", "9", ".", "/", " ", "é", "\n", "[", "@", "`", "{", ":"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let round = 0; round < 5000; round++) {
      const path: (string | number)[] = [];
      for (let count = next() % 5; count >= 0; count--) {
        if (next() % 4 === 0) path.push(next() % 20);
        else {
          let segment = "";
          for (let length = next() % 5; length > 0; length--) segment += alphabet[next() % alphabet.length];
          path.push(segment);
        }
      }
      expect(formatFieldPath(path), JSON.stringify(path)).toBe(referencePath(path));
    }
  });
});

describe("summarize", () => {
  const finding = (severity: Severity, line = 1): Finding => ({ severity, code: "X", message: "m", origin: "schema", file: "f", line });

  it("counts findings of the run and of every resource, and documents by verdict", () => {
    const report: FindingsReport = {
      files: ["f", "g"],
      findings: [finding("error", 3), finding("error", 3), finding("error", 9), finding("warning")],
      resources: [
        { file: "f", line: 1, column: 1, resource: {}, findings: [finding("error"), finding("error"), finding("info")] },
        { file: "f", line: 5, column: 1, resource: {}, findings: [finding("warning")] },
        { file: "f", line: 7, column: 1, resource: {}, findings: [], skipped: "no-schema" },
        { file: "g", line: 1, column: 1, resource: {}, findings: [], skipped: "skip-flag" },
        { file: "g", line: 4, column: 1, resource: {}, findings: [finding("error")], skipped: "no-schema" },
      ],
    };
    expect(summarize(report)).toEqual({
      files: 2,
      resources: 5,
      valid: 0,
      invalid: 2,
      skippedNoSchema: 2,
      skippedByFlag: 1,
      unreadable: 2,
      errors: 6,
      warnings: 2,
      infos: 1,
    });
  });
});
