import { describe, expect, it } from "vitest";
import { parseManifestText } from "../../../src/core/documents/index.js";
import { convertGatewayApiToIstio, defaultConvertOptions } from "../../../src/core/convert/index.js";
import type { Finding } from "../../../src/core/findings.js";
import { toYamlStream } from "../../../src/core/documents/index.js";
import { inputErrors as checkInputs } from "../../../src/core/convert/input-check.js";
import { selectInputObjects } from "../../../src/core/convert/input.js";
import { Notes } from "../../../src/core/convert/notes.js";
import { checkDocuments, defaultValidateOptions } from "../../../src/core/validate/index.js";
import { seededChoices } from "../../support/seeded-random.js";
import { convertYaml } from "./convert-input.js";
import { randomIstioInput } from "./random-istio-wide.js";

/**
 * convert checks its input as `mesh validate` (and `kubectl apply`, strict) would: a field the schema does not know
 * is dropped by the converter, so the output could route differently from what the author meant.
 */
const reviewsService = `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: default}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets:
  - name: v1
    labels: {version: v1}
---
`;

function inputErrors(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.severity === "error" && finding.code.startsWith("CONV005"));
}

function convertReverse(text: string) {
  const { documents } = parseManifestText(text, "routes.yaml");
  return convertGatewayApiToIstio(documents, defaultConvertOptions({ generator: "mesh-test" }));
}

describe("convert checks its input", () => {
  it("rejects a subset written beside destination instead of inside it (would send 100 % to the Service)", () => {
    const result = convertYaml(`${reviewsService}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination:
        host: reviews
      subset: v1
`);
    const [error, ...others] = inputErrors(result.findings);
    expect(others).toEqual([]);
    expect(error).toMatchObject({
      code: "CONV005/SCHEMA_UNKNOWN_FIELD",
      file: "input.yaml",
      line: 26,
      column: 7,
      path: "spec.http[0].route[0].subset",
      resource: { kind: "VirtualService", namespace: "default", name: "reviews" },
    });
    expect(error!.message).toContain('unknown field "spec.http[0].route[0].subset"');
    expect(error!.message).toContain("fix the input; `mesh validate FILE` shows every problem");
  });

  it("accepts the same VirtualService with subset inside destination", () => {
    const result = convertYaml(`${reviewsService}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
`);
    expect(result.findings.filter((finding) => finding.severity === "error")).toEqual([]);
  });

  it("rejects a wrong type (weight as a string)", () => {
    const result = convertYaml(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: default}
spec:
  hosts: [web]
  http:
  - route:
    - destination: {host: web, port: {number: 80}}
      weight: "90"
    - destination: {host: web-v2, port: {number: 80}}
      weight: 10
`);
    const errors = inputErrors(result.findings);
    expect(errors.map((error) => [error.code, error.path, error.line])).toEqual([
      ["CONV005/SCHEMA_TYPE", "spec.http[0].route[0].weight", 9],
    ]);
  });

  it("rejects an invalid core Service the converter reads ports from", () => {
    const result = convertYaml(`apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{name: http, prot: 80}]
`);
    expect(inputErrors(result.findings).map((error) => error.path)).toContain("spec.ports[0].prot");
  });

  it("rejects a typo'd field of an HTTPRoute (Gateway API → Istio)", () => {
    const result = convertReverse(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: istio
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /api}
      header:
      - {name: x-canary, value: "true"}
    backendRefs: [{name: web, port: 80}]
`);
    const errors = inputErrors(result.findings);
    expect(errors.map((error) => [error.code, error.path, `${error.file}:${error.line}:${error.column}`])).toEqual([
      ["CONV005/SCHEMA_UNKNOWN_FIELD", "spec.rules[0].matches[0].header", "routes.yaml:16:7"],
    ]);
  });

  it("checks only what is converted: objects outside -n and kinds the direction skips are left alone", () => {
    const result = convertYaml(
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: other}
spec:
  hosts: [web]
  htp: []
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {replicas: "two"}
`,
      { namespace: "shop" },
    );
    expect(inputErrors(result.findings)).toEqual([]);
  });
});

/** Random inputs, some objects broken the ways authors break them (unknown fields, wrong types, bad values). */
function brokenInput(seed: number): string {
  const { pick, chance } = seededChoices(seed * 7919);
  const objects = randomIstioInput(seed).map((object) => structuredClone(object) as unknown as Record<string, unknown>);
  for (const object of objects) {
    const spec = object.spec as Record<string, unknown>;
    if (chance(0.3)) spec[pick(["gatway", "htp", "subset"])] = pick([[], "x", { a: 1 }]);
    if (chance(0.2)) spec.hosts = pick([42, ["UPPER_case.example.com"], [""], "a.example.com"]);
    if (chance(0.2)) (object.metadata as Record<string, unknown>).namespace = pick(["Bad_NS", "ok", 7]);
    if (chance(0.15)) delete spec[pick(["servers", "hosts", "http"])];
    if (chance(0.15) && Array.isArray(spec.http) && spec.http.length > 0)
      (spec.http[0] as Record<string, unknown>).timeout = pick(["1x", 5, "-1s"]);
  }
  return toYamlStream(objects);
}

describe("the input check reports what mesh validate reports", () => {
  it("gives mesh validate's errors (and only them) as CONV005 findings, on many generated inputs", () => {
    const options = defaultConvertOptions({ generator: "mesh-test" });
    let reported = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const { documents } = parseManifestText(brokenInput(seed), `input-${seed}.yaml`);
      const inputs = selectInputObjects(documents, { accept: () => true, defaultNamespace: options.defaultNamespace }, new Notes());
      const expected = checkDocuments(
        inputs.map((input) => input.source),
        {
          ...defaultValidateOptions,
          gatewayApiVersion: options.gatewayApiVersion,
          channel: "experimental",
          defaultNamespace: options.defaultNamespace,
        },
      ).flatMap(({ resource }) =>
        resource.findings
          .filter((finding) => finding.severity === "error")
          .map((finding) => ({
            ...finding,
            code: `CONV005/${finding.code}`,
            message: `invalid input: ${finding.message}; fix the input; \`mesh validate FILE\` shows every problem`,
          })),
      );
      const actual = checkInputs(inputs, options);
      expect(JSON.stringify(actual)).toEqual(JSON.stringify(expected));
      reported += actual.length;
    }
    expect(reported).toBeGreaterThan(100);
  });
});
