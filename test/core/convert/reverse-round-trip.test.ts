import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseManifestText, toYamlStream } from "../../../src/core/documents/index.js";
import { convertGatewayApiToIstio, convertIstioToGatewayApi, defaultConvertOptions } from "../../../src/core/convert/index.js";
import type { KubeObject } from "../../../src/core/objects.js";
import { customResourceDefinitions } from "../../../src/core/schemas/index.js";
import { validateObjects } from "../../../src/core/validate/index.js";
import { routeThroughIstioGateway, type GatewayRequest } from "./istio-gateway-routing.js";

/**
 * Round trip Gateway API → Istio → Gateway API on the reverse fixtures: the Gateway API that comes back
 * routes every probe request like the original (both seen through the reverse conversion, the form istiod programs).
 */
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/convert/input-gateway-api");
const options = defaultConvertOptions({ generator: "mesh-test" });
type Json = Record<string, any>;

const toIstio = (objects: readonly unknown[]) =>
  convertGatewayApiToIstio(parseManifestText(toYamlStream(objects), "gateway-api.yaml").documents, options).objects;
const toGatewayApi = (objects: readonly unknown[]) =>
  convertIstioToGatewayApi(parseManifestText(toYamlStream(objects), "istio.yaml").documents, options).objects;

/** Requests on every server port, for every VirtualService host, on every path a match names (and its neighbours). */
function probes(istio: readonly KubeObject[]): GatewayRequest[] {
  const ports = new Set<number>();
  for (const gateway of istio.filter((object) => object.kind === "Gateway"))
    for (const server of (gateway.spec as Json).servers as Json[]) ports.add(server.port.number);
  const hosts = new Set<string>();
  const paths = new Set(["/", "/zzz"]);
  const headerSets: Record<string, string>[] = [{}];
  for (const vs of istio.filter((object) => object.kind === "VirtualService")) {
    const spec = vs.spec as Json;
    if ((spec.gateways as string[]).includes("mesh")) continue;
    for (const host of spec.hosts as string[]) hosts.add(host === "*" ? "any.example.com" : host.replace(/^\*/, "x"));
    for (const entry of (spec.http ?? []) as Json[]) {
      for (const match of (entry.match ?? []) as Json[]) {
        const value = match.uri?.exact ?? match.uri?.prefix;
        if (value) for (const item of [value, `${value}x`, `${value}/x`]) paths.add(item.replace(/\/\//g, "/"));
        if (match.headers)
          headerSets.push(
            Object.fromEntries(Object.entries(match.headers as Json).map(([name, value]) => [name, (value as Json).exact ?? "x"])),
          );
      }
    }
  }
  return [...ports].flatMap((port) =>
    [...hosts].flatMap((host) =>
      [...paths].flatMap((requestPath) => headerSets.map((headers) => ({ port, host, path: requestPath, method: "GET", headers }))),
    ),
  );
}

describe("reverse fixtures: valid Istio output, and a round trip Gateway API → Istio → Gateway API that keeps routing", () => {
  const inputs = readdirSync(fixtures).filter((file) => file.endsWith(".yaml"));
  it.each(inputs)("%s keeps its routing", (file) => {
    const original = parseManifestText(readFileSync(path.join(fixtures, file), "utf8"), file).documents.map((document) => document.object);
    const istio = toIstio(original);
    const invalid = validateObjects(istio, { crds: customResourceDefinitions(["networking.istio.io"]) }).filter(
      (finding) => finding.severity === "error",
    );
    expect(invalid.map((finding) => `${finding.resource?.kind} ${finding.resource?.name} ${finding.path}: ${finding.message}`)).toEqual([]);
    const again = toIstio(toGatewayApi(istio));
    const requests = probes(istio);
    const routed = requests.filter((request) => JSON.stringify(routeThroughIstioGateway(istio, request)).includes('"route"'));
    expect(routed.length, "probes that reach a backend").toBeGreaterThan(0);
    for (const request of requests) {
      const expected = routeThroughIstioGateway(istio, request);
      expect(routeThroughIstioGateway(again, request), JSON.stringify(request)).toEqual(expected);
    }
  });
});
