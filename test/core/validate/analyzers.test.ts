import { describe, expect, it } from "vitest";
import { validateObjects } from "../../../src/core/validate/index.js";

const gw = (name: string, namespace: string, listeners: object[]) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { name, namespace },
  spec: { gatewayClassName: "istio", listeners },
});
const httpListener = { name: "http", port: 80, protocol: "HTTP", hostname: "*.example.com" };
const route = (namespace: string, spec: object) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name: "r", namespace },
  spec,
});
const backend = { name: "svc", port: 8080 };
const grant = (namespace: string, fromNamespace: string) => ({
  apiVersion: "gateway.networking.k8s.io/v1beta1",
  kind: "ReferenceGrant",
  metadata: { name: "g", namespace },
  spec: {
    from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: fromNamespace }],
    to: [{ group: "", kind: "Service" }],
  },
});
const istioGateway = (name: string, hosts: string[]) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "Gateway",
  metadata: { name, namespace: "istio-system" },
  spec: { selector: { istio: "ingressgateway" }, servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts }] },
});
const vs = (name: string, spec: object) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name, namespace: "apps" },
  spec,
});
const to = (host: string) => [{ destination: { host } }];

const codes = (objects: unknown[], options = {}) =>
  validateObjects(objects, options).map((finding) => `${finding.severity} ${finding.code} ${finding.path ?? ""}`);

