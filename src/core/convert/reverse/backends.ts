import type { FieldPath } from "../../findings.js";
import type { InputObject } from "../input.js";
import { istioNetworkingGroup } from "../options.js";
import { listOf, numberOf, recordOf, stringOf, type PlainRecord } from "../plain-data.js";
import type { ReverseContext } from "./context.js";
import { scalarText } from "../../json.js";

/** A Gateway API BackendObjectReference → an Istio Destination, or undefined (with a finding). */
export function destinationOf(ref: PlainRecord, route: InputObject, at: FieldPath, context: ReverseContext): PlainRecord | undefined {
  const group = stringOf(ref.group) ?? "";
  const kind = stringOf(ref.kind) ?? "Service";
  const name = stringOf(ref.name) ?? "";
  const namespace = stringOf(ref.namespace) ?? route.namespace;
  let host: string;
  if (group === "" && kind === "Service") {
    host = namespace === route.namespace ? name : `${name}.${namespace}.svc.${context.options.clusterDomain}`;
  } else if (group === istioNetworkingGroup && kind === "Hostname") {
    host = name;
  } else if (group === "multicluster.x-k8s.io" && kind === "ServiceImport") {
    host = `${name}.${namespace}.svc.clusterset.local`;
    context.notes.info("CONV610", `ServiceImport ${namespace}/${name} becomes host ${host}`, route.source, at);
  } else {
    context.notes.error("CONV606", `backend of kind ${group ? `${group}/` : ""}${kind} has no Istio form: dropped`, route.source, at);
    return undefined;
  }
  const destination: PlainRecord = { host };
  const port = numberOf(ref.port);
  if (port !== undefined) destination.port = { number: port };
  return destination;
}

/** Gateway API header modifier filters → Istio `headers` ({request, response}), or undefined. */
export function istioHeaders(filters: readonly PlainRecord[]): PlainRecord | undefined {
  const headers: PlainRecord = {};
  for (const [type, key, field] of [
    ["RequestHeaderModifier", "requestHeaderModifier", "request"],
    ["ResponseHeaderModifier", "responseHeaderModifier", "response"],
  ] as const) {
    const modifier = recordOf(filters.find((filter) => filter.type === type)?.[key]);
    if (!modifier) continue;
    const operations: PlainRecord = {};
    for (const operation of ["set", "add"] as const) {
      const entries = listOf(modifier[operation]).map((entry) => recordOf(entry) ?? {});
      if (entries.length > 0)
        operations[operation] = Object.fromEntries(entries.map((entry) => [String(entry.name), scalarText(entry.value ?? "")]));
    }
    const remove = listOf(modifier.remove).map(String);
    if (remove.length > 0) operations.remove = remove;
    if (Object.keys(operations).length > 0) headers[field] = operations;
  }
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/**
 * backendRefs → Istio `route[]`: weights only when there are several (Istio treats them as relative);
 * backend-level header filters become per-destination headers.
 */
export function istioRoute(backendRefs: readonly unknown[], route: InputObject, at: FieldPath, context: ReverseContext): PlainRecord[] {
  const destinations: PlainRecord[] = [];
  backendRefs.forEach((raw, index) => {
    const ref = recordOf(raw) ?? {};
    const destination = destinationOf(ref, route, [...at, index], context);
    if (!destination) return;
    const entry: PlainRecord = { destination };
    if (backendRefs.length > 1) entry.weight = numberOf(ref.weight) ?? 1;
    const filters = listOf(ref.filters).map((filter) => recordOf(filter) ?? {});
    const headers = istioHeaders(filters);
    if (headers) entry.headers = headers;
    const other = filters.filter((filter) => filter.type !== "RequestHeaderModifier" && filter.type !== "ResponseHeaderModifier");
    if (other.length > 0)
      context.notes.warning("CONV616", "backend-level filters other than header modifiers have no Istio form: dropped", route.source, [
        ...at,
        index,
        "filters",
      ]);
    destinations.push(entry);
  });
  return destinations;
}
