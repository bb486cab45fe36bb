import type { FindingsReport } from "../../../src/core/findings.js";

/** A report with a file-level syntax error, an invalid route, a warning and a valid resource. */
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
          code: "schema-enum",
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
          code: "route-parent-missing",
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
    },
  ],
};
