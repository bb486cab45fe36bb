import { describe, expect, it } from "vitest";
import { parseManifestText, toYamlStream } from "../../../src/core/documents/index.js";
import { convertGatewayApiToIstio, convertIstioToGatewayApi, defaultConvertOptions } from "../../../src/core/convert/index.js";
import type { KubeObject } from "../../../src/core/objects.js";
import { routeThroughIstioGateway, type GatewayRequest } from "./istio-gateway-routing.js";
import { randomVirtualServiceInput } from "./random-istio.js";

const options = defaultConvertOptions({ profile: "full", generator: "mesh-test" });

function roundTrip(objects: readonly unknown[]): { gatewayApi: KubeObject[]; istio: KubeObject[] } {
  const forward = convertIstioToGatewayApi(parseManifestText(toYamlStream(objects), "istio.yaml").documents, options);
  const back = convertGatewayApiToIstio(parseManifestText(toYamlStream(forward.objects), "gateway-api.yaml").documents, options);
  return { gatewayApi: forward.objects, istio: back.objects };
}

function requestsFor(virtualService: KubeObject): GatewayRequest[] {
  const host = (virtualService.spec as { hosts: string[] }).hosts[0]!;
  const paths = new Set(["/", "/zzz", "/api", "/api/", "/api/x", "/apix", "/static/app.js", "/login", "/v1/items/7"]);
  for (const entry of (virtualService.spec as { http?: { match?: { uri?: Record<string, string> }[] }[] }).http ?? []) {
    for (const match of entry.match ?? []) {
      const value = match.uri?.exact ?? match.uri?.prefix;
      if (value) for (const path of [value, `${value}x`, `${value}/x`, value.replace(/\/$/, "")]) paths.add(path || "/");
    }
  }
  return [...paths].flatMap((path) =>
    ([{}, { "x-env": "canary" }] as Record<string, string>[]).flatMap((headers) =>
      ["GET", "POST"].map((method) => ({ path, method, headers, port: 80, host })),
    ),
  );
}

describe("round trip Istio → Gateway API (full) → Istio", () => {
  it("routes a bookinfo VirtualService's requests the same way", () => {
    const vs = {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "bookinfo", namespace: "app" },
      spec: {
        hosts: ["bookinfo.example.com"],
        gateways: ["edge/gw"],
        http: [
          {
            match: [{ uri: { exact: "/productpage" } }, { uri: { exact: "/static" } }, { uri: { prefix: "/static/" } }],
            route: [{ destination: { host: "productpage", port: { number: 9080 } } }],
          },
        ],
      },
    };
    const gateway = {
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name: "gw", namespace: "edge" },
      spec: { servers: [{ port: { number: 80, protocol: "HTTP" }, hosts: ["*/bookinfo.example.com"] }] },
    };
    const { istio } = roundTrip([gateway, vs]);
    // istiod's form: one VirtualService per (listener, host), bound to the listener's own Istio Gateway.
    expect(istio.filter((object) => object.kind === "VirtualService").map((object) => object.spec)).toEqual([
      {
        hosts: ["bookinfo.example.com"],
        gateways: ["edge/gw-http-80-bookinfo-example-com"],
        http: [
          {
            name: "app.bookinfo.0",
            match: [{ uri: { exact: "/productpage" } }],
            route: [{ destination: { host: "productpage.app.svc.cluster.local", port: { number: 9080 } } }],
          },
          {
            name: "app.bookinfo.0",
            match: [{ uri: { exact: "/static" } }, { uri: { prefix: "/static/" } }],
            route: [{ destination: { host: "productpage.app.svc.cluster.local", port: { number: 9080 } } }],
          },
        ],
      },
    ]);
    for (const request of requestsFor(vs)) {
      expect(routeThroughIstioGateway(istio, request), JSON.stringify(request)).toEqual(
        routeThroughIstioGateway([gateway, vs] as KubeObject[], request),
      );
    }
  });

  it("keeps a match port: requests on the Gateway's other port stay unrouted", () => {
    const gateway = {
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name: "gw", namespace: "edge" },
      spec: {
        servers: [
          { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["*/shop.example.com"] },
          { port: { number: 8080, name: "http-alt", protocol: "HTTP" }, hosts: ["*/shop.example.com"] },
        ],
      },
    };
    const vs = {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "admin", namespace: "app" },
      spec: {
        hosts: ["shop.example.com"],
        gateways: ["edge/gw"],
        http: [
          { match: [{ port: 8080, uri: { prefix: "/admin/" } }], route: [{ destination: { host: "admin", port: { number: 9000 } } }] },
          { match: [{ port: 8080 }], route: [{ destination: { host: "web", port: { number: 9000 } } }] },
        ],
      },
    };
    const forward = convertIstioToGatewayApi(parseManifestText(toYamlStream([gateway, vs]), "istio.yaml").documents, options);
    expect(forward.findings.filter((finding) => finding.severity === "error")).toEqual([]);
    const { istio } = roundTrip([gateway, vs]);
    const requests = [80, 8080].flatMap((port) =>
      ["/", "/admin/users"].map((path) => ({ path, method: "GET", headers: {}, port, host: "shop.example.com" })),
    );
    expect(requests.map((request) => routeThroughIstioGateway([gateway, vs] as KubeObject[], request))).toContainEqual({
      kind: "no route (404)",
    });
    for (const request of requests) {
      expect(routeThroughIstioGateway(istio, request), JSON.stringify(request)).toEqual(
        routeThroughIstioGateway([gateway, vs] as KubeObject[], request),
      );
    }
  });

  it.each(Array.from({ length: 60 }, (_, seed) => seed + 1))("routes every probe request the same way (random input %i)", (seed) => {
    const input = randomVirtualServiceInput(seed);
    const original = input.find((object) => object.kind === "VirtualService")!;
    const { istio } = roundTrip(input);
    const requests = requestsFor(original);
    expect(
      requests.filter((request) => JSON.stringify(routeThroughIstioGateway(input, request)).includes('"route"')).length,
    ).toBeGreaterThan(0);
    for (const request of requests) {
      expect(routeThroughIstioGateway(istio, request), JSON.stringify(request)).toEqual(routeThroughIstioGateway(input, request));
    }
  });
});

describe("round trip Gateway API → Istio → Gateway API (full)", () => {
  it.each(Array.from({ length: 60 }, (_, seed) => seed + 1))("keeps the routing of the Gateway API objects (random input %i)", (seed) => {
    const input = randomVirtualServiceInput(seed);
    const { gatewayApi, istio } = roundTrip(input);
    const again = convertIstioToGatewayApi(parseManifestText(toYamlStream(istio), "istio.yaml").documents, options).objects;
    const istioAgain = convertGatewayApiToIstio(parseManifestText(toYamlStream(again), "gateway-api.yaml").documents, options).objects;
    expect(gatewayApi.length).toBeGreaterThan(0);
    for (const request of requestsFor(input.find((object) => object.kind === "VirtualService")!)) {
      expect(routeThroughIstioGateway(istioAgain, request), JSON.stringify(request)).toEqual(routeThroughIstioGateway(istio, request));
    }
  });
});
