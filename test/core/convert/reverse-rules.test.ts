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
    ["Same (also the default): the Gateway's namespace, as istiod writes it", `{from: Same}`, ["edge/a.example"]],
    ["a namespace name selector", `{from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: shop}}}`, ["shop/a.example"]],
    [
      "an In selector",
      `{from: Selector, selector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [shop, web]}]}}`,
      ["shop/a.example", "web/a.example"],
    ],
  ])("server hosts from allowedRoutes %s", (_name, namespaces, hosts) => {
    const result = reverse(
      gateway(`[{name: web, port: 80, protocol: HTTP, hostname: a.example, allowedRoutes: {namespaces: ${namespaces}}}]`),
    );
    expect(spec(find(result.objects, "Gateway", "gw-web")).servers[0].hosts).toEqual(hosts);
  });

  it("a label selector mesh cannot evaluate offline leaves the listener out with an error, instead of admitting every namespace", () => {
    const result = reverse(
      gateway(`[{name: web, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: x}}}}}]`),
    );
    expect(result.objects).toEqual([]);
    expect(codes(result.findings, "error")).toEqual(["CONV603"]);
  });

  it("a selector on a label no namespace has selects none, even when the key names an Object property", () => {
    const namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: x}}\n---\n";
    const result = reverse(
      namespace +
        gateway(
          `[{name: web, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchExpressions: [{key: constructor, operator: Exists}]}}}}]`,
        ),
    );
    expect(result.objects).toEqual([]);
    expect(codes(result.findings)).toContain("CONV603");
  });

  it("a PathPrefix becomes an exact and a prefix-with-slash match in one entry; Exact sorts first", () => {
    const result = reverse(
      gateway(`[{name: web, port: 80, protocol: HTTP}]`) +
        route(
          "r",
          `{parentRefs: [{name: gw}], hostnames: [a.example], rules: [{matches: [{path: {type: PathPrefix, value: /api/}}], backendRefs: [{name: api, port: 80}]}, {matches: [{path: {type: Exact, value: /health}}], backendRefs: [{name: health, port: 80}]}]}`,
        ),
    );
    expect(spec(find(result.objects, "VirtualService", "gw-web-a.example")).http.map((entry: { match: unknown }) => entry.match)).toEqual([
      [{ uri: { exact: "/health" } }],
      [{ uri: { exact: "/api" } }, { uri: { prefix: "/api/" } }],
    ]);
  });

  it("GRPCRoute methods become gRPC paths, one entry per match", () => {
    const result = reverse(
      gateway(`[{name: web, port: 80, protocol: HTTP}]`) +
        route(
          "g",
          `{parentRefs: [{name: gw}], rules: [{matches: [{method: {service: a.B, method: C}}, {method: {service: a.B}}, {method: {method: C}}, {method: {type: RegularExpression, service: "a\\\\..*"}}], backendRefs: [{name: grpc, port: 9000}]}]}`,
          "GRPCRoute",
        ),
    );
    expect(
      spec(find(result.objects, "VirtualService", "gw-web-wildcard")).http.map((entry: { match: unknown[] }) => entry.match[0]),
    ).toEqual([
      { uri: { exact: "/a.B/C" } },
      { uri: { prefix: "/a.B/" } },
      { uri: { regex: "/a\\..*/.+" } },
      { uri: { regex: "/[^/]+/C" } },
    ]);
  });

  it("an https-redirect route stays a redirect (istiod does not fold it into the server)", () => {
    const result = reverse(
      gateway(`[{name: http, port: 80, protocol: HTTP}]`) +
        route(
          "gw-https-redirect",
          `{parentRefs: [{name: gw, sectionName: http}], rules: [{filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]}]}`,
        ),
    );
    expect(spec(find(result.objects, "VirtualService", "gw-http-wildcard")).http).toEqual([
      { name: "edge.gw-https-redirect.0", redirect: { scheme: "https", derivePort: "FROM_PROTOCOL_DEFAULT", redirectCode: 301 } },
    ]);
  });

  it("weights are copied when there are several backends; a sole weight-0 backend answers 500", () => {
    const result = reverse(
      gateway(`[{name: web, port: 80, protocol: HTTP}]`) +
        route(
          "w",
          `{parentRefs: [{name: gw}], rules: [{matches: [{path: {type: Exact, value: /a}}], backendRefs: [{name: a, port: 80, weight: 3}, {name: b, port: 80}]}, {backendRefs: [{name: c, port: 80, weight: 0}]}]}`,
        ),
    );
    const http = spec(find(result.objects, "VirtualService", "gw-web-wildcard")).http;
    expect(http[0].route.map((item: { weight: number }) => item.weight)).toEqual([3, 1]);
    expect(http[1].directResponse).toEqual({ status: 500 });
  });

  it("cookie sessionPersistence becomes a DestinationRule with cookie consistent hashing", () => {
    const result = reverse(
      gateway(`[{name: web, port: 80, protocol: HTTP}]`) +
        route(
          "s",
          `{parentRefs: [{name: gw}], rules: [{sessionPersistence: {type: Cookie, sessionName: sticky}, backendRefs: [{name: web, port: 80}]}]}`,
        ),
    );
    expect(find(result.objects, "DestinationRule", "web-session-affinity")).toMatchObject({
      metadata: { namespace: "edge" },
      spec: {
        host: "web.edge.svc.cluster.local",
        trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: "sticky", ttl: "0s" } } } },
      },
    });
    expect(codes(result.findings)).toContain("CONV613");
  });

  it("routes without parentRefs are not converted; a parent Gateway missing from the input is an error", () => {
    const result = reverse(
      route("loose", `{hostnames: [a.example], rules: [{backendRefs: [{name: a, port: 80}]}]}`) +
        route("orphan", `{parentRefs: [{name: elsewhere}], hostnames: [a.example], rules: [{backendRefs: [{name: a, port: 80}]}]}`),
    );
    expect(result.objects).toEqual([]);
    expect(codes(result.findings, "warning")).toContain("CONV611");
    expect(codes(result.findings, "error")).toEqual(["CONV611"]);
  });
});
