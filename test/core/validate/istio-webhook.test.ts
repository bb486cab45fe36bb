import { describe, expect, it } from "vitest";
import { webhookErrors } from "../../../src/core/validate/istio/webhook.js";
import { defaultValidateOptions } from "../../../src/core/validate/options.js";
import { parseGoDuration } from "../../../src/core/durations.js";
import { wildcardDomainProblem } from "../../../src/core/validate/istio/webhook-rules.js";

const gateway = (spec: object, name = "ingress") => ({
  apiVersion: "networking.istio.io/v1",
  kind: "Gateway",
  metadata: { name, namespace: "istio-system" },
  spec,
});
const vs = (spec: object) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "reviews", namespace: "bookinfo" },
  spec,
});
const dr = (spec: object) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "DestinationRule",
  metadata: { name: "reviews", namespace: "bookinfo" },
  spec,
});
const se = (spec: object) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "ServiceEntry",
  metadata: { name: "ext", namespace: "bookinfo" },
  spec,
});
const ap = (spec: object) => ({
  apiVersion: "security.istio.io/v1",
  kind: "AuthorizationPolicy",
  metadata: { name: "policy", namespace: "bookinfo" },
  spec,
});
const pa = (spec: object) => ({
  apiVersion: "security.istio.io/v1",
  kind: "PeerAuthentication",
  metadata: { name: "pa", namespace: "bookinfo" },
  spec,
});
const server = (extra: object = {}) => ({
  port: { number: 80, name: "http", protocol: "HTTP" },
  hosts: ["bookinfo.example.com"],
  ...extra,
});
const route = [{ route: [{ destination: { host: "reviews" } }] }];

const run = (object: Record<string, unknown>) => webhookErrors(object, defaultValidateOptions);
const errorsOf = (object: Record<string, unknown>) => run(object).filter((error) => (error.severity ?? "error") === "error");

