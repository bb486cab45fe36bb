import { parseManifestText } from "../../../src/core/documents/index.js";
import { convertIstioToGatewayApi, defaultConvertOptions, type ConvertOptions } from "../../../src/core/convert/index.js";
import type { KubeObject } from "../../../src/core/objects.js";
import type { Finding } from "../../../src/core/findings.js";

/** Converts YAML text (Istio → Gateway API) with test defaults. */
export function convertYaml(text: string, overrides: Partial<ConvertOptions> = {}) {
  const { documents, findings } = parseManifestText(text, "input.yaml");
  if (findings.length > 0) throw new Error(`test input does not parse: ${findings.map((finding) => finding.message).join("; ")}`);
  return convertIstioToGatewayApi(documents, defaultConvertOptions({ generator: "mesh-test", ...overrides }));
}

export function objectNamed(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in [${objects.map((object) => `${object.kind} ${object.metadata.name}`).join(", ")}]`);
  return found;
}

export function kindsAndNames(objects: readonly KubeObject[]): string[] {
  return objects.map((object) => `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`);
}

export function codes(findings: readonly Finding[], severity?: Finding["severity"]): string[] {
  return [...new Set(findings.filter((finding) => !severity || finding.severity === severity).map((finding) => finding.code))].sort();
}

/** An Istio Gateway `edge/gw` with the given servers (YAML flow text). */
export function gateway(servers: string, namespace = "edge", name = "gw"): string {
  return `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  servers: ${servers}
---
`;
}

export function virtualService(spec: string, namespace = "edge", name = "vs"): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: ${namespace}}
spec: ${spec}
---
`;
}
