import { describe, expect, it } from "vitest";
import { codes, convertYaml, gateway, kindsAndNames, objectNamed, virtualService } from "./convert-input.js";

const http80 = (hosts: string) => `[{port: {number: 80, protocol: HTTP}, hosts: ${hosts}}]`;
const listeners = (result: ReturnType<typeof convertYaml>, name = "gw") =>
  (objectNamed(result.objects, "Gateway", name).spec as { listeners: unknown[] }).listeners;
const rules = (result: ReturnType<typeof convertYaml>, name: string) =>
  (objectNamed(result.objects, "HTTPRoute", name).spec as { rules: Record<string, unknown>[] }).rules;

describe("docs/design/convert.md §13 edge cases (compat unless marked full)", () => {
  describe("1. HTTP server with only httpsRedirect", () => {
    const input = gateway(`[{port: {number: 80, protocol: HTTP}, hosts: ["*"], tls: {httpsRedirect: true}}]`);
    it("compat: one HTTP listener without tls, CONV109", () => {
      const result = convertYaml(input, { profile: "compat" });
      expect(listeners(result)).toEqual([{ name: "http-protocol-wildcard-ns-wildcard", port: 80, protocol: "HTTP" }]);
      expect(codes(result.findings)).toContain("CONV109");
    });
    it("full: listener http-80 open to all namespaces plus a redirect HTTPRoute bound by sectionName", () => {
      const result = convertYaml(input, { profile: "full" });
      expect(listeners(result)).toEqual([{ name: "http-80", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } }]);
      expect(objectNamed(result.objects, "HTTPRoute", "gw-https-redirect").spec).toEqual({
        parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw", sectionName: "http-80" }],
        rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
      });
    });
  });

  describe("2. same host with two namespace forms", () => {
    const input = gateway(http80(`["./a.example", "team/a.example"]`));
    it("compat: two listeners with the same hostname, CONV114 and CONV113", () => {
      const result = convertYaml(input, { profile: "compat" });
      expect(listeners(result)).toEqual([
        { name: "http-protocol-dot-ns-a.example", hostname: "a.example", port: 80, protocol: "HTTP" },
        { name: "http-protocol-team-ns-a.example", hostname: "a.example", port: 80, protocol: "HTTP" },
      ]);
      expect(codes(result.findings)).toEqual(expect.arrayContaining(["CONV113", "CONV114"]));
    });
    it("full: one listener that admits both namespaces", () => {
      const result = convertYaml(input, { profile: "full" });
      expect(listeners(result)).toEqual([
        {
          name: "http-80-a.example",
          hostname: "a.example",
          port: 80,
          protocol: "HTTP",
          allowedRoutes: {
            namespaces: {
              from: "Selector",
              selector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["edge", "team"] }] },
            },
          },
        },
      ]);
    });
  });

  it("3. listener name collision gets the port as suffix", () => {
    const result = convertYaml(
      gateway(
        `[{port: {number: 443, protocol: HTTPS}, hosts: ["*"], tls: {mode: SIMPLE}}, {port: {number: 8443, protocol: HTTPS}, hosts: ["*"], tls: {mode: SIMPLE}}]`,
      ),
      { profile: "compat" },
    );
    expect(listeners(result).map((listener) => (listener as { name: string }).name)).toEqual([
      "https-protocol-wildcard-ns-wildcard",
      "https-protocol-wildcard-ns-wildcard-8443",
    ]);
    expect(codes(result.findings)).toContain("CONV115");
  });

  it("4. HTTPS passthrough becomes a TLS listener", () => {
    const result = convertYaml(gateway(`[{port: {number: 443, protocol: HTTPS}, hosts: ["*.shop.example"], tls: {mode: PASSTHROUGH}}]`), {
      profile: "compat",
    });
    expect(listeners(result)).toEqual([
      {
        name: "tls-protocol-wildcard-ns-wildcard.shop.example",
        hostname: "*.shop.example",
        port: 443,
        protocol: "TLS",
        tls: { mode: "Passthrough" },
      },
    ]);
  });

  describe("5. destinations: weights and host forms", () => {
    const input = virtualService(`{hosts: [web.example], http: [
      {name: single, route: [{destination: {host: web, port: {number: 8080}}}]},
      {name: split, route: [{destination: {host: a}, weight: 90}, {destination: {host: b}, weight: 10}]},
      {name: fqdn, route: [{destination: {host: details.shop.svc.cluster.local, port: {number: 9080}}}]},
      {name: short, route: [{destination: {host: reviews.prod, port: {number: 9080}}}]}]}`);
    it("compat: lone backend without weight, weights copied for splits, i2gw host reading", () => {
      const result = convertYaml(input, { profile: "compat" });
      expect(rules(result, "vs-single")[0]!.backendRefs).toEqual([{ name: "web", namespace: "edge", port: 8080 }]);
      expect(rules(result, "vs-split")[0]!.backendRefs).toEqual([
        { name: "a", namespace: "edge", weight: 90 },
        { name: "b", namespace: "edge", weight: 10 },
      ]);
      expect(rules(result, "vs-fqdn")[0]!.backendRefs).toEqual([{ name: "details", namespace: "shop", port: 9080 }]);
      expect(rules(result, "vs-short")[0]!.backendRefs).toEqual([{ name: "reviews.prod", namespace: "edge", port: 9080 }]);
      const portless = result.findings.filter((finding) => finding.code === "CONV304");
      expect(portless.map((finding) => finding.path)).toEqual(
        expect.arrayContaining(["spec.http[1].route[0].destination", "spec.http[3].route[0].destination.host"]),
      );
    });
    it("full: a host that is not a Service becomes an Istio Hostname backend", () => {
      const result = convertYaml(input, { profile: "full" });
      const byName = (objectNamed(result.objects, "HTTPRoute", "vs").spec as { rules: { backendRefs: unknown[] }[] }).rules;
      expect(byName[3]!.backendRefs).toEqual([{ group: "networking.istio.io", kind: "Hostname", name: "reviews.prod", port: 9080 }]);
      expect(byName[2]!.backendRefs).toEqual([{ name: "details", namespace: "shop", port: 9080 }]);
    });
  });

  describe("6. cross-namespace binding", () => {
    const input =
      gateway(http80(`[shop.example]`), "infra", "public") +
      virtualService(
        `{gateways: [infra/public], hosts: [shop.example], http: [{route: [{destination: {host: store, port: {number: 80}}}]}]}`,
        "shop",
        "store",
      );
    it("compat: parentRef with namespace and a ReferenceGrant to the Gateway", () => {
      const result = convertYaml(input, { profile: "compat" });
      expect(objectNamed(result.objects, "HTTPRoute", "store-idx-0").spec).toMatchObject({
        parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "infra", name: "public" }],
        hostnames: ["shop.example"],
      });
      expect(objectNamed(result.objects, "ReferenceGrant", "generated-reference-grant-from-shop-to-infra")).toMatchObject({
        metadata: { namespace: "infra" },
        spec: {
          from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "shop" }],
          to: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "public" }],
        },
      });
      expect(codes(result.findings)).toEqual(expect.arrayContaining(["CONV113", "CONV206"]));
    });
    it("full: the listener admits all namespaces and no ReferenceGrant is generated", () => {
      const result = convertYaml(input, { profile: "full" });
      expect(listeners(result, "public")).toEqual([
        {
          name: "http-80-shop.example",
          hostname: "shop.example",
          port: 80,
          protocol: "HTTP",
          allowedRoutes: { namespaces: { from: "All" } },
        },
      ]);
      expect(result.objects.some((object) => object.kind === "ReferenceGrant")).toBe(false);
    });
  });

  it("7. a Gateway host namespace that excludes the route: no parentRef, CONV205", () => {
    const result = convertYaml(
      gateway(http80(`["team-a/*.example.com"]`)) +
        virtualService(
          `{gateways: [edge/gw], hosts: [x.example.com], http: [{route: [{destination: {host: x, port: {number: 80}}}]}]}`,
          "team-b",
        ),
      { profile: "compat" },
    );
    expect((objectNamed(result.objects, "HTTPRoute", "vs-idx-0").spec as Record<string, unknown>).parentRefs).toBeUndefined();
    expect(codes(result.findings)).toContain("CONV205");
  });

  describe("8. wildcards", () => {
    const gw = gateway(http80(`["*.example.com"]`));
    it("a wildcard Gateway host does not cover the apex", () => {
      const result = convertYaml(
        gw + virtualService(`{gateways: [gw], hosts: [example.com], http: [{route: [{destination: {host: x, port: {number: 80}}}]}]}`),
        { profile: "compat" },
      );
      expect((objectNamed(result.objects, "HTTPRoute", "vs-idx-0").spec as Record<string, unknown>).parentRefs).toBeUndefined();
      expect(codes(result.findings)).toContain("CONV205");
    });
    it("a VirtualService host * attaches but is not a hostname", () => {
      const result = convertYaml(
        gw + virtualService(`{gateways: [gw], hosts: ["*"], http: [{route: [{destination: {host: x, port: {number: 80}}}]}]}`),
        { profile: "compat" },
      );
      const spec = objectNamed(result.objects, "HTTPRoute", "vs-idx-0").spec as Record<string, unknown>;
      expect(spec.parentRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" }]);
      expect(spec.hostnames).toBeUndefined();
      expect(codes(result.findings)).toContain("CONV207");
    });
  });

  describe("9. rewrite with mixed matches, and with authority only", () => {
    const mixed = virtualService(
      `{hosts: [a.example], http: [{name: api, match: [{uri: {prefix: /v1}}, {uri: {exact: /health}}], rewrite: {uri: /}, route: [{destination: {host: api, port: {number: 80}}}]}]}`,
    );
    it("compat: splits into a full-path route and a prefix route", () => {
      const result = convertYaml(mixed, { profile: "compat" });
      expect(rules(result, "vs-api")[0]).toMatchObject({
        matches: [{ path: { type: "Exact", value: "/health" } }],
        filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplaceFullPath", replaceFullPath: "/" } } }],
      });
      expect(rules(result, "vs-api-prefix-match")[0]).toMatchObject({
        matches: [{ path: { type: "PathPrefix", value: "/v1" } }],
        filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } } }],
      });
      expect(codes(result.findings)).toContain("CONV312");
    });
    it("full: the split gives two rules of one route", () => {
      const result = convertYaml(mixed, { profile: "full" });
      expect(rules(result, "vs").map((rule) => rule.name)).toEqual(["api", "api-prefix-match"]);
    });
    const authority = virtualService(
      `{hosts: [a.example], http: [{name: api, rewrite: {authority: new.example}, route: [{destination: {host: api, port: {number: 80}}}]}]}`,
    );
    it("compat: authority only → no URLRewrite, CONV311", () => {
      const result = convertYaml(authority, { profile: "compat" });
      expect(kindsAndNames(result.objects)).toEqual(["HTTPRoute edge/vs-api"]);
      expect(rules(result, "vs-api")[0]!.filters).toBeUndefined();
      expect(codes(result.findings)).toContain("CONV311");
    });
    it("full: authority → urlRewrite.hostname", () => {
      const result = convertYaml(authority, { profile: "full" });
      expect(rules(result, "vs")[0]!.filters).toEqual([{ type: "URLRewrite", urlRewrite: { hostname: "new.example" } }]);
    });
  });

  describe("10. header prefix match", () => {
    const input = virtualService(
      `{hosts: [a.example], http: [{match: [{uri: {prefix: /}, headers: {x-env: {prefix: can}}}], route: [{destination: {host: a, port: {number: 80}}}]}]}`,
    );
    it("compat: the condition is dropped with an ERROR", () => {
      const result = convertYaml(input, { profile: "compat" });
      expect(rules(result, "vs-idx-0")[0]!.matches).toEqual([{ path: { type: "PathPrefix", value: "/" } }]);
      expect(codes(result.findings, "error")).toEqual(["CONV302"]);
    });
    it("full: a regular expression keeps the condition", () => {
      const result = convertYaml(input, { profile: "full" });
      expect(rules(result, "vs")[0]!.matches).toEqual([
        { path: { type: "PathPrefix", value: "/" }, headers: [{ type: "RegularExpression", name: "x-env", value: "can.*" }] },
      ]);
      // The only error: mesh host a.example is no Service, so GAMMA cannot carry the route for it.
      expect(codes(result.findings, "error")).toEqual(["CONV201"]);
    });
  });

  describe("11. mirror percentage", () => {
    const input = (value: number) =>
      virtualService(
        `{hosts: [a.example], http: [{mirror: {host: shadow, port: {number: 80}}, mirrorPercentage: {value: ${value}}, route: [{destination: {host: a, port: {number: 80}}}]}]}`,
      );
    it("compat: the percentage is dropped (CONV309)", () => {
      const result = convertYaml(input(25), { profile: "compat" });
      expect(rules(result, "vs-idx-0")[0]!.filters).toEqual([
        { type: "RequestMirror", requestMirror: { backendRef: { name: "shadow", namespace: "edge", port: 80 } } },
      ]);
      expect(codes(result.findings)).toContain("CONV309");
    });
    it.each([
      [25, { percent: 25 }],
      [0.5, { fraction: { numerator: 5, denominator: 1000 } }],
    ])("full: %s%% → %j", (value, share) => {
      const result = convertYaml(input(value), { profile: "full" });
      expect(rules(result, "vs")[0]!.filters).toEqual([
        { type: "RequestMirror", requestMirror: { backendRef: { name: "shadow", port: 80 }, ...share } },
      ]);
    });
  });

  it.each([
    ["1.5s", "1s500ms", false],
    ["90s", "1m30s", false],
    ["3600s", "1h", false],
    ["1.0005s", "1s1ms", true],
  ])("12. timeout %s → %s", (timeout, expected, warned) => {
    const result = convertYaml(
      virtualService(`{hosts: [a.example], http: [{timeout: "${timeout}", route: [{destination: {host: a, port: {number: 80}}}]}]}`),
      { profile: "compat" },
    );
    expect(rules(result, "vs-idx-0")[0]!.timeouts).toEqual({ request: expected });
    expect(codes(result.findings, "warning").includes("CONV322")).toBe(warned);
  });

  describe("13. TCP entries distinguished by port", () => {
    const input =
      gateway(`[{port: {number: 27017, protocol: MONGO}, hosts: ["*"]}, {port: {number: 3306, protocol: TCP}, hosts: ["*"]}]`) +
      virtualService(`{gateways: [gw], hosts: ["*"], tcp: [
        {match: [{port: 27017}], route: [{destination: {host: mongo, port: {number: 27017}}}]},
        {match: [{port: 3306}], route: [{destination: {host: mysql, port: {number: 3306}}}]}]}`);
    it("compat: two TCPRoutes with the same parentRef, CONV401", () => {
      const result = convertYaml(input, { profile: "compat" });
      const parents = ["vs-idx-0", "vs-idx-1"].map(
        (name) => (objectNamed(result.objects, "TCPRoute", name).spec as Record<string, unknown>).parentRefs,
      );
      expect(parents[0]).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" }]);
      expect(parents[1]).toEqual(parents[0]);
      expect(codes(result.findings)).toContain("CONV401");
    });
    it("full: each parentRef carries its port", () => {
      const result = convertYaml(input, { profile: "full" });
      const ports = ["vs-idx-0", "vs-idx-1"].map(
        (name) => (objectNamed(result.objects, "TCPRoute", name).spec as { parentRefs: { port?: number }[] }).parentRefs[0]!.port,
      );
      expect(ports).toEqual([27017, 3306]);
    });
  });

  it("14. first match wins in Istio: CONV318", () => {
    const result = convertYaml(
      virtualService(`{hosts: [a.example], http: [
        {match: [{uri: {prefix: /}}], route: [{destination: {host: a, port: {number: 80}}}]},
        {match: [{uri: {prefix: /api}}], route: [{destination: {host: b, port: {number: 80}}}]}]}`),
      { profile: "compat" },
    );
    expect(kindsAndNames(result.objects)).toEqual(["HTTPRoute edge/vs-idx-0", "HTTPRoute edge/vs-idx-1"]);
    const shadowed = result.findings.find((finding) => finding.code === "CONV318");
    expect(shadowed).toMatchObject({ severity: "error", path: "spec.http[1]" });
  });

  describe("15. exportTo and mesh", () => {
    it("a VirtualService exported only to its namespace does not bind to another namespace's Gateway", () => {
      const result = convertYaml(
        gateway(http80(`["*"]`), "infra") +
          virtualService(
            `{exportTo: ["."], gateways: [infra/gw], hosts: [a.example], http: [{route: [{destination: {host: a, port: {number: 80}}}]}]}`,
            "app",
            "v",
          ),
        { profile: "compat" },
      );
      expect((objectNamed(result.objects, "HTTPRoute", "v-idx-0").spec as Record<string, unknown>).parentRefs).toBeUndefined();
      expect(codes(result.findings)).toContain("CONV203");
    });
    it("mesh gets no parentRef; a same-namespace Gateway gets one without namespace", () => {
      const result = convertYaml(
        gateway(http80(`["*"]`), "app") +
          virtualService(
            `{gateways: [mesh, gw], hosts: [a.example], http: [{route: [{destination: {host: a, port: {number: 80}}}]}]}`,
            "app",
            "v",
          ),
        { profile: "compat" },
      );
      expect((objectNamed(result.objects, "HTTPRoute", "v-idx-0").spec as Record<string, unknown>).parentRefs).toEqual([
        { group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" },
      ]);
      expect(codes(result.findings)).toContain("CONV201");
    });
  });
});
