import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseManifestText } from "../../../src/core/documents/index.js";
import { convertIstioToGatewayApi, defaultConvertOptions } from "../../../src/core/convert/index.js";
import { subsetServiceName } from "../../../src/core/convert/subset-services.js";
import { codes, convertYaml, objectNamed } from "./convert-input.js";

const storefront = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/convert/storefront");
const documentsOf = (...files: string[]) =>
  files.flatMap((file) => parseManifestText(readFileSync(path.join(storefront, file), "utf8"), `storefront/${file}`).documents);
const convertFiles = (...files: string[]) =>
  convertIstioToGatewayApi(documentsOf(...files), defaultConvertOptions({ generator: "mesh-test" }));

describe("subsets and ports (bookinfo-like storefront)", () => {
  it("networking + platform + destination rules: valid Gateway API, ports filled, one Service per subset, weights kept", () => {
    const result = convertFiles("networking.yaml", "platform.yaml", "destination-rules.yaml");
    expect(codes(result.findings, "error")).toEqual([]);
    expect(result.objects.filter((object) => object.kind === "Service").map((object) => [object.metadata.name, object.spec])).toEqual([
      ["catalog-v1", { selector: { app: "catalog", version: "v1" }, ports: [{ name: "http", port: 9090 }] }],
      ["catalog-v2", { selector: { app: "catalog", version: "v2" }, ports: [{ name: "http", port: 9090 }] }],
      ["catalog-v3", { selector: { app: "catalog", version: "v3" }, ports: [{ name: "http", port: 9090 }] }],
      ["stock-v1", { selector: { app: "stock", version: "v1" }, ports: [{ name: "http", port: 9090 }] }],
    ]);
    const catalog = objectNamed(result.objects, "HTTPRoute", "catalog").spec as { rules: { backendRefs: unknown[] }[] };
    expect(catalog.rules.map((rule) => rule.backendRefs)).toEqual([
      [{ name: "catalog-v2", port: 9090 }],
      [
        { name: "catalog-v1", port: 9090, weight: 80 },
        { name: "catalog-v3", port: 9090, weight: 20 },
      ],
    ]);
    const storefrontRoute = objectNamed(result.objects, "HTTPRoute", "storefront").spec as { rules: { backendRefs: unknown[] }[] };
    expect(storefrontRoute.rules[0]!.backendRefs).toEqual([{ name: "frontend", port: 8000 }]);
  });

  it("without the DestinationRules a subset split exits 1 and names the DestinationRule to add, at the subset's line", () => {
    const result = convertFiles("networking.yaml", "platform.yaml");
    const subsetErrors = result.findings.filter((finding) => finding.code === "CONV303" && finding.severity === "error");
    expect(subsetErrors.map((finding) => `${finding.file}:${finding.line}:${finding.column}`)).toEqual([
      "storefront/networking.yaml:45:36",
      "storefront/networking.yaml:47:36",
      "storefront/networking.yaml:49:36",
      "storefront/networking.yaml:61:34",
    ]);
    expect(subsetErrors[1]!.message).toContain('add a DestinationRule for host catalog.shop.svc.cluster.local that defines subset "v1"');
  });

  it("without the Services a destination without port is an error naming the Service, and no backendRef lacks a port", () => {
    const result = convertFiles("networking.yaml", "destination-rules.yaml");
    const portErrors = result.findings.filter((finding) => finding.code === "CONV304" && finding.severity === "error");
    expect(portErrors[0]!.message).toContain("Service shop/frontend is not in the input");
    const refs = result.objects.flatMap((object) =>
      ((object.spec as { rules?: { backendRefs?: { port?: number }[] }[] }).rules ?? []).flatMap((rule) => rule.backendRefs ?? []),
    );
    expect(refs.every((ref) => ref.port !== undefined)).toBe(true);
  });

  it("Services and DestinationRules read from the cluster count like input ones, and the input wins", () => {
    const cluster = documentsOf("platform.yaml", "destination-rules.yaml");
    const result = convertIstioToGatewayApi(documentsOf("networking.yaml"), defaultConvertOptions({ generator: "mesh-test" }), cluster);
    expect(codes(result.findings, "error")).toEqual([]);
    expect(result.objects.filter((object) => object.kind === "Service")).toHaveLength(4);
    // Cluster objects are context only: the Deployment is not reported as skipped input.
    expect(result.findings.some((finding) => finding.code === "CONV001")).toBe(false);
  });
});

