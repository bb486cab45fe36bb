import type { FieldPath, Finding } from "../findings.js";
import type { KubeObject } from "../objects.js";
import { labelValueProblems } from "../validate/metadata.js";
import { validateObject } from "../validate/engine.js";
import { fieldErrorMessage } from "../validate/field-errors.js";
import { schemaSourceFor } from "../validate/index.js";
import { resolveOptions } from "../validate/options.js";
import type { KindSchema, SchemaSource } from "../validate/schema-types.js";
import type { GatewayApiChannel, GatewayApiVersion } from "../versions.js";
import { originOf } from "./emit.js";
import { Notes } from "./notes.js";
import type { ConvertOptions } from "./options.js";
import { listOf, recordOf, stringMapOf, type PlainRecord } from "./plain-data.js";

/** What a conversion writes: Gateway API objects (plus per-subset Services) or Istio networking objects. */
export type ConvertTarget = "gateway-api" | "istio";

/** Kinds that only the experimental channel of a Gateway API version serves. */
const experimentalOnlyKinds: Record<GatewayApiVersion, readonly string[]> = {
  "v1.5.1": ["TCPRoute", "UDPRoute"],
  "v1.2.1": ["TCPRoute", "UDPRoute", "TLSRoute", "BackendTLSPolicy"],
};

/**
 * The conversion contract (docs/convert.md "Exit codes and the contract"): every emitted object must be accepted by the API
 * server with the target's CRDs (Gateway API of the chosen version and channel, or Istio's CRDs and
 * webhook). Each rejection becomes an error finding at the input object it came from, so exit 0 never
 * comes with output that `kubectl apply` refuses.
 */
export function withContract<T extends { objects: KubeObject[]; findings: Finding[] }>(
  result: T,
  target: ConvertTarget,
  options: ConvertOptions,
): T {
  const notes = new Notes();
  checkEmitted(result.objects, target, options, notes);
  return { ...result, findings: [...result.findings, ...notes.findings] };
}

function checkEmitted(objects: readonly KubeObject[], target: ConvertTarget, options: ConvertOptions, notes: Notes): void {
  const channel = target === "gateway-api" ? gatewayApiChannel(objects, options, notes) : "standard";
  const validateOptions = resolveOptions({
    gatewayApiVersion: options.gatewayApiVersion,
    channel,
    defaultNamespace: options.defaultNamespace,
  });
  const source = withLookupMemo(schemaSourceFor(validateOptions));
  // The API server's verdict per object; mesh validate's analyzers only warn, so they are not run here.
  for (const object of objects) {
    for (const error of validateObject(object, source, validateOptions).errors) {
      if ((error.severity ?? "error") === "error") reject(object, fieldErrorMessage(error), notes, error.path);
    }
  }
  for (const object of objects) if (object.apiVersion === "v1" && object.kind === "Service") checkServiceSpec(object, notes);
}

/** A conversion emits a handful of kinds thousands of times: the layered catalog is asked once per apiVersion and kind. */
export function withLookupMemo(source: SchemaSource): SchemaSource {
  const schemas = new Map<string, KindSchema | undefined>();
  return {
    lookup(apiVersion, kind) {
      const key = `${apiVersion} ${kind}`;
      if (schemas.has(key)) return schemas.get(key);
      const schema = source.lookup(apiVersion, kind);
      schemas.set(key, schema);
      return schema;
    },
    versionsOf: (group, kind) => source.versionsOf(group, kind),
    whereElse: (apiVersion, kind) => source.whereElse(apiVersion, kind),
    groups: () => source.groups(),
    kindsOf: (group) => source.kindsOf(group),
  };
}

function gatewayApiChannel(objects: readonly KubeObject[], options: ConvertOptions, notes: Notes): GatewayApiChannel {
  const experimentalKinds = experimentalOnlyKinds[options.gatewayApiVersion];
  const needing = objects.filter((object) => experimentalKinds.includes(object.kind));
  if (needing.length > 0) {
    const kinds = [...new Set(needing.map((object) => object.kind))].sort();
    notes.info(
      "CONV011",
      `${kinds.join(", ")} exist${kinds.length === 1 ? "s" : ""} only in the experimental channel of Gateway API ${options.gatewayApiVersion}: install it with \`mesh gateway-api install --channel experimental\` (the output is checked against that channel)`,
      originOf(needing[0]!)?.input.source,
    );
  }
  return options.experimental || needing.length > 0 ? "experimental" : "standard";
}

function reject(object: KubeObject, problem: string, notes: Notes, outputPath: FieldPath = []): void {
  const what = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name}`;
  const origin = originOf(object);
  const at = origin?.inputPath && outputPath.length > 0 ? origin.inputPath(outputPath) : [];
  notes.error("CONV010", `the API server rejects generated ${what}: ${problem}`, origin?.input.source, at);
}

/** Core Services have no CRD schema in the catalog: the few rules their generated spec can break. */
function checkServiceSpec(service: KubeObject, notes: Notes): void {
  const spec = recordOf(service.spec) ?? {};
  for (const [key, value] of Object.entries(stringMapOf(spec.selector))) {
    const problems = labelValueProblems(value);
    if (problems.length > 0) reject(service, `spec.selector.${key}: ${problems.join("; ")}`, notes);
  }
  const ports = listOf(spec.ports).map((port) => recordOf(port) ?? {});
  if (ports.length === 0) reject(service, "spec.ports: Required value", notes);
  if (ports.length > 1 && ports.some((port: PlainRecord) => typeof port.name !== "string" || port.name === ""))
    reject(service, "spec.ports: every port needs a name when a Service has several", notes);
}
