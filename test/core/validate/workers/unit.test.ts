import { describe, expect, it } from "vitest";
import { splitManifest } from "../../../../src/core/documents/kubectl-split.js";
import { defaultReadLimits } from "../../../../src/core/documents/limits.js";
import { defaultValidateOptions } from "../../../../src/core/validate/index.js";
import { checkUnit, packResult, unpackResult } from "../../../../src/core/validate/workers/unit.js";

const documents = [
  // Admitted, with defaults and analyser-relevant fields.
  "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: a\nspec:\n  parentRefs:\n  - name: gw\n  rules:\n  - backendRefs:\n    - name: svc\n      port: 8080\n",
  // No metadata at all: the admitted object holds `metadata: undefined`, which JSON cannot carry.
  "apiVersion: networking.istio.io/v1\nkind: VirtualService\nspec:\n  hosts: [a.example]\n  http:\n  - route:\n    - destination:\n        host: reviews\n",
  // Refused by the schema (the analysers see it as written), and a kind without a schema.
  "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: x\n",
  "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: -0.0\n  tags: [a, null, {b: [1, 2.5, true]}]\n",
  // A List, and a document that is no object.
  "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data: {k: v}\n",
  "- just\n- a list\n",
].join("---\n");

describe("packed unit results", () => {
  it("read back as the result the worker checked, undefined metadata included", () => {
    const job = { id: 0, file: "f.yaml", chunks: splitManifest(documents).chunks };
    const result = checkUnit(job, { ...defaultValidateOptions, skipKinds: ["ConfigMap"] }, defaultReadLimits);
    expect(result.documents.length).toBe(6);
    expect(
      result.documents.some(({ analysis }) => analysis && "metadata" in analysis.object && analysis.object.metadata === undefined),
    ).toBe(true);
    expect(result.documents.some(({ analysis }) => !analysis)).toBe(true);
    const unpacked = unpackResult(structuredClone(packResult(result)));
    // toStrictEqual: a key holding undefined must not turn into a missing key. The one thing JSON changes is -0,
    // which reads back as 0: nothing the analysers do tells them apart (===, Map and Set keys, printing).
    const widget = result.documents.find(({ resource }) => resource.resource.kind === "Widget")!.analysis!.object;
    expect(Object.is((widget.spec as { size: number }).size, -0)).toBe(true);
    (widget.spec as { size: number }).size = 0;
    expect(unpacked).toStrictEqual(structuredClone(result));
  });
});
