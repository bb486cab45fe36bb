import { describe, expect, it } from "vitest";
import { splitManifest } from "../../../src/core/documents/kubectl-split.js";
import { parseChunks, parseManifestText, parseWithFullReader } from "../../../src/core/documents/parse.js";

const twoServices = `# leading comment
apiVersion: v1
kind: Service
metadata:
  name: one
  namespace: apps
---
---
# only a comment
---
apiVersion: v1
kind: Service
metadata:
  name: two
spec:
  ports:
    - port: 80
      name: http
`;

describe("parseManifestText", () => {
  it("splits documents, skips empty ones and detects identities", () => {
    const parsed = parseManifestText(twoServices, "svc.yaml");
    expect(parsed.findings).toEqual([]);
    expect(parsed.documents.map((document) => document.identity)).toEqual([
      { apiVersion: "v1", kind: "Service", namespace: "apps", name: "one" },
      { apiVersion: "v1", kind: "Service", name: "two" },
    ]);
    // kubectl's splitter: consecutive markers make no empty documents; a comment-only stretch is one.
    expect(parsed.documents.map((document) => document.index)).toEqual([0, 2]);
    expect(parsed.documents[1]!.line).toBe(11);
  });

  it("locates any field path, and falls back to the closest existing ancestor", () => {
    const second = parseManifestText(twoServices, "svc.yaml").documents[1]!;
    expect(second.locate(["spec", "ports", 0, "name"])).toEqual({ file: "svc.yaml", line: 18, column: 7 });
    expect(second.locate(["spec", "ports", 0])).toEqual({ file: "svc.yaml", line: 17, column: 7 });
    expect(second.locate(["spec", "ports", 0, "targetPort"])).toEqual({ file: "svc.yaml", line: 17, column: 7 });
    expect(second.locate(["metadata", "name"])).toEqual({ file: "svc.yaml", line: 14, column: 3 });
  });

  it("places a document that is a list of compact mappings at its first dash, as the full reader does", () => {
    const text = "- a: 1\n  b: 2\n";
    const [document] = parseManifestText(text, "in.yaml").documents;
    expect({ line: document!.line, column: document!.column }).toEqual({ line: 1, column: 1 });
    expect(document!.locate([])).toEqual(parseWithFullReader(text, "in.yaml").documents[0]!.locate([]));
    expect(document!.locate([0, "b"])).toEqual({ file: "in.yaml", line: 2, column: 3 });
  });

  it("flattens kind: List and keeps positions inside the list", () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: a
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: b
    data:
      key: value
`;
    const parsed = parseManifestText(text, "list.yaml");
    expect(parsed.documents.map((document) => document.identity.name)).toEqual(["a", "b"]);
    expect(parsed.documents[1]!.basePath).toEqual(["items", 1]);
    expect(parsed.documents[1]!.line).toBe(8);
    expect(parsed.documents[1]!.locate(["data", "key"])).toEqual({ file: "list.yaml", line: 13, column: 7 });
  });

  it("reads scalars the way kubectl (go-yaml v2, YAML 1.1) does", () => {
    const text = `on: yes
off: Off
octal: 0755
underscore: 1_000
date: 2024-01-02
time: 1:20
quoted: "on"
float: 1.5
`;
    const [document] = parseManifestText(text, "scalars.yaml").documents;
    expect(document!.object).toEqual({
      true: true,
      false: false,
      octal: 493,
      underscore: 1000,
      date: "2024-01-02",
      time: "1:20",
      quoted: "on",
      float: 1.5,
    });
  });

  it("reports YAML syntax errors as findings with file, line and column", () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: ok
---
apiVersion: v1
kind: ConfigMap
data: [unclosed
`;
    const parsed = parseManifestText(text, "broken.yaml");
    expect(parsed.documents.map((document) => document.identity.name)).toEqual(["ok"]);
    expect(parsed.findings).toHaveLength(1);
    expect(parsed.findings[0]).toMatchObject({ severity: "error", code: "yaml-syntax", file: "broken.yaml", line: 9 });
  });

  it("reports duplicate keys with the position of the repeated key", () => {
    const parsed = parseManifestText("metadata:\n  name: a\n  name: b\n", "dup.yaml");
    expect(parsed.findings).toEqual([expect.objectContaining({ code: "duplicate-key", line: 3, column: 3, severity: "error" })]);
  });

  it("refuses a billion-laughs alias bomb without expanding it", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const current = String.fromCharCode(97 + level);
      levels.push(`${current}: &${current} [${Array(10).fill(`*${previous}`).join(", ")}]`);
    }
    // Expanding it would take a billion nodes: the test's own timeout is the guard, the finding is the check.
    const parsed = parseManifestText(`${levels.join("\n")}\n`, "bomb.yaml");
    expect(parsed.documents).toEqual([]);
    expect(parsed.findings).toEqual([
      expect.objectContaining({ code: "alias-limit", file: "bomb.yaml", message: expect.stringContaining("alias") }),
    ]);
  });

  it("refuses documents nested deeper than the limit", () => {
    const deep = `${"[".repeat(300)}${"]".repeat(300)}\n`;
    const parsed = parseManifestText(deep, "deep.yaml");
    expect(parsed.findings).toEqual([expect.objectContaining({ code: "depth-limit", file: "deep.yaml" })]);
    const veryDeep = `${"[".repeat(20_000)}${"]".repeat(20_000)}\n`;
    expect(parseManifestText(veryDeep, "deeper.yaml").findings).toEqual([
      expect.objectContaining({ code: "depth-limit", file: "deeper.yaml" }),
    ]);
  });
});

describe("parseChunks recording positions while reading", () => {
  /** Every path to a value of `value`, plus a missing child of each (which locates at its closest ancestor). */
  function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    const out: (string | number)[][] = [prefix, [...prefix, "missing"]];
    if (Array.isArray(value)) value.forEach((item, index) => out.push(...paths(item, [...prefix, index])));
    else if (typeof value === "object" && value !== null)
      for (const [key, child] of Object.entries(value)) out.push(...paths(child, [...prefix, key]));
    return out;
  }

  it("places every field where reading it again to locate places it", () => {
    const text = [
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: a  # comment\n  labels: {app: a, tier: "web"}\nspec:\n  ports:\n  - port: 80\n    name: http\n  -\n    port: 81\n  - [1, 2]\n',
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data:\n    k: 'v'\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s\n",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: empty-item\ndata:\n  list:\n  -\n  - x\n",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: block\ndata:\n  text: |\n    two\n    lines\n",
      "  indented: [a,\n    b]\n  second: {x: 1}\n",
    ].join("---\n");
    const { chunks } = splitManifest(text);
    const plain = parseChunks(chunks, "f.yaml");
    const recorded = parseChunks(chunks, "f.yaml", undefined, true, true);
    expect(recorded.findings).toEqual(plain.findings);
    expect(recorded.documents.map((document) => document.object)).toEqual(plain.documents.map((document) => document.object));
    expect(recorded.documents.length).toBe(6);
    let compared = 0;
    recorded.documents.forEach((document, index) => {
      for (const path of paths(document.object)) {
        expect([index, path, document.locate(path)]).toEqual([index, path, plain.documents[index]!.locate(path)]);
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(80);
  });
});
