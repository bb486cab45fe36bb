import { describe, expect, it } from "vitest";
import { parseIstioDuration } from "../../../src/core/convert/durations.js";
import type { KubeObject } from "../../../src/core/objects.js";
import { convertYaml } from "./convert-input.js";

/**
 * `--profile compat` against what ingress2gateway v1.1.0 writes for inputs of the kind its Istio tests
 * use, compared as docs/design/convert.md §1 defines parity: objects by apiVersion/kind/namespace/name, metadata
 * ignored, list order ignored except rules and filters, durations by value, a lone backend's weight
 * ignored (E1). The expected objects are written in ingress2gateway's output form.
 */
type Json = unknown;

function normalize(value: Json, key = "", parent: Record<string, unknown> | undefined = undefined): Json {
  if (Array.isArray(value)) {
    const items = value.map((item) => normalize(item, key));
    if (key === "backendRefs" && items.length === 1) delete (items[0] as Record<string, unknown>).weight;
    return key === "rules" || key === "filters"
      ? items
      : items
          .map((item) => JSON.stringify(item))
          .sort()
          .map((item) => JSON.parse(item));
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [field, item] of Object.entries(value)) out[field] = normalize(item, field, value as Record<string, unknown>);
    return out;
  }
  if (typeof value === "string" && (key === "request" || key === "backendRequest") && parent) return parseIstioDuration(value);
  return value;
}

function parityView(objects: readonly KubeObject[]): Record<string, Json> {
  return Object.fromEntries(
    objects.map((object) => [
      `${object.apiVersion} ${object.kind} ${object.metadata.namespace}/${object.metadata.name}`,
      normalize(object.spec),
    ]),
  );
}