describe("Istio webhook semantics", () => {
  it.each([
    ["the bookinfo gateway", gateway({ selector: { istio: "ingressgateway" }, servers: [{ ...server(), hosts: ["*"] }] })],
    [
      "an HTTPS server with credentialName",
      gateway({
        servers: [
          {
            port: { number: 443, name: "https", protocol: "HTTPS" },
            hosts: ["*.example.com"],
            tls: { mode: "SIMPLE", credentialName: "cert" },
          },
        ],
      }),
    ],
    ["an HTTP server with httpsRedirect", gateway({ servers: [server({ tls: { httpsRedirect: true } })] })],
    [
      "the bookinfo reviews VirtualService",
      vs({
        hosts: ["reviews"],
        http: [
          { match: [{ headers: { "end-user": { exact: "jason" } } }], route: [{ destination: { host: "reviews", subset: "v2" } }] },
          { route: [{ destination: { host: "reviews", subset: "v1" } }] },
        ],
      }),
    ],
    [
      "a gateway-bound VirtualService with a namespace/name reference",
      vs({ hosts: ["*"], gateways: ["istio-system/ingress"], http: route }),
    ],
    [
      "a weighted split",
      vs({
        hosts: ["reviews"],
        http: [
          {
            route: [
              { destination: { host: "reviews", subset: "v1" }, weight: 50 },
              { destination: { host: "reviews", subset: "v3" }, weight: 50 },
            ],
          },
        ],
      }),
    ],
    [
      "a DestinationRule with subsets",
      dr({
        host: "reviews",
        subsets: [
          { name: "v1", labels: { version: "v1" } },
          { name: "v2", labels: { version: "v2" } },
        ],
      }),
    ],
    ["an allow-nothing AuthorizationPolicy", ap({})],
    ["a DENY policy with an empty rule", ap({ action: "DENY", rules: [{}] })],
    [
      "a CUSTOM policy with a provider",
      ap({ action: "CUSTOM", provider: { name: "ext-authz" }, rules: [{ to: [{ operation: { paths: ["/admin"] } }] }] }),
    ],
    ["port-level mTLS with a selector", pa({ selector: { matchLabels: { app: "x" } }, portLevelMtls: { "8080": { mode: "DISABLE" } } })],
    [
      "a ServiceEntry with DNS resolution",
      se({
        hosts: ["api.example.com"],
        ports: [{ number: 443, name: "https", protocol: "TLS" }],
        resolution: "DNS",
        location: "MESH_EXTERNAL",
      }),
    ],
  ])("accepts %s", (_name, object) => {
    expect(errorsOf(object)).toEqual([]);
  });

  it.each([
    ["a Gateway name with dots", gateway({ servers: [server()] }, "my.gateway"), ["metadata", "name"], /DNS labels/],
    ["a Gateway without servers", gateway({ servers: [] }), ["spec", "servers"], /at least one server/],
    ["a short host name", gateway({ servers: [server({ hosts: ["bookinfo"] })] }), ["spec", "servers", 0, "hosts", 0], /short names/],
    [
      "a partial wildcard host",
      gateway({ servers: [server({ hosts: ["foo*.example.com"] })] }),
      ["spec", "servers", 0, "hosts", 0],
      /invalid|partial wildcard/,
    ],
    [
      "duplicate port names",
      gateway({ servers: [server(), server({ hosts: ["x.example.com"] })] }),
      ["spec", "servers", 1, "port", "name"],
      /must be unique/,
    ],
    [
      "an unknown protocol",
      gateway({ servers: [server({ port: { number: 80, name: "http", protocol: "HTTPX" } })] }),
      ["spec", "servers", 0, "port", "protocol"],
      /unrecognized protocol/,
    ],
    [
      "HTTPS without tls",
      gateway({ servers: [server({ port: { number: 443, name: "https", protocol: "HTTPS" } })] }),
      ["spec", "servers", 0, "tls"],
      /TLS settings/,
    ],
    [
      "SIMPLE tls without certificates",
      gateway({ servers: [server({ port: { number: 443, name: "https", protocol: "HTTPS" }, tls: { mode: "SIMPLE" } })] }),
      ["spec", "servers", 0, "tls", "serverCertificate"],
      /server certificate/,
    ],
    [
      "ISTIO_MUTUAL with a credential",
      gateway({
        servers: [server({ port: { number: 443, name: "https", protocol: "HTTPS" }, tls: { mode: "ISTIO_MUTUAL", credentialName: "x" } })],
      }),
      ["spec", "servers", 0, "tls", "credentialName"],
      /ISTIO_MUTUAL/,
    ],
    [
      "two certificate sources",
      gateway({
        servers: [
          server({
            port: { number: 443, name: "https", protocol: "HTTPS" },
            tls: { mode: "SIMPLE", credentialName: "x", tlsCertificates: [{ serverCertificate: "a", privateKey: "b" }] },
          }),
        ],
      }),
      ["spec", "servers", 0, "tls"],
      /only one of/,
    ],
    [
      "a targetPort on a Gateway",
      gateway({ servers: [server({ port: { number: 80, name: "http", protocol: "HTTP", targetPort: 8080 } })] }),
      ["spec", "servers", 0, "port", "targetPort"],
      /no effect/,
    ],
    [
      "route and redirect together",
      vs({ hosts: ["reviews"], http: [{ route: route[0]!.route, redirect: { uri: "/x" } }] }),
      ["spec", "http", 0],
      /both route and redirect/,
    ],
    [
      "an HTTP route without a destination",
      vs({ hosts: ["reviews"], http: [{ match: [{ uri: { prefix: "/" } }] }] }),
      ["spec", "http", 0, "route"],
      /required/,
    ],
    ["host * bound to the mesh", vs({ hosts: ["*"], http: route }), ["spec", "hosts", 0], /wildcard host \*/],
    ["overlapping hosts", vs({ hosts: ["*.foo.com", "a.foo.com"], http: route }), ["spec", "hosts", 1], /duplicate hosts/],
    [
      "an SNI host broader than every VirtualService host (istiod asks for a subset, not an overlap)",
      vs({
        hosts: ["a.example.com"],
        gateways: ["ingress"],
        tls: [{ match: [{ sniHosts: ["*.example.com"], port: 443 }], route: route[0]!.route }],
      }),
      ["spec", "tls", 0, "match", 0, "sniHosts", 0],
      /SNI host "\*\.example\.com" is not a compatible subset of any of the virtual service hosts: \[a\.example\.com\]/,
    ],
    ["no routes at all", vs({ hosts: ["reviews"] }), ["spec"], /http, tcp or tls must be provided/],
    [
      "an invalid RE2 regex",
      vs({ hosts: ["reviews"], http: [{ match: [{ uri: { regex: "(?P<x" } }], route: route[0]!.route }] }),
      ["spec", "http", 0, "match", 0, "uri", "regex"],
      /not a valid RE2/,
    ],
    [
      "a sub-millisecond timeout",
      vs({ hosts: ["reviews"], http: [{ ...route[0], timeout: "1.5ms" }] }),
      ["spec", "http", 0, "timeout"],
      /ms precision/,
    ],
    [
      "an unparsable duration",
      vs({ hosts: ["reviews"], http: [{ ...route[0], timeout: "10 seconds" }] }),
      ["spec", "http", 0, "timeout"],
      /not a duration/,
    ],
    [
      "all-zero weights",
      vs({
        hosts: ["reviews"],
        http: [
          {
            route: [
              { destination: { host: "a" }, weight: 0 },
              { destination: { host: "b" }, weight: 0 },
            ],
          },
        ],
      }),
      ["spec", "http", 0, "route"],
      /weight is 0/,
    ],
    [
      "a gateway reference with two slashes",
      vs({ hosts: ["reviews"], gateways: ["a/b/c"], http: route }),
      ["spec", "gateways", 0],
      /invalid gateway name/,
    ],
    [
      "a bad retryOn policy",
      vs({ hosts: ["reviews"], http: [{ ...route[0], retries: { attempts: 3, retryOn: "5xx,sometimes" } }] }),
      ["spec", "http", 0, "retries", "retryOn"],
      /not a valid retryOn/,
    ],
    [
      "retries disabled but configured",
      vs({ hosts: ["reviews"], http: [{ ...route[0], retries: { attempts: 0, perTryTimeout: "2s" } }] }),
      ["spec", "http", 0, "retries"],
      /attempts are set to 0/,
    ],
    [
      "a redirect code outside 3xx",
      vs({ hosts: ["reviews"], http: [{ redirect: { uri: "/x", redirectCode: 200 } }] }),
      ["spec", "http", 0, "redirect", "redirectCode"],
      /3xx/,
    ],
    ["a delegate VirtualService with gateways", vs({ gateways: ["istio-system/ingress"], http: route }), ["spec", "gateways"], /delegate/],
    [
      "duplicate subset names",
      dr({ host: "reviews", subsets: [{ name: "v1" }, { name: "v1" }] }),
      ["spec", "subsets", 1, "name"],
      /duplicate subset/,
    ],
    [
      "MUTUAL TLS without a client certificate",
      dr({ host: "reviews", trafficPolicy: { tls: { mode: "MUTUAL" } } }),
      ["spec", "trafficPolicy", "tls", "clientCertificate"],
      /client certificate/,
    ],
    ["DENY without rules", ap({ action: "DENY" }), ["spec", "rules"], /DENY action requires rules/],
    ["CUSTOM without a provider", ap({ action: "CUSTOM", rules: [{}] }), ["spec", "provider", "name"], /provider name/],
    ["a provider without CUSTOM", ap({ provider: { name: "x" }, rules: [{}] }), ["spec", "provider"], /only be used with the CUSTOM/],
    [
      "CUSTOM with principals",
      ap({ action: "CUSTOM", provider: { name: "x" }, rules: [{ from: [{ source: { principals: ["a"] } }] }] }),
      ["spec", "rules", 0, "from", 0, "source", "principals"],
      /not supported/,
    ],
    ["an empty source", ap({ rules: [{ from: [{ source: {} }] }] }), ["spec", "rules", 0, "from", 0, "source"], /must not be empty/],
    [
      "a condition without values",
      ap({ rules: [{ when: [{ key: "request.headers[x]" }] }] }),
      ["spec", "rules", 0, "when", 0],
      /values or notValues/,
    ],
    ["port-level mTLS without a selector", pa({ portLevelMtls: { "8080": { mode: "DISABLE" } } }), ["spec", "portLevelMtls"], /selector/],
    [
      "a non-numeric port-level key",
      pa({ selector: { matchLabels: { app: "x" } }, portLevelMtls: { http: { mode: "DISABLE" } } }),
      ["spec", "portLevelMtls", "http"],
      /port must be a number/,
    ],
    [
      "a ServiceEntry host *",
      se({ hosts: ["*"], ports: [{ number: 80, name: "http", protocol: "HTTP" }] }),
      ["spec", "hosts", 0],
      /invalid host/,
    ],
    [
      "endpoints with resolution NONE",
      se({ hosts: ["a.example.com"], ports: [{ number: 80, name: "http", protocol: "HTTP" }], endpoints: [{ address: "1.2.3.4" }] }),
      ["spec", "endpoints"],
      /NONE/,
    ],
    [
      "a CIDR with DNS resolution",
      se({
        hosts: ["a.example.com"],
        addresses: ["10.0.0.0/8"],
        ports: [{ number: 80, name: "http", protocol: "HTTP" }],
        resolution: "DNS",
      }),
      ["spec", "addresses", 0],
      /CIDR/,
    ],
  ])("rejects %s", (_name, object, path, message) => {
    const found = errorsOf(object);
    const match = found.find((error) => JSON.stringify(error.path) === JSON.stringify(path));
    expect(match, JSON.stringify(found, null, 2)).toBeDefined();
    expect(match!.detail).toMatch(message);
  });

  it("warns, not rejects, for certificates on a PASSTHROUGH server", () => {
    const found = run(
      gateway({
        servers: [server({ port: { number: 443, name: "tls", protocol: "TLS" }, tls: { mode: "PASSTHROUGH", credentialName: "x" } })],
      }),
    );
    expect(found.map((error) => error.severity)).toEqual(["warning"]);
  });

  it("refuses Istio's internal annotations on any Istio kind", () => {
    const object = { ...dr({ host: "reviews" }), metadata: { name: "r", annotations: { "internal.istio.io/parents": "x" } } };
    expect(errorsOf(object).map((error) => error.code)).toEqual(["ISTIO_INTERNAL_ANNOTATION"]);
  });

  it("leaves Gateway API kinds alone", () => {
    expect(run({ apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "a.b" }, spec: {} })).toEqual([]);
  });
});

describe("Istio building blocks", () => {
  it.each([
    ["10s", 10e9],
    ["300ms", 300e6],
    ["1h30m", 5400e9],
    ["1.5s", 1.5e9],
    ["0", 0],
    ["-2m", -120e9],
    ["10", undefined],
    ["1d", undefined],
    ["", undefined],
  ])("parses the Go duration %j", (text, nanos) => {
    expect(parseGoDuration(text)).toBe(nanos);
  });

  it.each([
    ["example.com", true],
    ["*.example.com", true],
    ["*", true],
    ["*x.example.com", true],
    ["ex_ample.com", false],
    ["a..b", false],
    ["foo.123", false],
  ])("judges the wildcard domain %j", (host, valid) => {
    expect(wildcardDomainProblem(host) === undefined).toBe(valid);
  });
});
