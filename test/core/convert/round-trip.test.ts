import { describe, expect, it } from "vitest";
import { parseManifestText, toYamlStream } from "../../../src/core/documents/index.js";
import { convertGatewayApiToIstio, convertIstioToGatewayApi, defaultConvertOptions } from "../../../src/core/convert/index.js";
import type { KubeObject } from "../../../src/core/objects.js";
import { routeThroughVirtualService, type HttpRequest } from "./istio-routing.js";
import { randomVirtualServiceInput } from "./random-istio.js";

const options = defaultConvertOptions({ profile: "full", generator: "mesh-test" });

function roundTrip(objects: readonly unknown[]): { gatewayApi: KubeObject[]; istio: KubeObject[] } {
  const forward = convertIstioToGatewayApi(parseManifestText(toYamlStream(objects), "istio.yaml").documents, options);
  const back = convertGatewayApiToIstio(parseManifestText(toYamlStream(forward.objects), "gateway-api.yaml").documents, options);
  return { gatewayApi: forward.objects, istio: back.objects };
}

function requestsFor(virtualService: KubeObject): HttpRequest[] {
  const paths = new Set(["/", "/zzz", "/api", "/api/", "/api/x", "/apix", "/static/app.js", "/login", "/v1/items/7"]);
  for (const entry of (virtualService.spec as { http?: { match?: { uri?: Record<string, string> }[] }[] }).http ?? []) {
    for (const match of entry.match ?? []) {
      const value = match.uri?.exact ?? match.uri?.prefix;
      if (value) for (const path of [value, `${value}x`, `${value}/x`, value.replace(/\/$/, "")]) paths.add(path || "/");
    }
  }
  return [...paths].flatMap((path) =>
    ([{}, { "x-env": "canary" }] as Record<string, string>[]).flatMap((headers) =>
      ["GET", "POST"].map((method) => ({ path, method, headers, port: 80 })),
    ),
  );
}

describe("round trip Istio → Gateway API (full) → Istio", () => {
  it("keeps names, hosts and gateways of a bookinfo VirtualService", () => {
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
    const back = istio.find((object) => object.kind === "VirtualService")!;
    expect(back.metadata).toMatchObject({ name: "bookinfo", namespace: "app" });
    expect(back.spec).toEqual(vs.spec);
  });

  it.each(Array.from({ length: 60 }, (_, seed) => seed + 1))("routes every probe request the same way (random input %i)", (seed) => {
    const input = randomVirtualServiceInput(seed);
    const original = input.find((object) => object.kind === "VirtualService")!;
    const { istio } = roundTrip(input);
    const back = istio.find((object) => object.kind === "VirtualService" && object.metadata.name === original.metadata.name);
    expect(back, "the VirtualService comes back under its name").toBeDefined();
    for (const request of requestsFor(original)) {
      expect(routeThroughVirtualService(back!, request), JSON.stringify(request)).toEqual(routeThroughVirtualService(original, request));
    }
  });
});

describe("round trip Gateway API → Istio → Gateway API (full)", () => {
  it.each(Array.from({ length: 60 }, (_, seed) => seed + 1))("gives back the same Gateway API objects (random input %i)", (seed) => {
    const { gatewayApi } = roundTrip(randomVirtualServiceInput(seed));
    const again = convertIstioToGatewayApi(
      parseManifestText(toYamlStream(roundTrip(randomVirtualServiceInput(seed)).istio), "istio.yaml").documents,
      options,
    ).objects;
    const specs = (objects: KubeObject[]) =>
      objects.map((object) => ({ kind: object.kind, name: object.metadata.name, spec: object.spec }));
    expect(specs(again)).toEqual(specs(gatewayApi));
  });
});