const service = (name: string, ports: string, extra = "") => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: edge}
spec: {selector: {app: ${name}}, ports: ${ports}${extra}}
---
`;
const rule = (host: string, subsets: string, policy = "") => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${host}, namespace: edge}
spec: {host: ${host}, subsets: ${subsets}${policy}}
---
`;
const meshRoute = (destinations: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: edge}
spec: {hosts: [web], http: [{route: ${destinations}}]}
---
`;

describe("ports and subsets: the error cases", () => {
  it("a Service with several ports and a destination without port: error listing the ports", () => {
    const result = convertYaml(
      service("web", "[{name: http, port: 80}, {name: grpc, port: 9000}]") + meshRoute("[{destination: {host: web}}]"),
    );
    const error = result.findings.find((finding) => finding.code === "CONV304" && finding.severity === "error");
    expect(error?.message).toContain("Service edge/web has several (http 80, grpc 9000): set port.number");
    expect(error).toMatchObject({ path: "spec.http[0].route[0].destination.port", line: expect.any(Number) });
  });

  it("a Service without selector cannot carry a subset", () => {
    const result = convertYaml(
      `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: edge}\nspec: {ports: [{port: 80}]}\n---\n` +
        rule("web", "[{name: v1, labels: {version: v1}}]") +
        meshRoute("[{destination: {host: web, subset: v1}}]"),
    );
    expect(result.findings.find((finding) => finding.code === "CONV303")?.message).toContain("has no pod selector");
    expect(codes(result.findings, "error")).toContain("CONV303");
  });

  it("an existing Service of the subset's name is reused when it selects the same pods, an error otherwise", () => {
    const same = convertYaml(
      service("web", "[{port: 80}]") +
        `apiVersion: v1\nkind: Service\nmetadata: {name: web-v1, namespace: edge}\nspec: {selector: {app: web, version: v1}, ports: [{port: 80}]}\n---\n` +
        rule("web", "[{name: v1, labels: {version: v1}}]") +
        meshRoute("[{destination: {host: web, subset: v1}}]"),
    );
    expect(codes(same.findings, "error")).toEqual([]);
    expect(same.objects.filter((object) => object.kind === "Service")).toEqual([]);
    const other = convertYaml(
      service("web", "[{port: 80}]") +
        service("web-v1", "[{port: 80}]") +
        rule("web", "[{name: v1, labels: {version: v1}}]") +
        meshRoute("[{destination: {host: web, subset: v1}}]"),
    );
    expect(other.findings.find((finding) => finding.severity === "error")?.message).toContain("already exists with another selector");
  });

  it("subset and host traffic policies that cannot follow the new Service are warnings on the DestinationRule", () => {
    const result = convertYaml(
      service("web", "[{port: 80}]") +
        rule(
          "web",
          "[{name: v1, labels: {version: v1}, trafficPolicy: {loadBalancer: {simple: RANDOM}}}]",
          ", trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}",
        ) +
        meshRoute("[{destination: {host: web, subset: v1}}]"),
    );
    const warnings = result.findings.filter((finding) => finding.code === "CONV502");
    expect(warnings.map((finding) => [finding.severity, finding.path])).toEqual([
      ["warning", "spec.subsets[0].trafficPolicy"],
      ["warning", "spec.trafficPolicy"],
    ]);
  });

  it("subset labels that contradict the Service selector are an error", () => {
    const result = convertYaml(
      service("web", "[{port: 80}]") +
        rule("web", "[{name: v1, labels: {app: other}}]") +
        meshRoute("[{destination: {host: web, subset: v1}}]"),
    );
    expect(result.findings.find((finding) => finding.code === "CONV303")?.message).toContain("contradict the selector");
  });

  it("per-subset Service names are DNS-1035 labels of at most 63 characters", () => {
    expect(subsetServiceName("reviews", "v1")).toBe("reviews-v1");
    expect(subsetServiceName("reviews", "Canary_2")).toBe("reviews-canary-2");
    const long = subsetServiceName("a".repeat(60), "version-two");
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
    expect(long).not.toBe(subsetServiceName("a".repeat(60), "version-three"));
  });
});