describe("offline analysis (warnings a controller or istioctl analyze would report)", () => {
  it.each([
    [
      "a parent Gateway missing from the input",
      [route("apps", { parentRefs: [{ name: "gw" }], rules: [{ backendRefs: [backend] }] })],
      "warning GWAPI_NO_MATCHING_PARENT spec.parentRefs[0]",
    ],
    [
      "a sectionName no listener has",
      [
        gw("gw", "apps", [httpListener]),
        route("apps", { parentRefs: [{ name: "gw", sectionName: "https" }], rules: [{ backendRefs: [backend] }] }),
      ],
      "warning GWAPI_NO_MATCHING_PARENT spec.parentRefs[0].sectionName",
    ],
    [
      "a route in another namespace than a Same listener",
      [
        gw("gw", "infra", [httpListener]),
        route("apps", { parentRefs: [{ name: "gw", namespace: "infra" }], rules: [{ backendRefs: [backend] }] }),
      ],
      "warning GWAPI_NOT_ALLOWED_BY_LISTENERS spec.parentRefs[0]",
    ],
    [
      "a route kind the listener does not allow",
      [
        gw("gw", "apps", [{ ...httpListener, allowedRoutes: { kinds: [{ kind: "GRPCRoute" }] } }]),
        route("apps", { parentRefs: [{ name: "gw" }], rules: [{ backendRefs: [backend] }] }),
      ],
      "warning GWAPI_NOT_ALLOWED_BY_LISTENERS spec.parentRefs[0]",
    ],
    [
      "hostnames that intersect no listener",
      [
        gw("gw", "apps", [httpListener]),
        route("apps", { parentRefs: [{ name: "gw" }], hostnames: ["shop.example.org"], rules: [{ backendRefs: [backend] }] }),
      ],
      "warning GWAPI_NO_MATCHING_LISTENER_HOSTNAME spec.hostnames",
    ],
    [
      "a cross-namespace backend without a ReferenceGrant",
      [route("apps", { rules: [{ backendRefs: [{ ...backend, namespace: "data" }] }] })],
      "warning GWAPI_REF_NOT_PERMITTED spec.rules[0].backendRefs[0]",
    ],
    [
      "a VirtualService bound to a missing gateway",
      [vs("a", { hosts: ["a.example.com"], gateways: ["istio-system/missing"], http: [{ route: to("a") }] })],
      "warning IST0101 spec.gateways[0]",
    ],
    [
      "a VirtualService host its gateway does not serve",
      [
        istioGateway("ingress", ["b.example.com"]),
        vs("a", { hosts: ["a.example.com"], gateways: ["istio-system/ingress"], http: [{ route: to("a") }] }),
      ],
      "warning IST0132 spec.gateways[0]",
    ],
    [
      "two mesh VirtualServices for one host",
      [
        vs("a", { hosts: ["reviews"], http: [{ route: to("reviews") }] }),
        vs("b", { hosts: ["reviews"], http: [{ route: to("reviews") }] }),
      ],
      "warning IST0109 metadata.name",
    ],
    [
      "Gateways with one selector, port and overlapping hosts",
      [istioGateway("one", ["*.example.com"]), istioGateway("two", ["a.example.com"])],
      "warning IST0145 spec.servers[0].hosts",
    ],
    [
      "a rule after a catch-all rule",
      [vs("a", { hosts: ["reviews"], http: [{ route: to("reviews") }, { match: [{ uri: { prefix: "/x" } }], route: to("reviews") }] })],
      "warning IST0130 spec.http[1].match[0]",
    ],
    [
      "a rule whose matches repeat an earlier rule's",
      [
        vs("a", {
          hosts: ["reviews"],
          http: [
            { match: [{ uri: { prefix: "/x" } }], route: to("r1") },
            { match: [{ uri: { prefix: "/x" } }], route: to("r2") },
          ],
        }),
      ],
      "warning IST0130 spec.http[1]",
    ],
    [
      "one repeated match",
      [
        vs("a", {
          hosts: ["reviews"],
          http: [
            { match: [{ uri: { prefix: "/x" } }], route: to("r1") },
            { match: [{ uri: { prefix: "/x" } }, { uri: { prefix: "/y" } }], route: to("r2") },
          ],
        }),
      ],
      "info IST0131 spec.http[1].match[0]",
    ],
    [
      "SIMPLE upstream TLS without a CA",
      [
        {
          apiVersion: "networking.istio.io/v1",
          kind: "DestinationRule",
          metadata: { name: "d", namespace: "apps" },
          spec: { host: "api.example.com", trafficPolicy: { tls: { mode: "SIMPLE" } } },
        },
      ],
      "warning IST0128 spec.trafficPolicy.tls",
    ],
  ])("reports %s", (_name, objects, expected) => {
    expect(codes(objects)).toContain(expected);
  });

  it("accepts a cross-namespace backend with a matching ReferenceGrant, and attached routes", () => {
    const objects = [
      gw("gw", "apps", [httpListener]),
      route("apps", {
        parentRefs: [{ name: "gw" }],
        hostnames: ["a.example.com"],
        rules: [{ backendRefs: [{ ...backend, namespace: "data" }] }],
      }),
      grant("data", "apps"),
    ];
    expect(codes(objects)).toEqual([]);
  });

  it("reports missing Services only with analyzeRefs", () => {
    const objects = [route("apps", { rules: [{ backendRefs: [backend] }] })];
    expect(codes(objects).filter((code) => code.includes("BACKEND_NOT_FOUND"))).toEqual([]);
    expect(codes(objects, { analyzeRefs: true })).toContain("warning GWAPI_BACKEND_NOT_FOUND spec.rules[0].backendRefs[0]");
  });

  it("never turns an analysis into an error", () => {
    const objects = [
      vs("a", { hosts: ["reviews"], gateways: ["missing"], http: [{ route: to("reviews") }] }),
      route("apps", { parentRefs: [{ name: "nope" }], rules: [{ backendRefs: [backend] }] }),
    ];
    expect(validateObjects(objects).filter((finding) => finding.severity === "error")).toEqual([]);
  });
});

describe("analysis of objects that fail validation", () => {
  it("still sees a rejected Gateway, so VirtualServices naming it are not 'gateway not found'", () => {
    const broken = istioGateway("gw", ["a.example.com"]);
    (broken.spec.servers[0]!.port as Record<string, unknown>).number = "eighty";
    const findings = validateObjects([
      broken,
      vs("a", { hosts: ["a.example.com"], gateways: ["istio-system/gw"], http: [{ route: to("r") }] }),
    ]);
    expect(findings.some((finding) => finding.severity === "error" && finding.resource?.kind === "Gateway")).toBe(true);
    expect(findings.filter((finding) => finding.code === "IST0101" || finding.code === "IST0132")).toEqual([]);
  });

  it("reports Istio's errors as warnings in validate, as errors in analyze, and nothing with analyze off", () => {
    const objects = [vs("a", { hosts: ["a.example.com"], gateways: ["missing"], http: [{ route: to("r") }] })];
    expect(codes(objects)).toContain("warning IST0101 spec.gateways[0]");
    expect(codes(objects, { analysisMode: "analyze" })).toContain("error IST0101 spec.gateways[0]");
    expect(codes(objects, { analyze: false })).toEqual([]);
  });
});
