import type { FieldPath } from "../findings.js";
import { referenceGrantName, type ConvertContext, type Emitted } from "./context.js";
import { isDns1123Label } from "../dns-names.js";
import { serviceHostLenient, serviceHostStrict, type ServiceHost } from "./hosts.js";
import type { InputObject } from "./input.js";
import { gatewayApiGroup, istioNetworkingGroup } from "./options.js";
import { listOf, numberOf, recordOf, stringMapOf, stringOf, stringsOf, type PlainRecord } from "./plain-data.js";

export type RouteKind = "HTTPRoute" | "GRPCRoute" | "TLSRoute" | "TCPRoute";

/** full: cross-namespace backends need one ReferenceGrant per (route namespace, target namespace). */
export class BackendGrants {
  private readonly grants = new Map<string, { from: string; to: string; kinds: Set<string>; services: Set<string>; origin: InputObject }>();

  add(routeNamespace: string, routeKind: RouteKind, targetNamespace: string, service: string, origin: InputObject): void {
    const key = `${routeNamespace}\u0000${targetNamespace}`;
    const grant = this.grants.get(key) ?? { from: routeNamespace, to: targetNamespace, kinds: new Set(), services: new Set(), origin };
    grant.kinds.add(routeKind);
    grant.services.add(service);
    this.grants.set(key, grant);
  }

  emit(context: ConvertContext): Emitted[] {
    return [...this.grants.values()].map((grant) => ({
      object: {
        apiVersion: context.apiVersions.ReferenceGrant,
        kind: "ReferenceGrant",
        metadata: { name: referenceGrantName(grant.from, grant.to), namespace: grant.to },
        spec: {
          from: [...grant.kinds].sort().map((kind) => ({ group: gatewayApiGroup, kind, namespace: grant.from })),
          to: [...grant.services].sort().map((name) => ({ group: "", kind: "Service", name })),
        },
      },
      from: grant.origin,
      mergeByName: true,
    }));
  }
}

export interface BackendScope {
  virtualService: InputObject;
  routeKind: RouteKind;
  grants: BackendGrants;
}

/** An Istio Destination as a Gateway API BackendObjectReference (no weight), or undefined. */
export function destinationRef(
  destination: PlainRecord,
  path: FieldPath,
  scope: BackendScope,
  context: ConvertContext,
): PlainRecord | undefined {
  const { notes, full } = context;
  const { virtualService } = scope;
  const source = virtualService.source;
  const host = stringOf(destination.host);
  if (!host) {
    notes.error("CONV304", "destination without host is skipped", source, path);
    return undefined;
  }
  let ref: PlainRecord;
  let service: { name: string; namespace: string } | undefined;
  if (full) {
    service = serviceHostStrict(host, virtualService.namespace, context.options.clusterDomain);
    if (!service) {
      notes.warning(
        "CONV304",
        `destination host "${host}" is not a Kubernetes Service: referenced as an Istio Hostname backend (group networking.istio.io), which only Istio understands`,
        source,
        [...path, "host"],
      );
      ref = { group: istioNetworkingGroup, kind: "Hostname", name: host.toLowerCase() };
    } else {
      ref = { name: service.name };
      if (service.namespace !== virtualService.namespace) ref.namespace = service.namespace;
    }
  } else {
    service = serviceHostLenient(host, virtualService.namespace);
    if (!isDns1123Label(service.name) || !service.namespace.split(".").every(isDns1123Label) || service.namespace.includes(".")) {
      notes.error(
        "CONV304",
        `destination host "${host}" does not name a Kubernetes Service (read as Service "${service.name}" in namespace "${service.namespace}"); use name.namespace.svc.cluster.local`,
        source,
        [...path, "host"],
      );
    }
    ref = { name: service.name, namespace: service.namespace };
  }
  let port = numberOf(recordOf(destination.port)?.number);
  if (port === undefined && full && ref.kind === undefined && service) {
    port = servicePort(service, host, path, virtualService, context);
    // Gateway API rejects a Service backendRef without a port; the error above says what to add.
    if (port === undefined) return undefined;
  }
  if (port !== undefined) ref.port = port;
  else if (ref.kind === undefined) {
    notes.error("CONV304", `destination "${host}" has no port.number; Gateway API requires a port for Service backends`, source, path);
  }
  const subset = stringOf(destination.subset);
  if (subset && full && service && ref.kind === undefined) {
    const name = context.subsetServices.resolve(service, subset, [...path, "subset"], virtualService, context);
    if (name !== undefined) ref.name = name;
  } else if (subset) notes.error("CONV303", subsetMessage(host, subset, virtualService, context), source, [...path, "subset"]);
  if (service && service.namespace !== virtualService.namespace && ref.kind === undefined) {
    if (full) scope.grants.add(virtualService.namespace, scope.routeKind, service.namespace, String(ref.name), virtualService);
    else {
      notes.error(
        "CONV209",
        `backend ${service.namespace}/${service.name} is in another namespace; create a ReferenceGrant in ${service.namespace} that allows ${scope.routeKind}s from ${virtualService.namespace}`,
        source,
        [...path, "host"],
      );
    }
  }
  return ref;
}

