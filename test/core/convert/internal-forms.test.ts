import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../src/core/objects.js";
import { codes, convertYaml, gateway, objectNamed } from "./convert-input.js";

/** VirtualServices as istiod writes them from Gateway API (exported from a cluster), read back faithfully. */
const http80 = gateway(`[{port: {number: 80, protocol: HTTP, name: p80}, hosts: ["*"]}]`);
const routeOf = (entry: string) =>
  http80 +
  `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: edge}
spec: {hosts: [a.example.com], gateways: [gw], http: [${entry}]}
`;
const rules = (objects: readonly KubeObject[]) =>
  (objectNamed(objects, "HTTPRoute", "vs").spec as { rules: Record<string, unknown>[] }).rules;

describe("Istio's internal forms in the input", () => {
  it("%PREFIX()% in a redirect is a ReplacePrefixMatch redirect", () => {
    const result = convertYaml(routeOf(`{match: [{uri: {prefix: /old}}], redirect: {uri: "%PREFIX()%/new", redirectCode: 302}}`));
    expect(codes(result.findings, "error")).toEqual([]);
    expect(rules(result.objects)[0]).toEqual({
      matches: [{ path: { type: "PathPrefix", value: "/old" } }],
      filters: [
        { type: "RequestRedirect", requestRedirect: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/new" }, statusCode: 302 } },
      ],
    });
  });

  it("%PREFIX()% over an exact match cannot be written: an error, and no invalid output", () => {
    const result = convertYaml(routeOf(`{match: [{uri: {exact: /old}}], redirect: {uri: "%PREFIX()%/new"}}`));
    expect(result.findings.find((finding) => finding.code === "CONV307")).toMatchObject({
      severity: "error",
      path: "spec.http[0].redirect.uri",
    });
    expect(codes(result.findings, "error")).toEqual(["CONV307"]);
  });

  it("a regex rewrite of the whole path (/.*) is ReplaceFullPath; any other regex rewrite is an error", () => {
    const full = convertYaml(
      routeOf(`{route: [{destination: {host: a, port: {number: 80}}}], rewrite: {uriRegexRewrite: {match: /.*, rewrite: /index.html}}}`),
    );
    expect(codes(full.findings, "error")).toEqual([]);
    expect(rules(full.objects)[0]!.filters).toEqual([
      { type: "URLRewrite", urlRewrite: { path: { type: "ReplaceFullPath", replaceFullPath: "/index.html" } } },
    ]);
    const other = convertYaml(
      routeOf(
        `{route: [{destination: {host: a, port: {number: 80}}}], rewrite: {uriRegexRewrite: {match: "^/v1/(.*)", rewrite: "/v2/\\\\1"}}}`,
      ),
    );
    expect(codes(other.findings, "error")).toEqual(["CONV311"]);
  });

  it("regex CORS origins: anything → *, an anchored wildcard origin → https://*.host", () => {
    const result = convertYaml(
      routeOf(
        `{route: [{destination: {host: a, port: {number: 80}}}], corsPolicy: {allowOrigins: [{regex: "^https://.*\\\\.example\\\\.com$"}, {regex: "^http://localhost:8080$"}]}}`,
      ),
    );
    expect(rules(result.objects)[0]!.filters).toEqual([
      { type: "CORS", cors: { allowOrigins: ["https://*.example.com", "http://localhost:8080"] } },
    ]);
    const any = convertYaml(
      routeOf(`{route: [{destination: {host: a, port: {number: 80}}}], corsPolicy: {allowOrigins: [{regex: "^.*$"}]}}`),
    );
    expect(rules(any.objects)[0]!.filters).toEqual([{ type: "CORS", cors: { allowOrigins: ["*"] } }]);
  });

  it("directResponse 404 without body is a rule without backends; other direct responses are errors", () => {
    const notFound = convertYaml(routeOf(`{match: [{uri: {prefix: /gone}}], directResponse: {status: 404}}`));
    expect(codes(notFound.findings, "error")).toEqual([]);
    expect(rules(notFound.objects)[0]).toEqual({ matches: [{ path: { type: "PathPrefix", value: "/gone" } }] });
    const teapot = convertYaml(routeOf(`{directResponse: {status: 418, body: {string: tea}}}`));
    expect(codes(teapot.findings, "error")).toEqual(["CONV313"]);
  });
});

describe("istiod's answers for unusable backends", () => {
  it("directResponse 500 (no body, no route) is a backend with weight 0, which Gateway API answers with 500", () => {
    const result = convertYaml(routeOf(`{match: [{uri: {prefix: /denied}}], directResponse: {status: 500}}`));
    expect(codes(result.findings, "error")).toEqual([]);
    expect(result.findings.find((finding) => finding.code === "CONV313")).toMatchObject({
      severity: "info",
      path: "spec.http[0].directResponse",
    });
    expect(rules(result.objects)[0]).toEqual({
      matches: [{ path: { type: "PathPrefix", value: "/denied" } }],
      backendRefs: [{ name: "blackhole", port: 65535, weight: 0 }],
    });
    const withBody = convertYaml(routeOf(`{directResponse: {status: 500, body: {string: oops}}}`));
    expect(codes(withBody.findings, "error")).toEqual(["CONV313"]);
  });

  it("the blackhole destination of a TCP rule is a backend with weight 0", () => {
    const result = convertYaml(
      gateway(`[{port: {number: 9000, protocol: TCP, name: tcp}, hosts: ["*"]}]`) +
        `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: edge}\nspec: {hosts: ["*"], gateways: [gw], tcp: [{route: [{destination: {host: internal.cluster.local, subset: zero-weight, port: {number: 65535}}}]}]}\n`,
      { experimental: true },
    );
    expect(codes(result.findings, "error")).toEqual([]);
    const route = result.objects.find((object) => object.kind === "TCPRoute")!;
    expect((route.spec as { rules: unknown[] }).rules).toEqual([{ backendRefs: [{ name: "blackhole", port: 65535, weight: 0 }] }]);
  });
});

describe("Gateway API limits and input size", () => {
  it("a VirtualService repeating one host 1,000 times converts without deep recursion", () => {
    const hosts = Array.from({ length: 1000 }, () => "a.example.com").join(", ");
    const result = convertYaml(
      http80 +
        `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: edge}\nspec: {hosts: [${hosts}], gateways: [gw], http: [{route: [{destination: {host: a, port: {number: 80}}}]}]}\n`,
    );
    // Istio's webhook refuses duplicate hosts, so the input is reported; the conversion still completes.
    expect(codes(result.findings, "error")).toEqual(["CONV005/ISTIO_VIRTUALSERVICE"]);
    expect((objectNamed(result.objects, "HTTPRoute", "vs").spec as { hostnames: string[] }).hostnames).toEqual(["a.example.com"]);
  });

  it("more than 16 hostnames: split into routes of at most 16, all valid", () => {
    const hosts = Array.from({ length: 40 }, (_, index) => `h${index}.example.com`).join(", ");
    const result = convertYaml(
      http80 +
        `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: edge}\nspec: {hosts: [${hosts}], gateways: [gw], http: [{route: [{destination: {host: a, port: {number: 80}}}]}]}\n`,
    );
    expect(codes(result.findings, "error")).toEqual([]);
    const routes = result.objects.filter((object) => object.kind === "HTTPRoute");
    expect(routes.map((route) => (route.spec as { hostnames: string[] }).hostnames.length)).toEqual([16, 16, 8]);
  });

  it("more than 32 parentRefs: split into routes of at most 32, all valid", () => {
    const gateways = Array.from({ length: 40 }, (_, index) =>
      gateway(`[{port: {number: 80, protocol: HTTP, name: p80}, hosts: ["*"]}]`, "edge", `gw${index}`),
    ).join("");
    const names = Array.from({ length: 40 }, (_, index) => `gw${index}`).join(", ");
    const result = convertYaml(
      gateways +
        `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: edge}\nspec: {hosts: [a.example.com], gateways: [${names}], http: [{route: [{destination: {host: a, port: {number: 80}}}]}]}\n`,
    );
    expect(codes(result.findings, "error")).toEqual([]);
    const routes = result.objects.filter((object) => object.kind === "HTTPRoute");
    expect(routes.map((route) => (route.spec as { parentRefs: unknown[] }).parentRefs.length)).toEqual([32, 8]);
  });

  it.each([
    [
      "TLSRoute",
      `{port: {number: 443, protocol: TLS, name: tls}, hosts: ["*"], tls: {mode: PASSTHROUGH}}`,
      `tls: [{match: [{sniHosts: [a.example.com]}], route: [{destination: {host: a, port: {number: 443}}}]}]`,
    ],
    [
      "TCPRoute",
      `{port: {number: 9000, protocol: TCP, name: tcp}, hosts: ["*"]}`,
      `tcp: [{route: [{destination: {host: a, port: {number: 9000}}}]}]`,
    ],
    [
      "GRPCRoute",
      `{port: {number: 8080, protocol: GRPC, name: grpc}, hosts: ["*"]}`,
      `http: [{match: [{uri: {prefix: /shop.Cart/}}], route: [{destination: {host: a, port: {number: 8080}}}]}]`,
    ],
  ])("more than 32 parentRefs on a %s: split into routes of at most 32, all valid", (kind, server, routes) => {
    const gateways = Array.from({ length: 70 }, (_, index) => gateway(`[${server}]`, "edge", `gw${index}`)).join("");
    const names = Array.from({ length: 70 }, (_, index) => `gw${index}`).join(", ");
    const result = convertYaml(
      gateways +
        `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: edge}\nspec: {hosts: [a.example.com], gateways: [${names}], ${routes}}\n`,
      { experimental: true },
    );
    expect(codes(result.findings, "error")).toEqual([]);
    const emitted = result.objects.filter((object) => object.kind === kind);
    expect(emitted.map((route) => (route.spec as { parentRefs: unknown[] }).parentRefs.length)).toEqual([32, 32, 6]);
    expect(new Set(emitted.map((route) => route.metadata.name)).size).toBe(3);
  });

  it("more than 64 listeners on one Gateway is an error naming the limit", () => {
    const servers = Array.from({ length: 70 }, (_, index) => `{port: {number: ${8000 + index}, protocol: HTTP}, hosts: ["*"]}`).join(", ");
    const result = convertYaml(gateway(`[${servers}]`));
    const error = result.findings.find((finding) => finding.code === "CONV119");
    expect(error).toMatchObject({ severity: "error", path: "spec.servers" });
    expect(error?.message).toContain("64");
  });
});
