import { describe, expect, it } from "vitest";
import { parseManifestText } from "../../../src/core/documents/index.js";
import { convertGatewayApiToIstio, defaultConvertOptions } from "../../../src/core/convert/index.js";
import type { KubeObject } from "../../../src/core/objects.js";
import { customResourceDefinitions } from "../../../src/core/schemas/index.js";
import { validateObjects } from "../../../src/core/validate/index.js";
import { codes } from "./convert-input.js";

/**
 * The reverse direction against istiod's own Gateway API translation (Istio 1.30, pilot/pkg/config/kube/gateway):
 * each case restates, with our own inputs, an expectation of istiod's conversion code or testdata.
 */
type Json = Record<string, any>;
const crds = customResourceDefinitions(["networking.istio.io"]);

function reverse(text: string) {
  const { documents, findings } = parseManifestText(text, "gateway-api.yaml");
  if (findings.length > 0) throw new Error(findings.map((finding) => finding.message).join("; "));
  const result = convertGatewayApiToIstio(documents, defaultConvertOptions({ generator: "mesh-test" }));
  const invalid = validateObjects(result.objects, { crds }).filter((finding) => finding.severity === "error");
  expect(invalid.map((finding) => `${finding.resource?.kind} ${finding.resource?.name} ${finding.path}: ${finding.message}`)).toEqual([]);
  return result;
}