/** full: a destination without `port` takes the port of its Service when the Service has exactly one. */
function servicePort(
  service: ServiceHost,
  host: string,
  path: FieldPath,
  virtualService: InputObject,
  context: ConvertContext,
): number | undefined {
  const input = context.services.get(`${service.namespace}/${service.name}`);
  const at: FieldPath = [...path, "port"];
  const source = virtualService.source;
  if (!input) {
    context.notes.error(
      "CONV304",
      `destination "${host}" has no port and Service ${service.namespace}/${service.name} is not in the input: add the Service (or pass --cluster), or set port.number`,
      source,
      at,
    );
    return undefined;
  }
  const ports = listOf(input.spec.ports).map((port) => recordOf(port) ?? {});
  if (ports.length === 1 && numberOf(ports[0]!.port) !== undefined) return numberOf(ports[0]!.port);
  const listed = ports.map((port) => `${stringOf(port.name) ?? "unnamed"} ${String(port.port)}`).join(", ");
  context.notes.error(
    "CONV304",
    ports.length === 0
      ? `destination "${host}" has no port and Service ${service.namespace}/${service.name} has no ports: set port.number`
      : `destination "${host}" has no port and Service ${service.namespace}/${service.name} has several (${listed}): set port.number`,
    source,
    at,
  );
  return undefined;
}

function subsetMessage(host: string, subset: string, virtualService: InputObject, context: ConvertContext): string {
  const base = `subset "${subset}" is dropped: traffic reaches every version of ${host}`;
  const fqdn = host.includes(".") ? host : `${host}.${virtualService.namespace}.svc.${context.options.clusterDomain}`;
  const rule = context.destinationRules.get(fqdn);
  const found = listOf(rule?.spec.subsets)
    .map(recordOf)
    .find((entry) => entry?.name === subset);
  if (!found) return `${base}; create a Service that selects that version's pods and route to it`;
  const labels = Object.entries(stringMapOf(found.labels))
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  return `${base}; create a Service selecting ${labels} (DestinationRule ${rule!.namespace}/${rule!.name}) and route to it`;
}

/**
 * `route[]` → backendRefs (docs/design/convert.md §7.3): weights only when there are several destinations, an all-zero
 * split noted (full: equal split), per-destination header operations as backend filters in full.
 */
/**
 * A backendRef that receives no traffic: a rule whose backends all have weight 0 answers 500 (HTTP) or refuses
 * connections (TCP/TLS) in Gateway API. It writes istiod's own forms back: `directResponse: 500` for a rule
 * whose backends were unusable and the blackhole destination of TCP/TLS rules with zero weights.
 */
export function unroutedBackendRef(): PlainRecord {
  return { name: "blackhole", port: 65535, weight: 0 };
}

/** istiod's destination for TCP/TLS rules without a backend that may receive traffic. */
function isIstioBlackhole(destination: PlainRecord): boolean {
  return destination.host === "internal.cluster.local" && destination.subset === "zero-weight";
}

