import { describe, expect, it } from "vitest";
import { codes, convertYaml, gateway, objectNamed, virtualService } from "./convert-input.js";
import type { KubeObject } from "../../../src/core/objects.js";

// parentRef `port` is a standard-channel field of Gateway API v1.2.1 and v1.5.1: an Istio match port that every
// match names becomes the parentRef port of Gateway and Service (GAMMA) parents alike.

const service = (name: string, ports: string, namespace = "edge") => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${namespace}}
spec: {selector: {app: ${name}}, ports: ${ports}}
---
`;

const parentRefsOf = (object: KubeObject) => ((object as { spec?: unknown }).spec as { parentRefs: Record<string, unknown>[] }).parentRefs;

describe("Istio match ports", () => {
  it("a mesh TCP route keeps its port on the Service parentRef (it used to be dropped with exit 0)", () => {
    const result = convertYaml(
      service("mongo", "[{name: mongo, port: 27017}, {name: admin, port: 28017}]") +
        virtualService("{hosts: [mongo], tcp: [{match: [{port: 27017}], route: [{destination: {host: mongo, port: {number: 27017}}}]}]}"),
    );
    expect(codes(result.findings, "error")).toEqual([]);
    expect(parentRefsOf(objectNamed(result.objects, "TCPRoute", "vs-idx-0"))).toEqual([
      { group: "", kind: "Service", name: "mongo", port: 27017 },
    ]);
  });

  it("a mesh HTTP route whose matches all name one port gets it on the Service parentRef, on the standard channel", () => {
    const result = convertYaml(
      service("web", "[{name: http, port: 80}, {name: admin, port: 9000}]") +
        virtualService(
          "{hosts: [web], http: [{match: [{port: 80, uri: {prefix: /a/}}, {port: 80, uri: {prefix: /b/}}], route: [{destination: {host: web, port: {number: 80}}}]}]}",
        ),
    );
    expect(codes(result.findings, "error")).toEqual([]);
    expect(parentRefsOf(objectNamed(result.objects, "HTTPRoute", "vs"))).toEqual([{ group: "", kind: "Service", name: "web", port: 80 }]);
  });

  it.each([[false], [true]])(
    "an entry without port next to one with a port is an error, never a silent broadening (--experimental %s)",
    (experimental) => {
      const result = convertYaml(
        gateway('[{port: {number: 80, name: http, protocol: HTTP}, hosts: ["./a.example.com"]}]') +
          service("web", "[{name: http, port: 8080}]") +
          virtualService(
            "{hosts: [a.example.com], gateways: [gw], http: [{match: [{port: 80, uri: {prefix: /p/}}], route: [{destination: {host: web}}]}, {route: [{destination: {host: web}}]}]}",
          ),
        { experimental },
      );
      const portErrors = result.findings.filter((finding) => finding.code === "CONV301" && finding.severity === "error");
      expect(portErrors.map((finding) => finding.message)).toEqual([
        expect.stringContaining("match.port differs between matches (80, any)"),
      ]);
      expect(parentRefsOf(objectNamed(result.objects, "HTTPRoute", "vs"))).toEqual([
        { group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" },
      ]);
    },
  );

  it("on a Gateway with an https redirect, only the listeners on the match port are referenced", () => {
    const result = convertYaml(
      gateway(
        '[{port: {number: 80, name: http, protocol: HTTP}, hosts: ["./a.example.com"], tls: {httpsRedirect: true}}, ' +
          '{port: {number: 443, name: https, protocol: HTTPS}, hosts: ["./a.example.com"], tls: {mode: SIMPLE, credentialName: cert}}, ' +
          '{port: {number: 8443, name: https-alt, protocol: HTTPS}, hosts: ["./a.example.com"], tls: {mode: SIMPLE, credentialName: cert}}]',
      ) +
        service("web", "[{name: http, port: 8080}]") +
        virtualService("{hosts: [a.example.com], gateways: [gw], http: [{match: [{port: 443}], route: [{destination: {host: web}}]}]}"),
    );
    expect(codes(result.findings, "error")).toEqual([]);
    expect(parentRefsOf(objectNamed(result.objects, "HTTPRoute", "vs"))).toEqual([
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw", port: 443, sectionName: "https-443-a.example.com" },
    ]);
  });

  it("a match port that only https-redirect listeners serve gets no parentRef, with a warning", () => {
    const result = convertYaml(
      gateway(
        '[{port: {number: 80, name: http, protocol: HTTP}, hosts: ["./a.example.com"], tls: {httpsRedirect: true}}, ' +
          '{port: {number: 443, name: https, protocol: HTTPS}, hosts: ["./a.example.com"], tls: {mode: SIMPLE, credentialName: cert}}]',
      ) +
        service("web", "[{name: http, port: 8080}]") +
        virtualService("{hosts: [a.example.com], gateways: [gw], http: [{match: [{port: 80}], route: [{destination: {host: web}}]}]}"),
    );
    expect(codes(result.findings, "error")).toEqual([]);
    expect(result.findings.filter((finding) => finding.code === "CONV210").map((finding) => finding.severity)).toEqual(["warning"]);
    expect((objectNamed(result.objects, "HTTPRoute", "vs") as { spec?: { parentRefs?: unknown } }).spec?.parentRefs).toBeUndefined();
  });
});
