/**
 * Mutations aimed at one CEL rule each (docs/design/validation.md §2.3–2.5, §3.8), so that the CRD-agreement
 * conformance test violates every rule at least once, not only those generic mutations reach.
 */
type Json = Record<string, any>;
type Mutation = [description: string, mutate: (document: Json) => void];

const gatewayApi: Record<string, Mutation[]> = {
  Gateway: [
    ["duplicate Hostname addresses", (d) => d.spec.addresses.push({ type: "Hostname", value: "lb.example.com" })],
    ["duplicate IPAddress addresses", (d) => d.spec.addresses.push({ type: "IPAddress", value: "10.1.2.3" })],
    ["bad Hostname address", (d) => (d.spec.addresses[1].value = "LB_example")],
    ["bad infrastructure annotation key", (d) => (d.spec.infrastructure.annotations = { "a/b/c": "x" })],
    ["long infrastructure annotation prefix", (d) => (d.spec.infrastructure.annotations = { [`${"a".repeat(254)}/x`]: "x" })],
    ["bad infrastructure label key", (d) => (d.spec.infrastructure.labels = { "-bad": "x" })],
    ["long infrastructure label prefix", (d) => (d.spec.infrastructure.labels = { [`${"a".repeat(254)}/x`]: "x" })],
    ["tls on an HTTP listener", (d) => (d.spec.listeners[0].tls = { mode: "Terminate", certificateRefs: [{ name: "c" }] })],
    ["Passthrough on an HTTPS listener", (d) => (d.spec.listeners[1].tls = { mode: "Passthrough" })],
    ["TLS listener without tls", (d) => delete d.spec.listeners[2].tls],
    ["hostname on a TCP listener", (d) => (d.spec.listeners[3].hostname = "tcp.example.com")],
    ["duplicate listener names", (d) => (d.spec.listeners[1].name = "http")],
    ["duplicate port/protocol/hostname", (d) => d.spec.listeners.push({ ...d.spec.listeners[0], name: "http-2" })],
    ["Terminate without certificates or options", (d) => (d.spec.listeners[1].tls = { mode: "Terminate" })],
    [
      "duplicate frontend TLS ports",
      (d) =>
        (d.spec.tls = {
          frontend: {
            default: { validation: { caCertificateRefs: [{ name: "ca", kind: "ConfigMap", group: "" }] } },
            perPort: [
              { port: 443, tls: { validation: { caCertificateRefs: [{ name: "ca", kind: "ConfigMap", group: "" }] } } },
              { port: 443, tls: { validation: { caCertificateRefs: [{ name: "ca", kind: "ConfigMap", group: "" }] } } },
            ],
          },
        }),
    ],
  ],
  HTTPRoute: [
    ["two parentRefs to one parent without sectionName", (d) => d.spec.parentRefs.push({ name: "edge", namespace: "infra" })],
    ["duplicate parentRef", (d) => d.spec.parentRefs.push({ ...d.spec.parentRefs[0] })],
    [
      "more than 128 matches in total",
      (d) =>
        (d.spec.rules = Array.from({ length: 3 }, () => ({
          matches: Array.from({ length: 50 }, (_, i) => ({ path: { type: "PathPrefix", value: `/p${i}` } })),
          backendRefs: [{ name: "s", port: 80 }],
        }))),
    ],
    [
      "duplicate rule names",
      (d) => {
        d.spec.rules[0].name = "a";
        d.spec.rules[1].name = "a";
      },
    ],
    ["repeated ResponseHeaderModifier", (d) => d.spec.rules[0].filters.push({ ...d.spec.rules[0].filters[1] })],
    ["repeated RequestHeaderModifier", (d) => d.spec.rules[0].filters.push({ ...d.spec.rules[0].filters[0] })],
    ["repeated URLRewrite", (d) => d.spec.rules[0].filters.push({ ...d.spec.rules[0].filters[2] })],
    ["repeated RequestRedirect", (d) => d.spec.rules[1].filters.push({ ...d.spec.rules[1].filters[0] })],
    [
      "requestHeaderModifier on a wrong type",
      (d) => (d.spec.rules[0].filters[1].requestHeaderModifier = { set: [{ name: "a", value: "b" }] }),
    ],
    [
      "responseHeaderModifier on a wrong type",
      (d) => (d.spec.rules[0].filters[0].responseHeaderModifier = { set: [{ name: "a", value: "b" }] }),
    ],
    ["requestMirror on a wrong type", (d) => (d.spec.rules[2].filters[1].requestMirror = { backendRef: { name: "m", port: 80 } })],
    ["extensionRef on a wrong type", (d) => (d.spec.rules[2].filters[0].extensionRef = { group: "example.com", kind: "P", name: "p" })],
    ["requestRedirect on a wrong type", (d) => (d.spec.rules[0].filters[0].requestRedirect = { statusCode: 301 })],
    ["urlRewrite on a wrong type", (d) => (d.spec.rules[0].filters[0].urlRewrite = { hostname: "x.example.com" })],
    ["cors on a wrong type", (d) => (d.spec.rules[0].filters[0].cors = { allowOrigins: ["https://a.example.com"] })],
    ["CORS type without cors", (d) => d.spec.rules[0].filters.push({ type: "CORS" })],
    ["repeated CORS", (d) => d.spec.rules[0].filters.push({ type: "CORS", cors: { maxAge: 5 } }, { type: "CORS", cors: { maxAge: 5 } })],
    ["cors allowHeaders * with others", (d) => d.spec.rules[0].filters.push({ type: "CORS", cors: { allowHeaders: ["*", "x-a"] } })],
    ["cors allowMethods * with others", (d) => d.spec.rules[0].filters.push({ type: "CORS", cors: { allowMethods: ["*", "GET"] } })],
    [
      "cors allowOrigins * with others",
      (d) => d.spec.rules[0].filters.push({ type: "CORS", cors: { allowOrigins: ["*", "https://a.example.com"] } }),
    ],
    ["ExternalAuth type without externalAuth", (d) => d.spec.rules[0].filters.push({ type: "ExternalAuth" })],
    [
      "externalAuth on a wrong type",
      (d) => (d.spec.rules[0].filters[0].externalAuth = { protocol: "HTTP", backendRef: { name: "auth", port: 80 }, http: {} }),
    ],
    [
      "externalAuth GRPC without grpc",
      (d) =>
        d.spec.rules[0].filters.push({ type: "ExternalAuth", externalAuth: { protocol: "GRPC", backendRef: { name: "auth", port: 80 } } }),
    ],
    [
      "externalAuth grpc with HTTP",
      (d) =>
        d.spec.rules[0].filters.push({
          type: "ExternalAuth",
          externalAuth: { protocol: "HTTP", backendRef: { name: "auth", port: 80 }, grpc: {}, http: {} },
        }),
    ],
    [
      "externalAuth HTTP without http",
      (d) =>
        d.spec.rules[0].filters.push({ type: "ExternalAuth", externalAuth: { protocol: "HTTP", backendRef: { name: "auth", port: 80 } } }),
    ],
    [
      "externalAuth http with GRPC",
      (d) =>
        d.spec.rules[0].filters.push({
          type: "ExternalAuth",
          externalAuth: { protocol: "GRPC", backendRef: { name: "auth", port: 80 }, grpc: {}, http: {} },
        }),
    ],
    [
      "mirror percent and fraction",
      (d) => Object.assign(d.spec.rules[2].filters[0].requestMirror, { percent: 10, fraction: { numerator: 1 } }),
    ],
    ["mirror numerator above denominator", (d) => (d.spec.rules[2].filters[0].requestMirror.fraction = { numerator: 200 })],
    ["redirect with backendRefs", (d) => (d.spec.rules[1].backendRefs = [{ name: "s", port: 80 }])],
    [
      "redirect ReplacePrefixMatch with two matches",
      (d) => {
        d.spec.rules[1].filters[0].requestRedirect.path = { type: "ReplacePrefixMatch", replacePrefixMatch: "/n" };
        d.spec.rules[1].matches.push({ path: { type: "PathPrefix", value: "/b" } });
      },
    ],
    [
      "rewrite ReplacePrefixMatch with two matches",
      (d) => (d.spec.rules[0].filters[2].urlRewrite.path = { type: "ReplacePrefixMatch", replacePrefixMatch: "/n" }),
    ],
    [
      "backend redirect ReplacePrefixMatch with two matches",
      (d) =>
        d.spec.rules[0].backendRefs[1].filters.push({
          type: "RequestRedirect",
          requestRedirect: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/n" } },
        }),
    ],
    [
      "backend rewrite ReplacePrefixMatch with two matches",
      (d) =>
        d.spec.rules[0].backendRefs[1].filters.push({
          type: "URLRewrite",
          urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/n" } },
        }),
    ],
    [
      "redirect and rewrite together",
      (d) => d.spec.rules[1].filters.push({ type: "URLRewrite", urlRewrite: { hostname: "x.example.com" } }),
    ],
    ["replaceFullPath with another type", (d) => (d.spec.rules[1].filters[0].requestRedirect.path.type = "ReplacePrefixMatch")],
    [
      "ReplacePrefixMatch without replacePrefixMatch",
      (d) => (d.spec.rules[1].filters[0].requestRedirect.path = { type: "ReplacePrefixMatch" }),
    ],
    [
      "replacePrefixMatch with ReplaceFullPath",
      (d) =>
        (d.spec.rules[1].filters[0].requestRedirect.path = { type: "ReplaceFullPath", replaceFullPath: "/a", replacePrefixMatch: "/b" }),
    ],
    ...["/a/./b", "/a/../b", "/a%2fb", "/a%2Fb", "/a#b", "/a/..", "/a/.", "a", "/a//b", "/a b"].map((value): Mutation => [
      `path value ${value}`,
      (d) => (d.spec.rules[0].matches[0].path.value = value),
    ]),
    ["backendRequest longer than request", (d) => (d.spec.rules[0].timeouts = { request: "1s", backendRequest: "2s" })],
    ["portless Service backend", (d) => delete d.spec.rules[0].backendRefs[0].port],
    ["portless mirror backend", (d) => delete d.spec.rules[2].filters[0].requestMirror.backendRef.port],
    [
      "session persistence cookieConfig with Header",
      (d) => (d.spec.rules[0].sessionPersistence = { type: "Header", cookieConfig: { lifetimeType: "Session" } }),
    ],
    [
      "Permanent cookie without absoluteTimeout",
      (d) => (d.spec.rules[0].sessionPersistence = { type: "Cookie", cookieConfig: { lifetimeType: "Permanent" } }),
    ],
  ],
  GRPCRoute: [
    ["method type without service or method", (d) => (d.spec.rules[0].matches[0].method = { type: "Exact" })],
    ["bad service name", (d) => (d.spec.rules[0].matches[0].method.service = "com..bad")],
    ["bad method name", (d) => (d.spec.rules[0].matches[0].method.method = "1Login")],
    ["portless backend", (d) => delete d.spec.rules[0].backendRefs[0].port],
    ["duplicate parentRef", (d) => d.spec.parentRefs.push({ ...d.spec.parentRefs[0] })],
  ],
  BackendTLSPolicy: [
    ["two targetRefs to one target without sectionName", (d) => d.spec.targetRefs.push({ group: "", kind: "Service", name: "store-v1" })],
    ["duplicate targetRef", (d) => d.spec.targetRefs.push({ ...d.spec.targetRefs[0] })],
    ["both CA sources", (d) => (d.spec.validation.wellKnownCACertificates = "System")],
    ["no CA source", (d) => delete d.spec.validation.caCertificateRefs],
    ["hostname on a URI SAN", (d) => (d.spec.validation.subjectAltNames[1].hostname = "x.example.com")],
    ["uri on a Hostname SAN", (d) => (d.spec.validation.subjectAltNames[0].uri = "spiffe://x")],
    ["Hostname SAN without hostname", (d) => delete d.spec.validation.subjectAltNames[0].hostname],
    ["URI SAN without uri", (d) => delete d.spec.validation.subjectAltNames[1].uri],
  ],
  TLSRoute: [
    ["IP hostname", (d) => (d.spec.hostnames = ["10.0.0.1"])],
    ["upper-case hostname", (d) => (d.spec.hostnames = ["Secure.example.com"])],
    ["inner wildcard", (d) => (d.spec.hostnames = ["a.*.example.com"])],
    ["portless backend", (d) => delete d.spec.rules[0].backendRefs[0].port],
  ],
  TCPRoute: [["portless backend", (d) => delete d.spec.rules[0].backendRefs[0].port]],
  UDPRoute: [["portless backend", (d) => delete d.spec.rules[0].backendRefs[0].port]],
  XBackendTrafficPolicy: [
    ["budget interval below 1s", (d) => (d.spec.retryConstraint.budget.interval = "500ms")],
    ["budget interval above 1h", (d) => (d.spec.retryConstraint.budget.interval = "2h")],
    ["min retry rate interval 0s", (d) => (d.spec.retryConstraint.minRetryRate.interval = "0s")],
    ["min retry rate interval above 1h", (d) => (d.spec.retryConstraint.minRetryRate.interval = "61m")],
    ["Permanent cookie without absoluteTimeout", (d) => delete d.spec.sessionPersistence.absoluteTimeout],
  ],
  ListenerSet: [
    ["tls on an HTTP listener", (d) => (d.spec.listeners[0].tls = { mode: "Terminate", certificateRefs: [{ name: "c" }] })],
    ["Passthrough on HTTPS", (d) => (d.spec.listeners[1].tls = { mode: "Passthrough" })],
    ["TLS listener without tls", (d) => d.spec.listeners.push({ name: "t", port: 9443, protocol: "TLS" })],
    ["hostname on a TCP listener", (d) => d.spec.listeners.push({ name: "t", port: 9000, protocol: "TCP", hostname: "x.example.com" })],
    ["duplicate listener names", (d) => (d.spec.listeners[1].name = "extra-http")],
    ["duplicate port/protocol/hostname", (d) => d.spec.listeners.push({ ...d.spec.listeners[0], name: "dup" })],
    ["Terminate without certificates", (d) => (d.spec.listeners[1].tls = { mode: "Terminate" })],
  ],
};