export function routeBackendRefs(
  route: unknown[],
  path: FieldPath,
  scope: BackendScope,
  context: ConvertContext,
  allowFilters: boolean,
): PlainRecord[] {
  const { notes, full } = context;
  const source = scope.virtualService.source;
  const refs: { ref: PlainRecord; weight: number }[] = [];
  route.forEach((entry, index) => {
    const destination = recordOf(recordOf(entry)?.destination);
    const at: FieldPath = [...path, index];
    if (!destination) {
      notes.info("CONV305", "route entry without destination is skipped", source, at);
      return;
    }
    if (full && isIstioBlackhole(destination)) {
      notes.info(
        "CONV313",
        "istiod's blackhole destination (internal.cluster.local, subset zero-weight) becomes a backend with weight 0: no connection is forwarded",
        source,
        [...at, "destination"],
      );
      refs.push({ ref: unroutedBackendRef(), weight: 0 });
      return;
    }
    const ref = destinationRef(destination, [...at, "destination"], scope, context);
    if (!ref) return;
    const headers = recordOf(recordOf(entry)?.headers);
    if (headers) {
      const filters = full && allowFilters ? headerFilters(headers) : [];
      if (filters.length > 0) ref.filters = filters;
      else notes.info("CONV306", "per-destination header operations are dropped", source, [...at, "headers"]);
    }
    refs.push({ ref, weight: numberOf(recordOf(entry)?.weight) ?? 0 });
  });
  if (refs.length < 2) return refs.map(({ ref }) => ref);
  if (refs.every(({ weight }) => weight === 0)) {
    notes.add(
      full ? "warning" : "error",
      "CONV321",
      full
        ? "every destination has weight 0: weights are omitted (equal split)"
        : "every destination has weight 0: in Gateway API no backend receives traffic",
      source,
      path,
    );
    if (full) return refs.map(({ ref }) => ref);
  }
  return refs.map(({ ref, weight }) => ({ ...ref, weight }));
}

/** Istio `headers.request` / `headers.response` as Gateway API header modifier filters. */
export function headerFilters(headers: PlainRecord): PlainRecord[] {
  const filters: PlainRecord[] = [];
  for (const [field, type, key] of [
    ["request", "RequestHeaderModifier", "requestHeaderModifier"],
    ["response", "ResponseHeaderModifier", "responseHeaderModifier"],
  ] as const) {
    const operations = recordOf(headers[field]);
    if (!operations) continue;
    const modifier: PlainRecord = {};
    const set = headerList(operations.set);
    const add = headerList(operations.add);
    const remove = stringsOf(operations.remove);
    if (set.length > 0) modifier.set = set;
    if (add.length > 0) modifier.add = add;
    if (remove.length > 0) modifier.remove = remove;
    if (Object.keys(modifier).length > 0) filters.push({ type, [key]: modifier });
  }
  return filters;
}

function headerList(value: unknown): { name: string; value: string }[] {
  return Object.entries(stringMapOf(value))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, item]) => ({ name, value: item }));
}

/** Emitter de-duplication (ingress2gateway, HTTPRoutes): equal references merge, weights add up (E7: namespace counts). */
export function dedupeBackendRefs(refs: PlainRecord[]): PlainRecord[] {
  if (refs.length < 2) return refs.map((ref) => ({ ...ref }));
  const out: PlainRecord[] = [];
  const byKey = new Map<string, PlainRecord>();
  for (const ref of refs) {
    const key = JSON.stringify([
      ref.group ?? "",
      ref.kind ?? "Service",
      ref.name,
      ref.namespace ?? "",
      ref.port ?? null,
      ref.filters ?? null,
    ]);
    const earlier = byKey.get(key);
    if (!earlier) {
      const copy = { ...ref };
      byKey.set(key, copy);
      out.push(copy);
    } else if (typeof earlier.weight === "number" && typeof ref.weight === "number") {
      earlier.weight += ref.weight;
    }
  }
  return out;
}
