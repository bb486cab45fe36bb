import { describe, expect, it } from "vitest";
import { codes, convertYaml, gateway, kindsAndNames, objectNamed, virtualService } from "./convert-input.js";

const route = (host = "web") => `{destination: {host: ${host}, port: {number: 80}}}`;

describe("conversion rules beyond the §13 edge cases", () => {
  it.each([
    ["unknown server protocol", gateway(`[{port: {number: 53, protocol: UDP, name: p53}, hosts: ["*"]}]`), "CONV104", undefined],
    [
      "unknown TLS mode",
      gateway(`[{port: {number: 443, protocol: HTTPS, name: p443}, hosts: ["*"], tls: {mode: FANCY}}]`),
      "CONV107",
      "CONV005/SCHEMA_ENUM",
    ],
    ["server without port", gateway(`[{hosts: ["*"]}]`), "CONV103", "CONV005/SCHEMA_REQUIRED"],
    [
      "mirror and mirrors together",
      virtualService(`{hosts: [a.example], http: [{mirror: {host: m}, mirrors: [{destination: {host: m2}}], route: [${route()}]}]}`),
      "CONV310",
      "CONV005/ISTIO_VIRTUALSERVICE",
    ],
    [
      "method regex in compat",
      virtualService(`{hosts: [a.example], http: [{match: [{method: {regex: "GET|HEAD"}}], route: [${route()}]}]}`),
      "CONV302",
      undefined,
    ],
  ])("%s is an ERROR (exit 1) and the rest still converts", (_name, input, code, inputCode) => {
    const result = convertYaml(input, { profile: "compat" });
    // Inputs the API server would refuse are also reported as such (CONV005), besides what the converter says.
    expect(codes(result.findings, "error")).toEqual(inputCode ? [inputCode, code] : [code]);
  });

  it("skips ISTIO_MUTUAL servers with a warning and drops the Gateway when nothing is left", () => {
    const result = convertYaml(gateway(`[{port: {number: 443, protocol: HTTPS}, hosts: ["*"], tls: {mode: ISTIO_MUTUAL}}]`));
    expect(result.objects).toEqual([]);
    expect(codes(result.findings)).toEqual(expect.arrayContaining(["CONV106", "CONV116", "CONV003"]));
  });

  it("full: a VirtualService on gRPC servers whose matches name gRPC methods becomes a GRPCRoute", () => {
    const input =
      gateway(`[{port: {number: 8080, protocol: GRPC}, hosts: ["*"]}]`) +
      virtualService(
        `{gateways: [gw], hosts: [grpc.example], http: [{match: [{uri: {exact: /shop.Cart/Get}, headers: {x-tenant: {exact: a}}}, {uri: {prefix: /shop.Admin/}}], route: [${route("cart")}]}]}`,
      );
    const result = convertYaml(input);
    expect(objectNamed(result.objects, "GRPCRoute", "vs").spec).toEqual({
      parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" }],
      hostnames: ["grpc.example"],
      rules: [
        {
          matches: [
            { method: { service: "shop.Cart", method: "Get" }, headers: [{ type: "Exact", name: "x-tenant", value: "a" }] },
            { method: { service: "shop.Admin" } },
          ],
          backendRefs: [{ name: "cart", port: 80 }],
        },
      ],
    });
    expect(convertYaml(input, { profile: "compat" }).objects.map((object) => object.kind)).toEqual(["Gateway", "HTTPRoute"]);
  });

  it("full: a redirecting listener also admits the Gateway's own namespace, where the redirect route lives", () => {
    const result = convertYaml(
      gateway(`[{port: {number: 80, protocol: HTTP}, hosts: ["shop/shop.example"], tls: {httpsRedirect: true}}]`, "infra"),
    );
    const listener = (objectNamed(result.objects, "Gateway", "gw").spec as { listeners: { allowedRoutes: unknown }[] }).listeners[0]!;
    expect(listener.allowedRoutes).toEqual({
      namespaces: {
        from: "Selector",
        selector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["infra", "shop"] }] },
      },
    });
    expect(objectNamed(result.objects, "HTTPRoute", "gw-https-redirect").metadata.namespace).toBe("infra");
  });

  it("full: a method alternation becomes one match per method", () => {
    const result = convertYaml(
      virtualService(`{hosts: [a.example], http: [{match: [{method: {regex: "GET|HEAD"}}], route: [${route()}]}]}`),
    );
    const rules = (objectNamed(result.objects, "HTTPRoute", "vs").spec as { rules: { matches: unknown[] }[] }).rules;
    expect(rules[0]!.matches).toEqual([{ method: "GET" }, { method: "HEAD" }]);
  });

  it("full: rule names come from Istio route names and stay unique within the route", () => {
    const result = convertYaml(
      virtualService(
        `{hosts: [a.example], http: [{name: API, match: [{uri: {exact: /a}}], route: [${route()}]}, {name: api, route: [${route()}]}]}`,
      ),
    );
    expect((objectNamed(result.objects, "HTTPRoute", "vs").spec as { rules: { name?: string }[] }).rules.map((rule) => rule.name)).toEqual([
      "api",
      "api-2",
    ]);
  });

  it("full: more than 16 rules continue in <vs>-2", () => {
    const entries = Array.from({ length: 18 }, (_, index) => `{match: [{uri: {exact: /p${index}}}], route: [${route()}]}`).join(", ");
    const result = convertYaml(virtualService(`{hosts: [a.example], http: [${entries}]}`));
    expect(kindsAndNames(result.objects)).toEqual(["HTTPRoute edge/vs", "HTTPRoute edge/vs-2"]);
    expect((objectNamed(result.objects, "HTTPRoute", "vs-2").spec as { rules: unknown[] }).rules).toHaveLength(2);
  });

  it("full: more than 16 hostnames are split into routes of at most 16 (-h2)", () => {
    const hosts = Array.from({ length: 20 }, (_, index) => `h${index}.example`).join(", ");
    const result = convertYaml(virtualService(`{hosts: [${hosts}], http: [{route: [${route()}]}]}`));
    expect(kindsAndNames(result.objects)).toEqual(["HTTPRoute edge/vs", "HTTPRoute edge/vs-h2"]);
    expect((objectNamed(result.objects, "HTTPRoute", "vs-h2").spec as { hostnames: string[] }).hostnames).toHaveLength(4);
    expect(codes(result.findings)).toContain("CONV208");
  });

  it("makes colliding generated names unique (E11) with CONV320", () => {
    const input =
      virtualService(`{hosts: [a.example], http: [{name: x, route: [${route()}]}]}`, "edge", "a") +
      virtualService(`{hosts: [b.example], http: [{route: [${route()}]}]}`, "edge", "a-x");
    const result = convertYaml(input, { profile: "compat" });
    expect(kindsAndNames(result.objects)).toEqual(["HTTPRoute edge/a-x", "HTTPRoute edge/a-x-idx-0"]);
    const clash = convertYaml(
      virtualService(`{hosts: [a.example], http: [{name: "X", route: [${route()}]}, {name: "x", route: [${route()}]}]}`, "edge", "a"),
      { profile: "compat" },
    );
    expect(kindsAndNames(clash.objects)).toEqual(["HTTPRoute edge/a-x", "HTTPRoute edge/a-x-2"]);
    expect(codes(clash.findings)).toContain("CONV320");
  });

  it("compat: ReferenceGrants of two VirtualServices with the same name are merged, not overwritten (E11)", () => {
    const input =
      gateway(`[{port: {number: 80, protocol: HTTP}, hosts: ["*/a.example", "*/b.example"]}]`, "infra", "one") +
      gateway(`[{port: {number: 8080, protocol: HTTP}, hosts: ["*/b.example"]}]`, "infra", "two") +
      virtualService(`{gateways: [infra/one], hosts: [a.example], http: [{route: [${route()}]}]}`, "app", "a") +
      virtualService(
        `{gateways: [infra/two], hosts: [b.example], tcp: [{route: [${route()}]}], http: [{route: [${route()}]}]}`,
        "app",
        "b",
      );
    const result = convertYaml(input, { profile: "compat" });
    const grants = result.objects.filter((object) => object.kind === "ReferenceGrant");
    expect(grants.map((grant) => grant.spec)).toEqual([
      {
        from: [
          { group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "app" },
          { group: "gateway.networking.k8s.io", kind: "TCPRoute", namespace: "app" },
        ],
        to: [
          { group: "gateway.networking.k8s.io", kind: "Gateway", name: "one" },
          { group: "gateway.networking.k8s.io", kind: "Gateway", name: "two" },
        ],
      },
    ]);
  });

  it("the later of two objects with the same identity wins, with CONV004", () => {
    const result = convertYaml(
      virtualService(`{hosts: [a.example], http: [{route: [${route("first")}]}]}`) +
        virtualService(`{hosts: [a.example], http: [{route: [${route("second")}]}]}`),
    );
    expect(JSON.stringify(result.objects)).toContain("second");
    expect(JSON.stringify(result.objects)).not.toContain("first");
    expect(codes(result.findings)).toContain("CONV004");
  });

  it("puts objects without a namespace into the -n namespace and skips other namespaces", () => {
    const input = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: plain}
spec: {hosts: [a.example], http: [{route: [${route()}]}]}
---
${virtualService(`{hosts: [a.example], http: [{route: [${route()}]}]}`, "other", "elsewhere")}`;
    const result = convertYaml(input, { namespace: "team" });
    expect(kindsAndNames(result.objects)).toEqual(["HTTPRoute team/plain"]);
  });

  it("--gateway-api-version v1.2.1 writes TLSRoute v1alpha2 and no rule names", () => {
    const result = convertYaml(
      virtualService(
        `{hosts: [a.example], http: [{name: main, route: [${route()}]}], tls: [{match: [{sniHosts: [a.example]}], route: [${route()}]}]}`,
      ),
      { gatewayApiVersion: "v1.2.1" },
    );
    expect(objectNamed(result.objects, "TLSRoute", "vs-idx-0").apiVersion).toBe("gateway.networking.k8s.io/v1alpha2");
    expect((objectNamed(result.objects, "HTTPRoute", "vs").spec as { rules: Record<string, unknown>[] }).rules[0]!.name).toBeUndefined();
  });

  it("--credential-namespace adds namespaced certificateRefs and a ReferenceGrant for the secrets", () => {
    const result = convertYaml(
      gateway(`[{port: {number: 443, protocol: HTTPS}, hosts: ["*"], tls: {mode: SIMPLE, credentialName: tls-cert}}]`),
      { credentialNamespace: "istio-system" },
    );
    const listener = (objectNamed(result.objects, "Gateway", "gw").spec as { listeners: { tls: unknown }[] }).listeners[0]!;
    expect(listener.tls).toEqual({
      mode: "Terminate",
      certificateRefs: [{ group: "", kind: "Secret", name: "tls-cert", namespace: "istio-system" }],
    });
    expect(objectNamed(result.objects, "ReferenceGrant", "generated-reference-grant-from-edge-to-istio-system").spec).toEqual({
      from: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "edge" }],
      to: [{ group: "", kind: "Secret", name: "tls-cert" }],
    });
  });

  it("--experimental converts retries into retry and timeouts.backendRequest", () => {
    const result = convertYaml(
      virtualService(
        `{hosts: [a.example], http: [{timeout: 10s, retries: {attempts: 3, perTryTimeout: 2s, retryOn: "gateway-error,connect-failure,429"}, route: [${route()}]}]}`,
      ),
      { experimental: true },
    );
    const rule = (objectNamed(result.objects, "HTTPRoute", "vs").spec as { rules: Record<string, unknown>[] }).rules[0]!;
    expect(rule.retry).toEqual({ attempts: 3, codes: [429, 502, 503, 504] });
    expect(rule.timeouts).toEqual({ request: "10s", backendRequest: "2s" });
    expect(result.findings.find((finding) => finding.code === "CONV315")?.message).toContain("connect-failure");
  });

  it("full + --experimental: DestinationRule cookie affinity becomes sessionPersistence on rules to that Service", () => {
    const input = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: edge}
spec: {host: web, trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: session, ttl: 0s}}}}}
---
${virtualService(`{hosts: [a.example], http: [{route: [${route("web")}]}, {match: [{uri: {prefix: /other/}}], route: [${route("other")}]}]}`)}`;
    const rules = (
      objectNamed(convertYaml(input, { experimental: true }).objects, "HTTPRoute", "vs").spec as { rules: Record<string, unknown>[] }
    ).rules;
    expect(rules.map((rule) => rule.sessionPersistence)).toEqual([{ type: "Cookie", sessionName: "session" }, undefined]);
    const standard = convertYaml(input);
    expect(JSON.stringify(standard.objects)).not.toContain("sessionPersistence");
    expect(standard.findings.find((finding) => finding.code === "CONV501")?.severity).toBe("warning");
  });

  it("full: DestinationRule TLS origination with a public CA becomes a BackendTLSPolicy", () => {
    const result = convertYaml(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: api-tls, namespace: edge}
spec: {host: api.backend.svc.cluster.local, trafficPolicy: {tls: {mode: SIMPLE, sni: api.example.com}, connectionPool: {tcp: {maxConnections: 10}}}}
`);
    expect(objectNamed(result.objects, "BackendTLSPolicy", "api-tls")).toMatchObject({
      metadata: { namespace: "backend" },
      spec: {
        targetRefs: [{ group: "", kind: "Service", name: "api" }],
        validation: { hostname: "api.example.com", wellKnownCACertificates: "System" },
      },
    });
    expect(codes(result.findings)).toContain("CONV501");
  });

  it("full: a missing port is taken from a single-port Service in the input", () => {
    const result = convertYaml(`apiVersion: v1
kind: Service
metadata: {name: web, namespace: edge}
spec: {ports: [{port: 8080}]}
---
${virtualService(`{hosts: [a.example], http: [{route: [{destination: {host: web}}]}]}`)}`);
    expect((objectNamed(result.objects, "HTTPRoute", "vs").spec as { rules: { backendRefs: unknown[] }[] }).rules[0]!.backendRefs).toEqual([
      { name: "web", port: 8080 },
    ]);
    expect(codes(result.findings)).not.toContain("CONV304");
  });

  it("reports the source position and field path of every finding", () => {
    const result = convertYaml(gateway(`[{port: {number: 80, protocol: HTTP}, hosts: ["*"], bind: 1.2.3.4}]`));
    expect(result.findings.find((finding) => finding.code === "CONV110")).toMatchObject({
      file: "input.yaml",
      line: 5,
      path: "spec.servers[0].bind",
      resource: { kind: "Gateway", namespace: "edge", name: "gw" },
    });
  });
});