const istio: Record<string, Mutation[]> = {
  Gateway: [
    [
      "credentialNames with tlsCertificates",
      (d) => {
        delete d.spec.servers[1].tls.credentialName;
        Object.assign(d.spec.servers[1].tls, { credentialNames: ["a"], tlsCertificates: [{ serverCertificate: "/c", privateKey: "/k" }] });
      },
    ],
    ["credentialName with credentialNames", (d) => (d.spec.servers[1].tls.credentialNames = ["a"])],
    [
      "credentialName with tlsCertificates",
      (d) => (d.spec.servers[1].tls.tlsCertificates = [{ serverCertificate: "/c", privateKey: "/k" }]),
    ],
    ["selector key with *", (d) => (d.spec.selector = { "a*": "b" })],
  ],
  ServiceEntry: [
    ["selector and endpoints", (d) => (d.spec.workloadSelector = { labels: { app: "x" } })],
    [
      "CIDR with DNS",
      (d) => {
        d.spec.addresses = ["10.0.0.0/8"];
        d.spec.resolution = "DNS";
        d.spec.endpoints = [{ address: "a.example.com" }];
      },
    ],
    [
      "DNS_ROUND_ROBIN with two endpoints",
      (d) => {
        d.spec.resolution = "DNS_ROUND_ROBIN";
        d.spec.endpoints = [{ address: "a.example.com" }, { address: "b.example.com" }];
      },
    ],
    ["UDS with ports", (d) => (d.spec.endpoints[0] = { address: "unix:///sock", ports: { https: 1 } })],
    ["relative UDS", (d) => (d.spec.endpoints[0] = { address: "unix://sock" })],
    ["UDS directory", (d) => (d.spec.endpoints[0] = { address: "unix:///dir/" })],
    ["bad endpoint port name", (d) => (d.spec.endpoints[0].ports = { "Bad Name": 1 })],
    ["endpoint without address or network", (d) => (d.spec.endpoints[1] = { labels: { a: "b" } })],
    ["host *", (d) => (d.spec.hosts = ["*"])],
  ],
  Sidecar: [
    ["selector value with *", (d) => (d.spec.workloadSelector.labels = { app: "re*" })],
    ["empty selector key", (d) => (d.spec.workloadSelector.labels = { "": "x" })],
  ],
  AuthorizationPolicy: [
    ["selector and targetRef", (d) => (d.spec.targetRef = { kind: "Gateway", group: "gateway.networking.k8s.io", name: "g" })],
    ["selector and targetRefs", (d) => (d.spec.targetRefs = [{ kind: "Gateway", group: "gateway.networking.k8s.io", name: "g" }])],
    ["serviceAccounts with principals", (d) => (d.spec.rules[0].from[0].source.serviceAccounts = ["bookinfo/x"])],
    [
      "targetRef with a namespace",
      (d) => {
        delete d.spec.selector;
        d.spec.targetRef = { kind: "Gateway", group: "gateway.networking.k8s.io", name: "g", namespace: "other" };
      },
    ],
  ],
  PeerAuthentication: [
    ["portLevelMtls without selector", (d) => delete d.spec.selector],
    ["non-numeric port key", (d) => (d.spec.portLevelMtls = { http: { mode: "STRICT" } })],
    ["port key 0", (d) => (d.spec.portLevelMtls = { "0": { mode: "STRICT" } })],
  ],
  RequestAuthentication: [
    ["jwks and jwksUri", (d) => (d.spec.jwtRules[0].jwks = "{}")],
    ["jwksUri without http(s)", (d) => (d.spec.jwtRules[0].jwksUri = "ftp://issuer.example.com/jwks")],
  ],
  DestinationRule: [
    ["sub-millisecond interval", (d) => (d.spec.trafficPolicy.outlierDetection.interval = "100us")],
    ["unparsable duration", (d) => (d.spec.trafficPolicy.connectionPool.tcp.connectTimeout = "soon")],
    ["subset label with *", (d) => (d.spec.subsets[0].labels = { version: "v*" })],
  ],
  VirtualService: [["sub-millisecond timeout", (d) => (d.spec.http[0].timeout = "10us")]],
  WasmPlugin: [
    ["selector and targetRefs", (d) => (d.spec.targetRefs = [{ kind: "Gateway", group: "gateway.networking.k8s.io", name: "g" }])],
    ["bad url scheme", (d) => (d.spec.url = "ftp://x/y")],
  ],
  EnvoyFilter: [
    ["REMOVE with a value", (d) => (d.spec.configPatches[0].patch.operation = "REMOVE")],
    ["targetRefs with workloadSelector", (d) => (d.spec.targetRefs = [{ kind: "Gateway", group: "gateway.networking.k8s.io", name: "g" }])],
    ["waypointMatch outside WAYPOINT", (d) => (d.spec.configPatches[0].match.waypoint = { filter: "x" })],
  ],
  Telemetry: [
    ["UPSERT without a value", (d) => (d.spec.metrics[0].overrides[0].tagOverrides = { request_host: { operation: "UPSERT" } })],
    ["REMOVE with a value", (d) => (d.spec.metrics[0].overrides[0].tagOverrides = { request_host: { operation: "REMOVE", value: "x" } })],
  ],
  WorkloadGroup: [["probe scheme FTP", (d) => (d.spec.probe.httpGet.scheme = "FTP")]],
  TrafficExtension: [
    ["both wasm and lua", (d) => (d.spec.lua = { inlineCode: "function envoy_on_request(h) end" })],
    ["wildcard in a match label key", (d) => (d.spec.selector = { matchLabels: { "a*": "b" } })],
    ["empty match label key", (d) => (d.spec.selector = { matchLabels: { "": "b" } })],
  ],
};

export function targetedMutations(document: Json): Json[] {
  const table = String(document.apiVersion).startsWith("gateway.networking") ? gatewayApi : istio;
  return (table[document.kind] ?? []).map(([description, mutate]) => {
    const copy = structuredClone(document);
    mutate(copy);
    Object.defineProperty(copy, "__mutation", { value: description, enumerable: false });
    return copy;
  });
}
