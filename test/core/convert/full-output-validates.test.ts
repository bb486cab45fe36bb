import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseManifestText, toYamlStream } from "../../../src/core/documents/index.js";
import { convertIstioToGatewayApi, defaultConvertOptions, type ConvertOptions } from "../../../src/core/convert/index.js";
import type { KubeObject } from "../../../src/core/objects.js";
import { customResourceDefinitions } from "../../../src/core/schemas/index.js";
import { validateObjects } from "../../../src/core/validate/index.js";
import type { GatewayApiVersion } from "../../../src/core/versions.js";
import { randomIstioInput } from "./random-istio-wide.js";

/**
 * Property: whatever Istio input `full` converts, the API server (mesh validate, CRD schemas and CEL of
 * the target Gateway API version) accepts the output. Kinds that exist only in the experimental channel
 * (TCPRoute; TLSRoute and BackendTLSPolicy before v1.5) are checked against that channel.
 */
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/convert/input");
const experimentalOnly: Record<GatewayApiVersion, string[]> = {
  "v1.5.1": ["TCPRoute"],
  "v1.2.1": ["TCPRoute", "TLSRoute", "BackendTLSPolicy"],
};

function rejections(objects: readonly KubeObject[], version: GatewayApiVersion, experimental: boolean): string[] {
  const messages: string[] = [];
  for (const channel of ["standard", "experimental"] as const) {
    const subset = objects.filter(
      (object) => (experimental || experimentalOnly[version].includes(object.kind)) === (channel === "experimental"),
    );
    if (subset.length === 0) continue;
    const crds = customResourceDefinitions(["gateway.networking.k8s.io"], { gatewayApiVersion: version, channel });
    // Kinds the project's schema catalog does not describe yet (BackendTLSPolicy) cannot be checked here.
    const known = new Set(crds.map((crd) => (crd.spec as { names: { kind: string } }).names.kind));
    for (const finding of validateObjects(
      subset.filter((object) => known.has(object.kind)),
      { gatewayApiVersion: version, channel, crds },
    )) {
      if (finding.severity === "error")
        messages.push(
          `${finding.resource?.kind} ${finding.resource?.namespace}/${finding.resource?.name} ${finding.path ?? ""}: ${finding.message}`,
        );
    }
  }
  return messages;
}

function convert(objects: readonly unknown[], overrides: Partial<ConvertOptions>) {
  return convertIstioToGatewayApi(
    parseManifestText(toYamlStream(objects), "random.yaml").documents,
    defaultConvertOptions({ generator: "mesh-test", ...overrides }),
  );
}

describe("full-profile output passes mesh validate", () => {
  const inputs = readdirSync(fixtures)
    .filter((file) => file.endsWith(".yaml"))
    .sort();
  it.each(inputs)("golden input %s (v1.5.1 standard)", (file) => {
    const result = convertIstioToGatewayApi(
      parseManifestText(readFileSync(path.join(fixtures, file), "utf8"), file).documents,
      defaultConvertOptions(),
    );
    expect(rejections(result.objects, "v1.5.1", false)).toEqual([]);
  });

  it.each(Array.from({ length: 80 }, (_, index) => index + 1))("random input %i (v1.5.1 standard)", (seed) => {
    const result = convert(randomIstioInput(seed), {});
    expect(rejections(result.objects, "v1.5.1", false)).toEqual([]);
  });

  it.each(Array.from({ length: 20 }, (_, index) => index + 101))("random input %i (v1.2.1 standard)", (seed) => {
    const result = convert(randomIstioInput(seed), { gatewayApiVersion: "v1.2.1" });
    expect(rejections(result.objects, "v1.2.1", false)).toEqual([]);
  });

  it.each(Array.from({ length: 20 }, (_, index) => index + 201))("random input %i with --experimental (v1.5.1 experimental)", (seed) => {
    const result = convert(randomIstioInput(seed), { experimental: true });
    expect(rejections(result.objects, "v1.5.1", true)).toEqual([]);
  });

  it("the check has teeth: compat output of the same servers is rejected", () => {
    const result = convertIstioToGatewayApi(
      parseManifestText(readFileSync(path.join(fixtures, "gateway-servers.yaml"), "utf8"), "x").documents,
      defaultConvertOptions({ profile: "compat" }),
    );
    expect(rejections(result.objects, "v1.5.1", false).length).toBeGreaterThan(0);
  });
});
