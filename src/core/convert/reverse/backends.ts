import type { FieldPath } from "../../findings.js";
import type { InputObject } from "../input.js";
import { istioNetworkingGroup } from "../options.js";
import { listOf, numberOf, recordOf, stringOf, type PlainRecord } from "../plain-data.js";
import type { ReverseContext } from "./context.js";

/** A route that istiod refuses as a whole (it programs none of its rules). */
export class RouteRejected extends Error {
  constructor(
    message: string,
    readonly at: FieldPath,
  ) {
    super(message);
  }
}

/** A backendRef that istiod keeps in the weights but cannot route to (it answers 500 for its share). */
interface Resolved {
  destination?: PlainRecord;
  invalid?: string;
}

/**
 * A BackendObjectReference → an Istio Destination with a fully qualified host, as istiod writes it.
 * Gateway parents enforce ReferenceGrants (istiod does not for mesh parents).
 */
export function resolveBackend(
  ref: PlainRecord,
  route: InputObject,
  at: FieldPath,
  enforceGrants: boolean,
  context: ReverseContext,
): Resolved {
  const group = stringOf(ref.group) ?? "";
  const kind = stringOf(ref.kind) ?? "Service";
  const name = stringOf(ref.name) ?? "";
  const explicitNamespace = stringOf(ref.namespace);
  const namespace = explicitNamespace ?? route.namespace;
  if (enforceGrants && namespace !== route.namespace && !context.grants.allows(route.kind, route.namespace, "Service", namespace, name)) {
    return { invalid: `backend ${namespace}/${name} is in another namespace and no ReferenceGrant in ${namespace} allows it` };
  }
  let host: string;
  if (group === "" && kind === "Service") {
    if (name.includes(".")) throw new RouteRejected("a Service backendRef must name the Service, not a hostname", at);
    host = `${name}.${namespace}.svc.${context.options.clusterDomain}`;
  } else if (group === istioNetworkingGroup && kind === "Hostname") {
    if (explicitNamespace !== undefined) throw new RouteRejected("a Hostname backendRef cannot have a namespace", at);
    host = name;
  } else if (group === "multicluster.x-k8s.io" && kind === "ServiceImport") {
    // istiod routes to the Service host unless ENABLE_MCS_HOST is set (then name.ns.svc.clusterset.local).
    host = `${name}.${namespace}.svc.${context.options.clusterDomain}`;
    context.notes.info(
      "CONV610",
      `ServiceImport ${namespace}/${name} becomes host ${host}, as istiod does by default (name.ns.svc.clusterset.local with ENABLE_MCS_HOST)`,
      route.source,
      at,
    );
  } else {
    return { invalid: `backend of kind ${group ? `${group}/` : ""}${kind} is not one istiod routes to` };
  }
  const port = numberOf(ref.port);
  if (port === undefined) throw new RouteRejected("a backendRef without port: istiod requires it", [...at, "port"]);
  return { destination: { host, port: { number: port } } };
}

export interface WeightedDestinations {
  destinations: { destination: PlainRecord; weight: number; ref: PlainRecord }[];
  /** Weight of backends that cannot be routed to. */
  invalidWeight: number;
  totalWeight: number;
}

/** backendRefs → weighted destinations; weight-0 refs are left out, invalid ones counted (istiod). */
export function weightedDestinations(
  refs: readonly unknown[],
  route: InputObject,
  at: FieldPath,
  enforceGrants: boolean,
  context: ReverseContext,
): WeightedDestinations {
  const out: WeightedDestinations = { destinations: [], invalidWeight: 0, totalWeight: 0 };
  refs.forEach((raw, index) => {
    const ref = recordOf(raw) ?? {};
    const weight = numberOf(ref.weight) ?? 1;
    if (weight === 0) return;
    out.totalWeight += weight;
    const resolved = resolveBackend(ref, route, [...at, index], enforceGrants, context);
    if (resolved.destination) out.destinations.push({ destination: resolved.destination, weight, ref });
    else {
      out.invalidWeight += weight;
      context.notes.error("CONV606", `${resolved.invalid}: traffic for it gets 500, as istiod answers`, route.source, [...at, index]);
    }
  });
  return out;
}

/** Gateway API header modifier filters → Istio header operations (names lower-cased; the first of a name wins). */
export function headerOperations(modifier: PlainRecord | undefined): PlainRecord | undefined {
  if (!modifier) return undefined;
  const operations: PlainRecord = {};
  for (const operation of ["set", "add"] as const) {
    const entries: Record<string, string> = {};
    for (const raw of listOf(modifier[operation])) {
      const entry = recordOf(raw) ?? {};
      const name = (stringOf(entry.name) ?? "").toLowerCase();
      if (name !== "" && !(name in entries)) entries[name] = stringOf(entry.value) ?? String(numberOf(entry.value) ?? "");
    }
    if (Object.keys(entries).length > 0) operations[operation] = entries;
  }
  const remove = listOf(modifier.remove).map(String);
  if (remove.length > 0) operations.remove = remove;
  return Object.keys(operations).length > 0 ? operations : undefined;
}

/** `{request, response}` from a filter list (rule- or backend-level). */
export function istioHeaders(filters: readonly PlainRecord[]): PlainRecord | undefined {
  const headers: PlainRecord = {};
  const request = headerOperations(recordOf(filters.find((filter) => filter.type === "RequestHeaderModifier")?.requestHeaderModifier));
  const response = headerOperations(recordOf(filters.find((filter) => filter.type === "ResponseHeaderModifier")?.responseHeaderModifier));
  if (request) headers.request = request;
  if (response) headers.response = response;
  return Object.keys(headers).length > 0 ? headers : undefined;
}
