import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseManifestText, toYamlStream } from "../../../src/core/documents/index.js";
import {
  convertGatewayApiToIstio,
  convertIstioToGatewayApi,
  defaultConvertOptions,
  type ConvertOptions,
  type ConvertResult,
} from "../../../src/core/convert/index.js";
import { withContract } from "../../../src/core/convert/contract.js";
import type { Finding } from "../../../src/core/findings.js";
import type { KubeObject } from "../../../src/core/objects.js";
import { validateObjects } from "../../../src/core/validate/index.js";
import { randomContractInput } from "./random-istio-contract.js";
import { randomIstioInput } from "./random-istio-wide.js";
import { codes, convertYaml, gateway } from "./convert-input.js";

/**
 * The contract of `mesh convert`: exit 0 (no error finding) ⇒ the API server accepts every emitted object;
 * exit 1 ⇒ at least one error finding, each with the file:line:col of the input that caused it. The
 * acceptance check here is independent of the converter: the channel is derived from the emitted kinds.
 */
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/convert");
const experimentalOnly = { "v1.5.1": ["TCPRoute"], "v1.2.1": ["TCPRoute", "TLSRoute", "BackendTLSPolicy"] } as const;

function apiServerRejections(objects: readonly KubeObject[], options: ConvertOptions, target: "gateway-api" | "istio"): string[] {
  const experimental =
    target === "gateway-api" &&
    (options.experimental ||
      objects.some((object) => (experimentalOnly[options.gatewayApiVersion] as readonly string[]).includes(object.kind)));
  return validateObjects(objects, { gatewayApiVersion: options.gatewayApiVersion, channel: experimental ? "experimental" : "standard" })
    .filter((finding) => finding.severity === "error")
    .map((finding) => `${finding.resource?.kind} ${finding.resource?.name} ${finding.message}`);
}

function expectContract(result: ConvertResult, options: ConvertOptions, target: "gateway-api" | "istio" = "gateway-api"): void {
  const errors = result.findings.filter((finding) => finding.severity === "error");
  if (errors.length === 0) {
    expect(apiServerRejections(result.objects, options, target)).toEqual([]);
    return;
  }
  for (const error of errors) {
    expect(error.file, `${error.code} ${error.message}`).toEqual(expect.any(String));
    expect(error.line).toBeGreaterThan(0);
    expect(error.column).toBeGreaterThan(0);
  }
}

function convertObjects(objects: readonly unknown[], overrides: Partial<ConvertOptions>) {
  const options = defaultConvertOptions({ generator: "mesh-test", ...overrides });
  return { options, result: convertIstioToGatewayApi(parseManifestText(toYamlStream(objects), "random.yaml").documents, options) };
}

