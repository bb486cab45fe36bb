import { describe, expect, it } from "vitest";
import { parseManifestText } from "../../../src/core/documents/index.js";
import { convertGatewayApiToIstio, defaultConvertOptions } from "../../../src/core/convert/index.js";
import type { KubeObject } from "../../../src/core/objects.js";
import { codes } from "./convert-input.js";

function reverse(text: string) {
  return convertGatewayApiToIstio(parseManifestText(text, "gateway-api.yaml").documents, defaultConvertOptions({ generator: "mesh-test" }));
}

const gateway = (listeners: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: edge}
spec: {gatewayClassName: istio, listeners: ${listeners}}
---
`;
const route = (name: string, spec: string, kind = "HTTPRoute", namespace = "edge") => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}, namespace: ${namespace}}
spec: ${spec}
---
`;
const spec = (object: KubeObject | undefined) => object?.spec as Record<string, any>;
const find = (objects: KubeObject[], kind: string, name: string) =>
  objects.find((object) => object.kind === kind && object.metadata.name === name);

describe("Gateway API → Istio (docs/design/convert.md §12)", () => {
  it.each([
    ["All", `{from: All}`, ["*/a.example"]],
    ["Same (also the default)", `{from: Same}`, ["./a.example"]],
    ["a namespace name selector", `{from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: shop}}}`, ["shop/a.example"]],
    [
      "an In selector",
      `{from: Selector, selector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [shop, web]}]}}`,
      ["shop/a.example", "web/a.example"],
    ],
    ["any other selector (broader, CONV603)", `{from: Selector, selector: {matchLabels: {team: x}}}`, ["*/a.example"]],
  ])("server hosts from allowedRoutes %s", (_name, namespaces, hosts) => {
    const result = reverse(
      gateway(`[{name: web, port: 80, protocol: HTTP, hostname: a.example, allowedRoutes: {namespaces: ${namespaces}}}]`),
    );
    expect(spec(find(result.objects, "Gateway", "gw")).servers[0].hosts).toEqual(hosts);
  });

  it("a PathPrefix becomes an exact and a prefix-with-slash match; Exact sorts first", () => {
    const result = reverse(
      gateway(`[{name: web, port: 80, protocol: HTTP}]`) +
        route(
          "r",
          `{parentRefs: [{name: gw}], hostnames: [a.example], rules: [{matches: [{path: {type: PathPrefix, value: /api/}}], backendRefs: [{name: api, port: 80}]}, {matches: [{path: {type: Exact, value: /health}}], backendRefs: [{name: health, port: 80}]}]}`,
        ),
    );
    expect(spec(find(result.objects, "VirtualService", "r")).http.map((entry: { match: unknown }) => entry.match)).toEqual([
      [{ uri: { exact: "/health" } }],
      [{ uri: { exact: "/api" } }, { uri: { prefix: "/api/" } }],
    ]);
  });

  it("GRPCRoute methods become gRPC paths", () => {
    const result = reverse(
      route(
        "g",
        `{parentRefs: [{name: gw}], rules: [{matches: [{method: {service: a.B, method: C}}, {method: {service: a.B}}, {method: {method: C}}, {method: {type: RegularExpression, service: "a\\\\..*"}}], backendRefs: [{name: grpc, port: 9000}]}]}`,
        "GRPCRoute",
      ),
    );
    expect(spec(find(result.objects, "VirtualService", "g")).http[0].match).toEqual([
      { uri: { exact: "/a.B/C" } },
      { uri: { prefix: "/a.B/" } },
      { uri: { regex: "/[^/]+/C" } },
      { uri: { regex: "/a\\..*/[^/]+" } },
    ]);
  });

  it("an https-redirect-only route folds into tls.httpsRedirect on its server", () => {
    const result = reverse(
      gateway(
        `[{name: http, port: 80, protocol: HTTP}, {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}]`,
      ) +
        route(
          "gw-https-redirect",
          `{parentRefs: [{name: gw, sectionName: http}], rules: [{filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]}]}`,
        ),
    );
    expect(result.objects.map((object) => object.kind)).toEqual(["Gateway"]);
    expect(spec(result.objects[0]).servers).toEqual([
      { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["./*"], tls: { httpsRedirect: true } },
      { port: { number: 443, name: "https", protocol: "HTTPS" }, hosts: ["./*"], tls: { mode: "SIMPLE", credentialName: "cert" } },
    ]);
  });

  it("weights are copied when there are several backends; a sole weight-0 backend answers 500", () => {
    const result = reverse(
      route(
        "w",
        `{parentRefs: [{name: gw}], rules: [{matches: [{path: {type: Exact, value: /a}}], backendRefs: [{name: a, port: 80, weight: 3}, {name: b, port: 80}]}, {backendRefs: [{name: c, port: 80, weight: 0}]}]}`,
      ),
    );
    const http = spec(find(result.objects, "VirtualService", "w")).http;
    expect(http[0].route.map((item: { weight: number }) => item.weight)).toEqual([3, 1]);
    expect(http[1].directResponse).toEqual({ status: 500 });
    expect(codes(result.findings)).toContain("CONV608");
  });

  it("cookie sessionPersistence becomes a DestinationRule with cookie consistent hashing", () => {
    const result = reverse(
      route(
        "s",
        `{parentRefs: [{name: gw}], rules: [{sessionPersistence: {type: Cookie, sessionName: sticky}, backendRefs: [{name: web, port: 80}]}]}`,
      ),
    );
    expect(find(result.objects, "DestinationRule", "web-session-affinity")).toMatchObject({
      metadata: { namespace: "edge" },
      spec: { host: "web", trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: "sticky", ttl: "0s" } } } } },
    });
    expect(codes(result.findings)).toContain("CONV613");
  });

  it("routes without parentRefs are not converted; routes sharing a host on one gateway are flagged", () => {
    const result = reverse(
      route("loose", `{hostnames: [a.example], rules: [{backendRefs: [{name: a, port: 80}]}]}`) +
        route("one", `{parentRefs: [{name: gw}], hostnames: [a.example], rules: [{backendRefs: [{name: a, port: 80}]}]}`) +
        route(
          "two",
          `{parentRefs: [{name: gw}], hostnames: [a.example], rules: [{matches: [{path: {type: Exact, value: /x}}], backendRefs: [{name: b, port: 80}]}]}`,
        ),
    );
    expect(result.objects.map((object) => object.metadata.name)).toEqual(["one", "two"]);
    expect(codes(result.findings)).toEqual(expect.arrayContaining(["CONV611", "CONV612"]));
  });
});
