import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { convertGatewayApiToIstio, convertIstioToGatewayApi, defaultConvertOptions } from "../../src/core/convert/index.js";
import { parseManifestText, toYamlStream } from "../../src/core/documents/index.js";
import type { KubeObject } from "../../src/core/objects.js";
import { validateObjects } from "../../src/core/validate/index.js";
import type { GatewayApiVersion } from "../../src/core/versions.js";
import { randomIstioInput } from "../core/convert/random-istio-wide.js";

/**
 * `mesh convert --profile full` output checked against the official Gateway API CRDs (schemas and CEL),
 * and the reverse direction's output against Istio's official CRDs — the oracle, not mesh's own schemas.
 */
const reference = fileURLToPath(new URL("../../../shared/reference", import.meta.url));
const fixtures = fileURLToPath(new URL("../fixtures/convert/input", import.meta.url));

const crdCache = new Map<string, unknown[]>();

function crdsIn(directory: string): unknown[] {
  const cached = crdCache.get(directory);
  if (cached) return cached;
  const crds = readdirSync(directory)
    .filter((name) => name.endsWith(".yaml"))
    .flatMap((name) => parseManifestText(readFileSync(join(directory, name), "utf8"), name).documents.map((document) => document.object))
    .filter((object) => (object as KubeObject | undefined)?.kind === "CustomResourceDefinition");
  crdCache.set(directory, crds);
  return crds;
}

const experimentalOnly: Record<GatewayApiVersion, string[]> = {
  "v1.5.1": ["TCPRoute"],
  "v1.2.1": ["TCPRoute", "TLSRoute", "BackendTLSPolicy"],
};

function rejections(objects: readonly KubeObject[], version: GatewayApiVersion): string[] {
  const messages: string[] = [];
  for (const channel of ["standard", "experimental"] as const) {
    const subset = objects.filter((object) => experimentalOnly[version].includes(object.kind) === (channel === "experimental"));
    const crds = crdsIn(join(reference, "gateway-api", version, channel));
    for (const finding of validateObjects(subset, { gatewayApiVersion: version, channel, crds })) {
      if (finding.severity === "error")
        messages.push(`${finding.resource?.kind} ${finding.resource?.name} ${finding.path ?? ""}: ${finding.message}`);
    }
  }
  return messages;
}

const inputs = readdirSync(fixtures)
  .filter((file) => file.endsWith(".yaml"))
  .sort();

describe("full-profile output is accepted by the official Gateway API CRDs", () => {
  it.each(inputs)("%s (v1.5.1)", (file) => {
    const result = convertIstioToGatewayApi(
      parseManifestText(readFileSync(join(fixtures, file), "utf8"), file).documents,
      defaultConvertOptions(),
    );
    expect(rejections(result.objects, "v1.5.1")).toEqual([]);
  });

  it("the check has teeth: the compat profile's listeners for the same servers are rejected", () => {
    const file = "gateway-servers.yaml";
    const result = convertIstioToGatewayApi(
      parseManifestText(readFileSync(join(fixtures, file), "utf8"), file).documents,
      defaultConvertOptions({ profile: "compat" }),
    );
    expect(rejections(result.objects, "v1.5.1").length).toBeGreaterThan(0);
  });

  it.each(Array.from({ length: 40 }, (_, index) => index + 1))("random input %i (v1.5.1 and v1.2.1)", (seed) => {
    const input = toYamlStream(randomIstioInput(seed));
    for (const version of ["v1.5.1", "v1.2.1"] as const) {
      const result = convertIstioToGatewayApi(
        parseManifestText(input, "random.yaml").documents,
        defaultConvertOptions({ gatewayApiVersion: version }),
      );
      expect(rejections(result.objects, version)).toEqual([]);
    }
  });
});

describe("reverse output is accepted by the official Istio CRDs", () => {
  const crds = crdsIn(join(reference, "istio", "1.30.3"));
  it.each(Array.from({ length: 20 }, (_, index) => index + 1))("random input %i", (seed) => {
    const forward = convertIstioToGatewayApi(
      parseManifestText(toYamlStream(randomIstioInput(seed)), "in.yaml").documents,
      defaultConvertOptions(),
    );
    const back = convertGatewayApiToIstio(parseManifestText(toYamlStream(forward.objects), "gw.yaml").documents, defaultConvertOptions());
    const errors = validateObjects(back.objects, { crds }).filter((finding) => finding.severity === "error");
    expect(errors.map((finding) => `${finding.resource?.kind} ${finding.path}: ${finding.message}`)).toEqual([]);
  });
});