describe("the convert contract holds", () => {
  const inputs = readdirSync(path.join(fixtures, "input")).filter((file) => file.endsWith(".yaml"));
  it.each(inputs.flatMap((file) => [`${file} full`, `${file} compat`]))("fixture %s", (name) => {
    const [file, profile] = name.split(" ") as [string, "full" | "compat"];
    const options = defaultConvertOptions({ profile });
    const documents = parseManifestText(readFileSync(path.join(fixtures, "input", file), "utf8"), file).documents;
    expectContract(convertIstioToGatewayApi(documents, options), options);
  });

  it("fixture storefront (networking + platform + destination rules) converts with exit 0", () => {
    const documents = ["networking.yaml", "platform.yaml", "destination-rules.yaml"].flatMap(
      (file) => parseManifestText(readFileSync(path.join(fixtures, "storefront", file), "utf8"), file).documents,
    );
    const options = defaultConvertOptions();
    const result = convertIstioToGatewayApi(documents, options);
    expect(codes(result.findings, "error")).toEqual([]);
    expectContract(result, options);
  });

  it("reverse fixtures (Gateway API → Istio)", () => {
    for (const file of readdirSync(path.join(fixtures, "input-gateway-api"))) {
      const options = defaultConvertOptions();
      const documents = parseManifestText(readFileSync(path.join(fixtures, "input-gateway-api", file), "utf8"), file).documents;
      expectContract(convertGatewayApiToIstio(documents, options), options, "istio");
    }
  });

  const seeds = Array.from({ length: 160 }, (_, index) => index + 1);
  it.each(seeds)("generated near-the-line input %i", (seed) => {
    const overrides: Partial<ConvertOptions> = {
      ...(seed % 4 === 0 ? { profile: "compat" as const } : {}),
      ...(seed % 5 === 0 ? { experimental: true } : {}),
      ...(seed % 7 === 0 ? { gatewayApiVersion: "v1.2.1" as const } : {}),
    };
    const { options, result } = convertObjects(randomContractInput(seed), overrides);
    expectContract(result, options);
  });

  it.each(Array.from({ length: 60 }, (_, index) => index + 1001))("generated wide input %i", (seed) => {
    const { options, result } = convertObjects(randomIstioInput(seed), seed % 3 === 0 ? { profile: "compat" } : {});
    expectContract(result, options);
  });

  it("the generated corpus has both outcomes (the property is not vacuous)", () => {
    const clean = seeds.filter((seed) => codes(convertObjects(randomContractInput(seed), {}).result.findings, "error").length === 0);
    expect(clean.length).toBeGreaterThan(30);
    expect(clean.length).toBeLessThan(seeds.length - 30);
  });
});

describe("contract findings", () => {
  it("a rejected object becomes a CONV010 error (the shared module, here with the Istio target)", () => {
    const options = defaultConvertOptions();
    const bad: KubeObject = {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "Bad_Name", namespace: "x" },
      spec: { hosts: [] },
    };
    const result = withContract({ objects: [bad], findings: [] as Finding[] }, "istio", options);
    expect(codes(result.findings, "error")).toEqual(["CONV010"]);
    expect(result.findings[0]!.message).toContain("VirtualService x/Bad_Name");
  });

  it("file-mounted certificates: an error with the fix (Secret + credentialName), exit 1", () => {
    const result = convertYaml(
      gateway(
        `[{port: {number: 443, protocol: HTTPS}, hosts: ["*"], tls: {mode: SIMPLE, serverCertificate: /etc/c.crt, privateKey: /etc/c.key}}]`,
      ),
    );
    const error = result.findings.find((finding) => finding.code === "CONV108");
    expect(error).toMatchObject({ severity: "error", path: "spec.servers[0].tls.serverCertificate", line: expect.any(Number) });
    expect(error?.message).toContain("kubectl create secret tls NAME --cert=… --key=… -n edge");
    expect(error?.message).toContain("tls.credentialName");
  });

  it("TCPRoute output is checked on the experimental channel and says how to install it", () => {
    const result = convertYaml(
      gateway(`[{port: {number: 9000, protocol: TCP, name: p9000}, hosts: ["*"]}]`) +
        `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: db, namespace: edge}\nspec: {hosts: [db], gateways: [gw], tcp: [{route: [{destination: {host: db, port: {number: 5432}}}]}]}\n`,
    );
    expect(codes(result.findings, "error")).toEqual([]);
    const note = result.findings.find((finding) => finding.code === "CONV011");
    expect(note?.message).toContain("mesh gateway-api install --channel experimental");
  });

  it("a dropped match condition that broadens the route (sourceLabels) is an error", () => {
    const result = convertYaml(
      gateway(`[{port: {number: 80, protocol: HTTP}, hosts: ["*"]}]`) +
        `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: edge}\nspec: {hosts: [a.example.com], gateways: [gw], http: [{match: [{sourceLabels: {app: x}}], route: [{destination: {host: a, port: {number: 80}}}]}]}\n`,
    );
    expect(result.findings.find((finding) => finding.code === "CONV301")).toMatchObject({
      severity: "error",
      path: "spec.http[0].match[0].sourceLabels",
    });
  });
});
