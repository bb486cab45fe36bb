import type { FindingsReport } from "../../../src/core/findings.js";

/** A report with a file-level syntax error, an invalid route, a warning, a valid resource and one skipped for lack of a schema. */
export const sampleReport: FindingsReport = {
  files: ["manifests/routes.yaml", "manifests/broken.yaml"],
  findings: [
    {
      severity: "error",
      code: "yaml-syntax",
      origin: "yaml",
      message: "Flow sequence in block collection must be sufficiently indented and end with a ]",
      file: "manifests/broken.yaml",
      line: 4,
      column: 7,
    },
  ],
  resources: [
    {
      file: "manifests/routes.yaml",
      line: 1,
      column: 1,
      resource: { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", namespace: "shop", name: "cart" },
      findings: [
        {
          severity: "error",
          code: "SCHEMA_ENUM",
          origin: "schema",
          message: 'Unsupported value: "Prefix": supported values: "Exact", "PathPrefix", "RegularExpression"',
          file: "manifests/routes.yaml",
          line: 12,
          column: 15,
          resource: { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", namespace: "shop", name: "cart" },
          path: "spec.rules[0].matches[0].path.type",
        },
        {
          severity: "warning",
          code: "GWAPI_NO_MATCHING_PARENT",
          origin: "analyzer",
          message: 'parentRef names Gateway "shop/edge", which is not among the inputs, "quoted" & <tagged>, 100%',
          file: "manifests/routes.yaml",
          line: 8,
          column: 7,
          resource: { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", namespace: "shop", name: "cart" },
          path: "spec.parentRefs[0]",
        },
      ],
    },
    {
      file: "manifests/routes.yaml",
      line: 20,
      column: 1,
      resource: { apiVersion: "networking.istio.io/v1", kind: "Gateway", namespace: "shop", name: "edge-gw" },
      findings: [],
      durationMs: 1.5,
    },
    {
      file: "manifests/routes.yaml",
      line: 30,
      column: 1,
      resource: { apiVersion: "example.com/v1", kind: "Widget", name: "w" },
      findings: [],
      skipped: "no-schema",
    },
  ],
};