const doc = (kind: string, name: string, namespace: string, spec: string, extra = "") =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: ${kind}\nmetadata: {name: ${name}, namespace: ${namespace}${extra}}\nspec: ${spec}\n---\n`;
const gateway = (listeners: string, namespace = "edge", name = "gw", extra = "") =>
  doc("Gateway", name, namespace, `{gatewayClassName: istio, listeners: ${listeners}}`, extra);
const httpRoute = (name: string, spec: string, namespace = "edge", created?: string) =>
  doc("HTTPRoute", name, namespace, spec, created ? `, creationTimestamp: "${created}"` : "");
const web = `[{name: web, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]`;

const virtualServices = (objects: KubeObject[]) => objects.filter((object) => object.kind === "VirtualService");
const istioGateways = (objects: KubeObject[]) => objects.filter((object) => object.kind === "Gateway");
const only = (objects: KubeObject[], kind: string) => {
  const found = objects.filter((object) => object.kind === kind);
  expect(found.map((object) => object.metadata.name)).toHaveLength(1);
  return found[0]!.spec as Json;
};
/** The route table istiod would program: host → ordered (matches → action). */
function routeTable(objects: KubeObject[]): Record<string, unknown[]> {
  const table: Record<string, unknown[]> = {};
  for (const vs of virtualServices(objects)) {
    const spec = vs.spec as Json;
    const key = `${spec.gateways.join(",")} ${spec.hosts.join(",")}`;
    table[key] = (spec.http ?? []).map((entry: Json) => {
      const { match, name: _name, ...action } = entry;
      return [
        match ?? "*",
        action.route?.map(
          (item: Json) => `${item.destination.host}:${item.destination.port?.number}${item.weight !== undefined ? ` w${item.weight}` : ""}`,
        ) ?? action,
      ];
    });
  }
  return table;
}

describe("one VirtualService per (listener, host), rules merged in precedence order", () => {
  it("merges two HTTPRoutes on one host and orders exact > longer prefix > shorter prefix > regex > no match, ties by age", () => {
    const result = reverse(
      gateway(web) +
        httpRoute(
          "catch-all",
          `{parentRefs: [{name: gw}], hostnames: [a.example.com], rules: [{backendRefs: [{name: root, port: 80}]}, {matches: [{path: {type: RegularExpression, value: "/api/.*"}}], backendRefs: [{name: regex, port: 80}]}]}`,
          "edge",
          "2024-01-01T00:00:00Z",
        ) +
        httpRoute(
          "api",
          `{parentRefs: [{name: gw}], hostnames: [a.example.com], rules: [{matches: [{path: {type: PathPrefix, value: /api}}], backendRefs: [{name: api, port: 80}]}, {matches: [{path: {type: PathPrefix, value: /api/v2/}}], backendRefs: [{name: v2, port: 80}]}, {matches: [{path: {type: Exact, value: /api}}], backendRefs: [{name: exact, port: 80}]}]}`,
          "edge",
          "2024-02-01T00:00:00Z",
        ),
    );
    expect(routeTable(result.objects)).toEqual({
      "edge/gw-web a.example.com": [
        [[{ uri: { exact: "/api" } }], ["exact.edge.svc.cluster.local:80"]],
        [[{ uri: { exact: "/api/v2" } }, { uri: { prefix: "/api/v2/" } }], ["v2.edge.svc.cluster.local:80"]],
        [[{ uri: { exact: "/api" } }, { uri: { prefix: "/api/" } }], ["api.edge.svc.cluster.local:80"]],
        [[{ uri: { regex: "/api/.*" } }], ["regex.edge.svc.cluster.local:80"]],
        ["*", ["root.edge.svc.cluster.local:80"]],
      ],
    });
  });

  it("merges routes of two namespaces on one host: the VirtualService lives with the older route; a regex goes after prefix /", () => {
    const older = httpRoute(
      "menu",
      `{parentRefs: [{name: gw, namespace: edge}], hostnames: [shop.example.com], rules: [{matches: [{path: {type: PathPrefix, value: /menu}, headers: [{name: x-user, value: vip}]}], backendRefs: [{name: vip, port: 80}]}, {matches: [{path: {type: RegularExpression, value: "/menu(/.*)?"}}], backendRefs: [{name: menu-regex, port: 80}]}]}`,
      "team-a",
      "2024-01-01T00:00:00Z",
    );
    const newer = httpRoute(
      "store",
      `{parentRefs: [{name: gw, namespace: edge}], hostnames: [shop.example.com], rules: [{matches: [{path: {type: PathPrefix, value: /menu/today}}], backendRefs: [{name: today, port: 80}]}, {matches: [{path: {type: Exact, value: /pay}, headers: [{name: x-user, value: vip}], queryParams: [{name: fast, type: RegularExpression, value: "y.*"}]}], backendRefs: [{name: pay, port: 80}]}, {matches: [{path: {type: PathPrefix, value: /}}], backendRefs: [{name: home, port: 80}]}, {matches: [{path: {type: PathPrefix, value: /}, method: DELETE}], backendRefs: [{name: admin, port: 80}]}, {matches: [{path: {type: PathPrefix, value: /cart}}], backendRefs: [{name: cart, port: 80}]}]}`,
      "team-b",
      "2024-03-01T00:00:00Z",
    );
    const result = reverse(gateway(web) + newer + older);
    const vs = virtualServices(result.objects);
    expect(vs.map((object) => object.metadata.namespace)).toEqual(["team-a"]);
    expect(((vs[0]!.spec as Json).http as Json[]).map((entry) => entry.name)).toEqual([
      "team-b.store.1",
      "team-b.store.0",
      "team-a.menu.0",
      "team-b.store.4",
      "team-b.store.3",
      "team-b.store.2",
      "team-a.menu.1",
    ]);
  });

  it("names entries <namespace>.<route>.<rule> unless the rule has a name, and orders method, headers, query params", () => {
    const result = reverse(
      gateway(web) +
        httpRoute(
          "r",
          `{parentRefs: [{name: gw}], rules: [{matches: [{path: {type: PathPrefix, value: /}, queryParams: [{name: q, value: "1"}]}], backendRefs: [{name: q, port: 80}]}, {name: named, matches: [{path: {type: PathPrefix, value: /}, headers: [{name: X-A, value: a}, {name: x-b, value: b}]}], backendRefs: [{name: h, port: 80}]}, {matches: [{path: {type: PathPrefix, value: /}, method: POST}], backendRefs: [{name: m, port: 80}]}]}`,
        ),
    );
    const http = only(result.objects, "VirtualService").http as Json[];
    expect(http.map((entry) => entry.name)).toEqual(["edge.r.2", "named", "edge.r.0"]);
    expect(http[1]!.match[0].headers).toEqual({ "x-a": { exact: "a" }, "x-b": { exact: "b" } });
  });

  it("keeps routes of different hostnames apart and writes fully qualified backend hosts", () => {
    const result = reverse(
      gateway(web) +
        httpRoute(
          "a",
          `{parentRefs: [{name: gw}], hostnames: [a.example.com, b.example.com], rules: [{backendRefs: [{name: a, port: 80}]}]}`,
        ) +
        httpRoute(
          "b",
          `{parentRefs: [{name: gw}], hostnames: [b.example.com], rules: [{backendRefs: [{name: b, namespace: edge, port: 8080}]}]}`,
        ),
    );
    expect(virtualServices(result.objects).map((vs) => [vs.metadata.name, (vs.spec as Json).hosts])).toEqual([
      ["gw-web-a.example.com", ["a.example.com"]],
      ["gw-web-b.example.com", ["b.example.com"]],
    ]);
    expect(routeTable(result.objects)["edge/gw-web b.example.com"]).toEqual([
      ["*", ["a.edge.svc.cluster.local:80"]],
      ["*", ["b.edge.svc.cluster.local:8080"]],
    ]);
  });
});

describe("listener scoping", () => {
  const twoHttps = `[{name: a, port: 443, protocol: HTTPS, hostname: a.example.com, tls: {certificateRefs: [{name: a-cert}]}, allowedRoutes: {namespaces: {from: All}}}, {name: any, port: 443, protocol: HTTPS, hostname: "*.example.com", tls: {certificateRefs: [{name: any-cert}]}, allowedRoutes: {namespaces: {from: All}}}]`;

  it("writes one Istio Gateway per listener, hosts <namespace>/<hostname> from allowedRoutes (Same → the Gateway's namespace)", () => {
    const result = reverse(
      gateway(
        `[{name: http, port: 80, protocol: HTTP}, {name: https, port: 443, protocol: HTTPS, hostname: shop.example.com, tls: {certificateRefs: [{name: cert}]}, allowedRoutes: {namespaces: {from: All}}}]`,
      ),
    );
    expect(istioGateways(result.objects).map((object) => [object.metadata.name, (object.spec as Json).servers])).toEqual([
      ["gw-http", [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["edge/*"] }]],
      [
        "gw-https",
        [
          {
            port: { number: 443, name: "https", protocol: "HTTPS" },
            hosts: ["*/shop.example.com"],
            tls: { mode: "SIMPLE", credentialName: "cert" },
          },
        ],
      ],
    ]);
  });

  it("keeps Istio Gateway names unique when <gateway>-<listener> repeats, and binds routes to the right one", () => {
    const result = reverse(
      gateway(`[{name: c, port: 80, protocol: HTTP}]`, "edge", "a-b") +
        gateway(`[{name: b-c, port: 8080, protocol: HTTP}]`, "edge", "a") +
        httpRoute("r", `{parentRefs: [{name: a}], rules: [{backendRefs: [{name: x, port: 80}]}]}`),
    );
    expect(istioGateways(result.objects).map((object) => object.metadata.name)).toEqual(["a-b-c", "a-b-c-2"]);
    const bound = only(result.objects, "VirtualService").gateways[0] as string;
    const target = istioGateways(result.objects).find((object) => `edge/${object.metadata.name}` === bound)!;
    expect((target.spec as Json).servers[0].port.number).toBe(8080);
  });

  it("binds a sectionName route to that listener only, with the route hostnames narrowed to it", () => {
    const result = reverse(
      gateway(twoHttps) + httpRoute("r", `{parentRefs: [{name: gw, sectionName: any}], rules: [{backendRefs: [{name: x, port: 80}]}]}`),
    );
    const vs = only(result.objects, "VirtualService");
    expect(vs.gateways).toEqual(["edge/gw-any"]);
    expect(vs.hosts).toEqual(["*.example.com"]);
  });

  it("leaves a hostname to the listener that matches it more exactly (istiod's isolation)", () => {
    const result = reverse(
      gateway(twoHttps) +
        httpRoute(
          "r",
          `{parentRefs: [{name: gw}], hostnames: [a.example.com, b.example.com], rules: [{backendRefs: [{name: x, port: 80}]}]}`,
        ),
    );
    expect(virtualServices(result.objects).map((vs) => `${(vs.spec as Json).gateways} ${(vs.spec as Json).hosts}`)).toEqual([
      "edge/gw-a a.example.com",
      "edge/gw-any b.example.com",
    ]);
  });

  it("does not attach routes from namespaces the listener does not allow, nor kinds it does not allow", () => {
    const result = reverse(
      gateway(
        `[{name: web, port: 80, protocol: HTTP}, {name: grpc-only, port: 8080, protocol: HTTP, allowedRoutes: {kinds: [{kind: GRPCRoute}]}}]`,
      ) +
        httpRoute(
          "other",
          `{parentRefs: [{name: gw, namespace: edge, sectionName: web}], rules: [{backendRefs: [{name: x, port: 80}]}]}`,
          "team",
        ) +
        httpRoute("mine", `{parentRefs: [{name: gw}], rules: [{backendRefs: [{name: x, port: 80}]}]}`),
    );
    expect(virtualServices(result.objects).map((vs) => (vs.spec as Json).gateways[0])).toEqual(["edge/gw-web"]);
    expect(codes(result.findings, "warning")).toContain("CONV618");
  });

  it("evaluates namespace label selectors with the input's Namespace objects, and says so when they are missing", () => {
    const selector = `[{name: web, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: shop}}}}}]`;
    const without = reverse(gateway(selector));
    expect(codes(without.findings, "error")).toContain("CONV603");
    expect(istioGateways(without.objects)).toEqual([]);
    const namespaces =
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: shop}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n---\n";
    const withNamespaces = reverse(gateway(selector) + namespaces);
    expect(only(withNamespaces.objects, "Gateway").servers[0].hosts).toEqual(["shop/*"]);
  });
});

describe("filters with istiod's semantics", () => {
  const rule = (fields: string) => reverse(gateway(web) + httpRoute("r", `{parentRefs: [{name: gw}], rules: [{${fields}}]}`));
  const entry = (fields: string) => (only(rule(fields).objects, "VirtualService").http as Json[])[0]!;
  const backend = "backendRefs: [{name: x, port: 80}]";

  it.each([
    ["retry {}", `retry: {}`, { attempts: 2, retryOn: "connect-failure,refused-stream,unavailable,cancelled" }],
    [
      "attempts, codes, backoff",
      `retry: {attempts: 3, codes: [503, 429], backoff: 100ms}`,
      { attempts: 3, retryOn: "connect-failure,refused-stream,unavailable,cancelled,503,429", backoff: "0.100s" },
    ],
    ["attempts 0 disables retries", `retry: {attempts: 0}`, { attempts: 0 }],
  ])("retry: %s", (_name, retry, expected) => {
    expect(entry(`${backend}, ${retry}`).retries).toEqual(expected);
  });

  it.each([
    ["request only", `timeouts: {request: 10s}`, { timeout: "10s" }],
    ["backendRequest without retry becomes the timeout", `timeouts: {request: 10s, backendRequest: 2s}`, { timeout: "2s" }],
    [
      "backendRequest with retry becomes perTryTimeout",
      `timeouts: {request: 10s, backendRequest: 2s}, retry: {attempts: 3}`,
      { timeout: "10s", perTryTimeout: "2s" },
    ],
    ["never perTryTimeout without attempts", `timeouts: {backendRequest: 2s}, retry: {attempts: 0}`, { timeout: "2s" }],
    ["zero means no timeout", `timeouts: {request: 0s}`, {}],
  ])("timeouts: %s", (_name, fields, expected) => {
    const converted = entry(`${backend}, ${fields}`);
    expect({
      ...(converted.timeout ? { timeout: converted.timeout } : {}),
      ...(converted.retries?.perTryTimeout ? { perTryTimeout: converted.retries.perTryTimeout } : {}),
    }).toEqual(expected);
  });

  it("CORS origins: * and wildcard hosts become anchored regexes; unmatched preflights are not forwarded", () => {
    const converted = entry(
      `${backend}, filters: [{type: CORS, cors: {allowOrigins: ["*", "https://*.example.com", "https://a.example.com"], maxAge: 60}}]`,
    );
    expect(converted.corsPolicy).toEqual({
      allowOrigins: [{ regex: "^.*$" }, { regex: "^https://[a-zA-Z0-9.-]+\\.example\\.com$" }, { exact: "https://a.example.com" }],
      maxAge: "60s",
      unmatchedPreflights: "IGNORE",
    });
  });

  it("a ReplacePrefixMatch redirect keeps the rest of the path with %PREFIX()%", () => {
    const converted = entry(
      `matches: [{path: {type: PathPrefix, value: /old}}], filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}, statusCode: 301}}]`,
    );
    expect(converted.redirect).toEqual({ uri: "%PREFIX()%/new", derivePort: "FROM_REQUEST_PORT", redirectCode: 301 });
  });

  it("rewrites: prefix (trailing / trimmed, separator kept on the prefix half) and full path as istiod writes it", () => {
    const http = only(
      rule(
        `matches: [{path: {type: PathPrefix, value: /api}}], filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2/}}}], ${backend}`,
      ).objects,
      "VirtualService",
    ).http as Json[];
    expect(http[0]!.rewrite).toEqual({ uri: "/v2/" });
    const full = entry(
      `filters: [{type: URLRewrite, urlRewrite: {hostname: b.example, path: {type: ReplaceFullPath, replaceFullPath: /x}}}], ${backend}`,
    );
    expect(full.rewrite).toEqual({ uriRegexRewrite: { match: "/.*", rewrite: "/x" }, authority: "b.example" });
  });

  it.each([
    ["no backendRefs → 404", ``, { directResponse: { status: 404 } }],
    [
      "all weights 0 → 500",
      `backendRefs: [{name: a, port: 80, weight: 0}, {name: b, port: 80, weight: 0}]`,
      { directResponse: { status: 500 } },
    ],
    [
      "weight-0 backends left out, a single one without weight",
      `backendRefs: [{name: a, port: 80, weight: 0}, {name: b, port: 80, weight: 5}]`,
      { route: [{ destination: { host: "b.edge.svc.cluster.local", port: { number: 80 } } }] },
    ],
  ])("%s", (_name, fields, expected) => {
    const { name: _n, ...rest } = entry(fields || `matches: [{path: {type: Exact, value: /x}}]`);
    const { match: _m, ...action } = rest;
    expect(action).toEqual(expected);
  });

  it("header modifiers (names lower-cased) and mirrors with percentages", () => {
    const converted = entry(
      `${backend}, filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Env, value: prod}], remove: [x-old]}}, {type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}, fraction: {numerator: 1, denominator: 4}}}, {type: RequestMirror, requestMirror: {backendRef: {name: audit, port: 80}, percent: 10}}]`,
    );
    expect(converted.headers).toEqual({ request: { set: { "x-env": "prod" }, remove: ["x-old"] } });
    expect(converted.mirrors).toEqual([
      { destination: { host: "shadow.edge.svc.cluster.local", port: { number: 80 } }, percentage: { value: 25 } },
      { destination: { host: "audit.edge.svc.cluster.local", port: { number: 80 } }, percentage: { value: 10 } },
    ]);
  });

  it("an ExtensionRef filter makes istiod reject the whole route: nothing is converted, error", () => {
    const result = rule(`${backend}, filters: [{type: ExtensionRef, extensionRef: {group: example.com, kind: Limit, name: l}}]`);
    expect(virtualServices(result.objects)).toEqual([]);
    expect(codes(result.findings, "error")).toContain("CONV619");
  });

  it("blackholes a TCP rule whose backends all have weight 0", () => {
    const result = reverse(
      gateway(`[{name: db, port: 5432, protocol: TCP}]`) +
        doc("TCPRoute", "db", "edge", `{parentRefs: [{name: gw}], rules: [{backendRefs: [{name: pg, port: 5432, weight: 0}]}]}`).replace(
          "gateway.networking.k8s.io/v1",
          "gateway.networking.k8s.io/v1alpha2",
        ),
    );
    expect(only(result.objects, "VirtualService").tcp).toEqual([
      { route: [{ destination: { host: "internal.cluster.local", subset: "zero-weight", port: { number: 65535 } } }] },
    ]);
  });
});

describe("ReferenceGrant enforcement", () => {
  const grant = doc(
    "ReferenceGrant",
    "allow",
    "backend",
    `{from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: edge}], to: [{group: "", kind: Service, name: api}]}`,
  ).replace("gateway.networking.k8s.io/v1\n", "gateway.networking.k8s.io/v1beta1\n");
  const route = httpRoute(
    "r",
    `{parentRefs: [{name: gw}], rules: [{matches: [{path: {type: Exact, value: /a}}], backendRefs: [{name: api, namespace: backend, port: 80}]}, {matches: [{path: {type: Exact, value: /b}}], backendRefs: [{name: other, namespace: backend, port: 80}]}, {matches: [{path: {type: Exact, value: /c}}], backendRefs: [{name: local, port: 80}, {name: other, namespace: backend, port: 80, weight: 3}]}]}`,
  );

  it("routes only to granted cross-namespace backends; the rest answers 500", () => {
    const result = reverse(gateway(web) + route + grant);
    const http = only(result.objects, "VirtualService").http as Json[];
    expect(http.map((entry) => entry.route ?? entry.directResponse)).toEqual([
      [{ destination: { host: "api.backend.svc.cluster.local", port: { number: 80 } } }],
      { status: 500 },
      [{ destination: { host: "local.edge.svc.cluster.local", port: { number: 80 } } }],
    ]);
    expect(http[2]!.fault).toEqual({ abort: { percentage: { value: 75 }, httpStatus: 500 } });
    expect(codes(result.findings, "error")).toContain("CONV606");
  });

  it("mesh parents do not need grants (istiod enforces them for gateways only); the finding is reported once", () => {
    const result = reverse(
      gateway(web) +
        httpRoute(
          "both",
          `{parentRefs: [{name: gw}, {group: "", kind: Service, name: front}], rules: [{backendRefs: [{name: other, namespace: backend, port: 80}]}]}`,
        ),
    );
    expect(
      virtualServices(result.objects).map((vs) => [
        (vs.spec as Json).gateways[0],
        (vs.spec as Json).http[0].route ?? (vs.spec as Json).http[0].directResponse,
      ]),
    ).toEqual([
      ["mesh", [{ destination: { host: "other.backend.svc.cluster.local", port: { number: 80 } } }]],
      ["edge/gw-web", { status: 500 }],
    ]);
    expect(result.findings.filter((finding) => finding.code === "CONV606")).toHaveLength(1);
  });

  it("certificates in another namespace need a grant and are written kubernetes-gateway://<ns>/<name>", () => {
    const listener = `[{name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert, namespace: certs}]}}]`;
    const denied = reverse(gateway(listener));
    expect(istioGateways(denied.objects)).toEqual([]);
    expect(codes(denied.findings, "error")).toContain("CONV609");
    const secretGrant = doc(
      "ReferenceGrant",
      "certs",
      "certs",
      `{from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: edge}], to: [{group: "", kind: Secret}]}`,
    ).replace("gateway.networking.k8s.io/v1\n", "gateway.networking.k8s.io/v1beta1\n");
    const granted = reverse(gateway(listener) + secretGrant);
    expect(only(granted.objects, "Gateway").servers[0].tls).toEqual({ mode: "SIMPLE", credentialName: "kubernetes-gateway://certs/cert" });
  });
});

describe("TLS modes", () => {
  it.each([
    [
      "MUTUAL option",
      `{certificateRefs: [{name: c}], options: {gateway.istio.io/tls-terminate-mode: MUTUAL}}`,
      { mode: "MUTUAL", credentialName: "c" },
    ],
    ["ISTIO_MUTUAL option", `{options: {gateway.istio.io/tls-terminate-mode: ISTIO_MUTUAL}}`, { mode: "ISTIO_MUTUAL" }],
    ["Passthrough", `{mode: Passthrough}`, { mode: "PASSTHROUGH" }],
  ])("%s", (_name, tls, expected) => {
    const protocol = tls.includes("Passthrough") ? "TLS" : "HTTPS";
    const result = reverse(gateway(`[{name: l, port: 443, protocol: ${protocol}, tls: ${tls}}]`));
    expect(only(result.objects, "Gateway").servers[0].tls).toEqual(expected);
  });

  it("frontend client validation makes the server MUTUAL with the CA reference", () => {
    const result = reverse(
      doc(
        "Gateway",
        "gw",
        "edge",
        `{gatewayClassName: istio, tls: {frontend: {default: {validation: {caCertificateRefs: [{kind: ConfigMap, name: client-ca}]}}}}, listeners: [{name: l, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: c}]}}]}`,
      ),
    );
    expect(only(result.objects, "Gateway").servers[0].tls).toEqual({
      mode: "MUTUAL",
      credentialName: "c",
      caCertCredentialName: "client-ca",
    });
  });

  it("an east-west gateway's 15443 passthrough listener is AUTO_PASSTHROUGH", () => {
    const result = reverse(
      gateway(
        `[{name: mesh, port: 15443, protocol: TLS, tls: {mode: Passthrough}}]`,
        "istio-system",
        "eastwest",
        ", labels: {topology.istio.io/network: net1}",
      ),
    );
    expect(only(result.objects, "Gateway").servers[0].tls).toEqual({ mode: "AUTO_PASSTHROUGH" });
  });

  it("a TLSRoute on a terminating TLS listener forwards the decrypted stream (tcp routes)", () => {
    const result = reverse(
      gateway(`[{name: tls, port: 443, protocol: TLS, hostname: db.example.com, tls: {mode: Terminate, certificateRefs: [{name: c}]}}]`) +
        doc("TLSRoute", "t", "edge", `{parentRefs: [{name: gw}], rules: [{backendRefs: [{name: db, port: 5432}]}]}`),
    );
    const vs = only(result.objects, "VirtualService");
    expect(vs.hosts).toEqual(["db.example.com"]);
    expect(vs.tcp).toEqual([{ route: [{ destination: { host: "db.edge.svc.cluster.local", port: { number: 5432 } } }] }]);
    expect(vs.tls).toBeUndefined();
  });

  it("a TLSRoute on a passthrough listener matches its SNI hosts", () => {
    const result = reverse(
      gateway(`[{name: tls, port: 443, protocol: TLS, hostname: "*.example.com", tls: {mode: Passthrough}}]`) +
        doc(
          "TLSRoute",
          "t",
          "edge",
          `{parentRefs: [{name: gw}], hostnames: [pay.example.com], rules: [{backendRefs: [{name: pay, port: 8443}]}]}`,
        ),
    );
    const vs = only(result.objects, "VirtualService");
    expect(vs.hosts).toEqual(["pay.example.com"]);
    expect(vs.tls).toEqual([
      {
        match: [{ sniHosts: ["pay.example.com"] }],
        route: [{ destination: { host: "pay.edge.svc.cluster.local", port: { number: 8443 } } }],
      },
    ]);
  });
});

describe("inputs beyond Gateway and HTTPRoute", () => {
  it("ListenerSet listeners become Istio Gateways when the parent Gateway allows them", () => {
    const result = reverse(
      gateway(web, "edge", "gw", "").replace("listeners:", "allowedListeners: {namespaces: {from: All}}, listeners:") +
        doc(
          "ListenerSet",
          "extra",
          "team",
          `{parentRef: {name: gw, namespace: edge}, listeners: [{name: extra, port: 8080, protocol: HTTP, hostname: team.example.com}]}`,
        ) +
        httpRoute("r", `{parentRefs: [{kind: ListenerSet, name: extra}], rules: [{backendRefs: [{name: x, port: 80}]}]}`, "team"),
    );
    const vs = only(result.objects, "VirtualService");
    expect(vs.gateways).toEqual(["team/extra-extra"]);
    expect(vs.hosts).toEqual(["team.example.com"]);
  });

  it("a Service parentRef with a port (GAMMA) routes mesh traffic to that Service and port", () => {
    const result = reverse(
      httpRoute(
        "r",
        `{parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}], rules: [{matches: [{path: {type: Exact, value: /x}}], backendRefs: [{name: reviews-v2, port: 9080}]}, {matches: [{headers: [{name: end-user, value: jason}]}], backendRefs: [{name: reviews-v3, port: 9080}]}, {backendRefs: [{name: reviews-v1, port: 9080}]}]}`,
        "app",
      ),
    );
    const vs = only(result.objects, "VirtualService");
    expect(vs.hosts).toEqual(["reviews.app.svc.cluster.local"]);
    expect(vs.gateways).toEqual(["mesh"]);
    expect(vs.http.map((entry: Json) => entry.match)).toEqual([
      [{ uri: { exact: "/x" }, port: 9080 }],
      [{ uri: { prefix: "/" }, headers: { "end-user": { exact: "jason" } }, port: 9080 }],
      [{ port: 9080 }],
    ]);
  });

  it("a ServiceEntry parentRef routes its hosts in the mesh", () => {
    const serviceEntry =
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext, namespace: app}\nspec: {hosts: [api.external.com], ports: [{number: 443, name: https, protocol: TLS}], resolution: DNS}\n---\n";
    const result = reverse(
      serviceEntry +
        httpRoute(
          "r",
          `{parentRefs: [{group: networking.istio.io, kind: ServiceEntry, name: ext}], rules: [{backendRefs: [{group: networking.istio.io, kind: Hostname, name: api.external.com, port: 443}]}]}`,
          "app",
        ),
    );
    const vs = only(result.objects, "VirtualService");
    expect(vs.hosts).toEqual(["api.external.com"]);
    expect(vs.http[0].route).toEqual([{ destination: { host: "api.external.com", port: { number: 443 } } }]);
  });

  it("a ServiceImport backend routes to the Service host, as istiod does by default", () => {
    const result = reverse(
      gateway(web) +
        httpRoute(
          "r",
          `{parentRefs: [{name: gw}], rules: [{backendRefs: [{group: multicluster.x-k8s.io, kind: ServiceImport, name: west, port: 80}]}]}`,
        ),
    );
    expect(only(result.objects, "VirtualService").http[0].route[0].destination.host).toBe("west.edge.svc.cluster.local");
  });

  it("XBackendTrafficPolicy cookie session persistence becomes a DestinationRule", () => {
    const result = reverse(
      'apiVersion: gateway.networking.x-k8s.io/v1alpha1\nkind: XBackendTrafficPolicy\nmetadata: {name: p, namespace: app}\nspec: {targetRefs: [{group: "", kind: Service, name: cart}], sessionPersistence: {sessionName: sticky}}\n',
    );
    expect(only(result.objects, "DestinationRule")).toEqual({
      host: "cart.app.svc.cluster.local",
      trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: "sticky", ttl: "0s" } } } },
    });
  });
});