describe("compat profile = ingress2gateway v1.1.0 (semantic parity)", () => {
  it("HTTP routes: matches, redirect + route, mirror, header modifiers, timeout", () => {
    const result = convertYaml(
      `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {namespace: shop, name: catalog}
spec:
  gateways: [edge-gateway]
  hosts: [catalog.shop.svc.cluster.local]
  http:
  - name: legacy
    match:
    - uri: {prefix: /old}
      headers: {x-version: {exact: "1"}}
      method: {exact: GET}
    - uri: {regex: "/item/[a-z]+"}
      queryParams: {debug: {regex: "t.*"}}
    redirect: {uri: /new, redirectCode: 301, port: 8443, scheme: https}
    mirror: {host: catalog-shadow}
    route:
    - destination: {host: catalog.shop.svc.cluster.local}
    timeout: 2s
    headers:
      request: {set: {x-b: "2"}, add: {x-a: "1"}, remove: [x-c]}
  - match:
    - uri: {exact: /health}
    route:
    - destination: {host: health}
      weight: 30
    - destination: {host: health-canary}
      weight: 70
`,
      { profile: "compat" },
    );
    expect(parityView(result.objects)).toEqual(
      parityView([
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata: { name: "catalog-legacy", namespace: "shop" },
          spec: {
            hostnames: ["catalog.shop.svc.cluster.local"],
            rules: [
              {
                matches: [
                  {
                    path: { type: "PathPrefix", value: "/old" },
                    headers: [{ type: "Exact", name: "x-version", value: "1" }],
                    method: "GET",
                  },
                  {
                    path: { type: "RegularExpression", value: "/item/[a-z]+" },
                    queryParams: [{ type: "RegularExpression", name: "debug", value: "t.*" }],
                  },
                ],
                backendRefs: [{ name: "catalog", namespace: "shop", weight: 0 }],
                filters: [
                  {
                    type: "RequestRedirect",
                    requestRedirect: {
                      scheme: "https",
                      path: { type: "ReplaceFullPath", replaceFullPath: "/new" },
                      statusCode: 301,
                      port: 8443,
                    },
                  },
                  { type: "RequestMirror", requestMirror: { backendRef: { name: "catalog-shadow", namespace: "shop" } } },
                  {
                    type: "RequestHeaderModifier",
                    requestHeaderModifier: { add: [{ name: "x-a", value: "1" }], set: [{ name: "x-b", value: "2" }], remove: ["x-c"] },
                  },
                ],
                timeouts: { request: "2s" },
              },
            ],
          },
        },
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata: { name: "catalog-idx-1", namespace: "shop" },
          spec: {
            hostnames: ["catalog.shop.svc.cluster.local"],
            rules: [
              {
                matches: [{ path: { type: "Exact", value: "/health" } }],
                backendRefs: [
                  { name: "health", namespace: "shop", weight: 30 },
                  { name: "health-canary", namespace: "shop", weight: 70 },
                ],
              },
            ],
          },
        },
      ]),
    );
  });

  it("TLS routes: one per tls entry, SNI hosts as hostnames", () => {
    const result = convertYaml(
      `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {namespace: shop, name: secure}
spec:
  gateways: [edge-gateway]
  hosts: [secure.shop.svc.cluster.local]
  tls:
  - match: [{port: 443, sniHosts: [pay.example.com]}]
    route: [{destination: {host: pay.billing.svc.cluster.local}}]
  - match: [{port: 443, sniHosts: [login.example.com]}]
    route: [{destination: {host: login}}]
`,
      { profile: "compat" },
    );
    expect(parityView(result.objects)).toEqual(
      parityView([
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "TLSRoute",
          metadata: { name: "secure-idx-0", namespace: "shop" },
          spec: { hostnames: ["pay.example.com"], rules: [{ backendRefs: [{ name: "pay", namespace: "billing", weight: 0 }] }] },
        },
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "TLSRoute",
          metadata: { name: "secure-idx-1", namespace: "shop" },
          spec: { hostnames: ["login.example.com"], rules: [{ backendRefs: [{ name: "login", namespace: "shop", weight: 0 }] }] },
        },
      ]),
    );
  });

  it("Gateways in two namespaces: parentRefs and a ReferenceGrant for the other namespace", () => {
    const result = convertYaml(
      `apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: public, namespace: infra}
spec:
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [shop.example.com]}]
---
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: local, namespace: shop}
spec:
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [shop.example.com]}]
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {namespace: shop, name: store}
spec:
  gateways: [infra/public, local]
  hosts: [shop.example.com]
  http:
  - route: [{destination: {host: store.infra.svc.cluster.local}, weight: 1}]
`,
      { profile: "compat" },
    );
    const listener = { name: "http-protocol-wildcard-ns-shop.example.com", hostname: "shop.example.com", port: 80, protocol: "HTTP" };
    expect(parityView(result.objects)).toEqual(
      parityView([
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "Gateway",
          metadata: { name: "public", namespace: "infra" },
          spec: { gatewayClassName: "istio", listeners: [listener] },
        },
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "Gateway",
          metadata: { name: "local", namespace: "shop" },
          spec: { gatewayClassName: "istio", listeners: [listener] },
        },
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata: { name: "store-idx-0", namespace: "shop" },
          spec: {
            hostnames: ["shop.example.com"],
            parentRefs: [
              { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "infra", name: "public" },
              { group: "gateway.networking.k8s.io", kind: "Gateway", name: "local" },
            ],
            rules: [{ backendRefs: [{ namespace: "infra", name: "store", weight: 1 }] }],
          },
        },
        {
          apiVersion: "gateway.networking.k8s.io/v1beta1",
          kind: "ReferenceGrant",
          metadata: { name: "generated-reference-grant-from-shop-to-infra", namespace: "infra" },
          spec: {
            from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "shop" }],
            to: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "public" }],
          },
        },
      ]),
    );
  });

  it("rewrite: exact/regex matches and prefix matches become two routes; no uri match gives only the prefix route", () => {
    const result = convertYaml(
      `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {namespace: shop, name: pages}
spec:
  hosts: [pages.shop.svc.cluster.local]
  http:
  - name: docs
    match: [{uri: {prefix: /docs}}, {uri: {exact: /faq}}, {uri: {regex: "/p/[0-9]+"}}]
    rewrite: {uri: /static, authority: cdn}
    route: [{destination: {host: pages.shop.svc.cluster.local, subset: v1}}]
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {namespace: shop, name: by-header}
spec:
  hosts: [pages.shop.svc.cluster.local]
  http:
  - name: beta
    match: [{headers: {x-beta: {exact: "yes"}}}]
    rewrite: {uri: /beta}
    route: [{destination: {host: pages-beta}}]
`,
      { profile: "compat" },
    );
    const backend = (name: string) => [{ name, namespace: "shop", weight: 0 }];
    expect(parityView(result.objects)).toEqual(
      parityView([
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata: { name: "pages-docs", namespace: "shop" },
          spec: {
            hostnames: ["pages.shop.svc.cluster.local"],
            rules: [
              {
                matches: [{ path: { type: "Exact", value: "/faq" } }, { path: { type: "RegularExpression", value: "/p/[0-9]+" } }],
                backendRefs: backend("pages"),
                filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplaceFullPath", replaceFullPath: "/static" } } }],
              },
            ],
          },
        },
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata: { name: "pages-docs-prefix-match", namespace: "shop" },
          spec: {
            hostnames: ["pages.shop.svc.cluster.local"],
            rules: [
              {
                matches: [{ path: { type: "PathPrefix", value: "/docs" } }],
                backendRefs: backend("pages"),
                filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/static" } } }],
              },
            ],
          },
        },
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata: { name: "by-header-beta-prefix-match", namespace: "shop" },
          spec: {
            hostnames: ["pages.shop.svc.cluster.local"],
            rules: [
              {
                matches: [{ headers: [{ type: "Exact", name: "x-beta", value: "yes" }] }],
                backendRefs: backend("pages-beta"),
                filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/beta" } } }],
              },
            ],
          },
        },
      ]),
    );
  });
});
