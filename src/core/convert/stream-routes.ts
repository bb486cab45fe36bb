import { routeGroups } from "./route-limits.js";
import type { FieldPath } from "../findings.js";
import type { KubeObject } from "../objects.js";
import type { Attachment } from "./attach.js";
import { routeBackendRefs, type BackendGrants, type BackendScope } from "./backends.js";
import { objectMeta, type ConvertContext, type Emitted } from "./context.js";
import { isIpAddress, isValidHostname } from "./hosts.js";
import type { InputObject } from "./input.js";
import { sanitizeName } from "./names.js";
import { hasKey, listOf, numberOf, recordOf, stringsOf, type PlainRecord } from "./plain-data.js";

const droppedTlsMatchFields = ["destinationSubnets", "sourceLabels", "sourceNamespace", "gateways"];
const droppedTcpMatchFields = ["destinationSubnets", "sourceSubnet", "sourceLabels", "sourceNamespace", "gateways"];

/** `spec.tls[i]` → TLSRoute `<vs>-idx-<i>` with the SNI hosts as hostnames (docs/design/convert.md §8). */
export function convertTls(virtualService: InputObject, attachment: Attachment, grants: BackendGrants, context: ConvertContext): Emitted[] {
  const { notes, full } = context;
  const source = virtualService.source;
  const scope: BackendScope = { virtualService, routeKind: "TLSRoute", grants };
  const routes: Emitted[] = [];
  listOf(virtualService.spec.tls).forEach((raw, index) => {
    const entry = recordOf(raw) ?? {};
    const at: FieldPath = ["spec", "tls", index];
    const hostnames = new Set<string>();
    const ports: (number | undefined)[] = [];
    listOf(entry.match).forEach((rawMatch, matchIndex) => {
      const match = recordOf(rawMatch) ?? {};
      const matchAt: FieldPath = [...at, "match", matchIndex];
      stringsOf(match.sniHosts).forEach((host, hostIndex) => {
        const lower = host.toLowerCase();
        if (isValidHostname(lower) && !isIpAddress(lower)) hostnames.add(lower);
        else
          notes.warning("CONV207", `sniHost "${host}" is not a valid TLSRoute hostname: dropped`, source, [
            ...matchAt,
            "sniHosts",
            hostIndex,
          ]);
      });
      ports.push(numberOf(match.port));
      noteDroppedMatchFields(match, matchAt, droppedTlsMatchFields, virtualService, context);
    });
    if (hostnames.size === 0) {
      notes.warning(
        "CONV402",
        full
          ? "TLS route without sniHosts: the VirtualService hosts are used as hostnames"
          : "TLS route without sniHosts: TLSRoute v1 requires hostnames",
        source,
        at,
      );
      if (full) for (const host of attachment.hostnames) hostnames.add(host);
      if (full && hostnames.size === 0) {
        notes.error(
          "CONV402",
          "TLS route skipped: neither sniHosts nor the VirtualService hosts give a TLSRoute hostname; add sniHosts",
          source,
          at,
        );
        return;
      }
    }
    const backendRefs = routeBackendRefs(listOf(entry.route), [...at, "route"], scope, context, false);
    if (backendRefs.length === 0) {
      notes.error("CONV305", "TLS route without a usable destination is skipped", source, [...at, "route"]);
      return;
    }
    const parentRefs = portParentRefs(attachment, "TLSRoute", ports, at, virtualService, context);
    routes.push(
      ...streamRoutes(
        "TLSRoute",
        `${virtualService.name}-idx-${index}`,
        virtualService,
        parentRefs,
        [...hostnames].sort(),
        backendRefs,
        context,
      ),
    );
  });
  return routes;
}

/** `spec.tcp[i]` → TCPRoute `<vs>-idx-<i>` (experimental channel, v1alpha2). */
export function convertTcp(virtualService: InputObject, attachment: Attachment, grants: BackendGrants, context: ConvertContext): Emitted[] {
  const { notes, full } = context;
  const source = virtualService.source;
  const scope: BackendScope = { virtualService, routeKind: "TCPRoute", grants };
  const entries = listOf(virtualService.spec.tcp);
  const routes: Emitted[] = [];
  entries.forEach((raw, index) => {
    const entry = recordOf(raw) ?? {};
    const at: FieldPath = ["spec", "tcp", index];
    const ports: (number | undefined)[] = [];
    listOf(entry.match).forEach((rawMatch, matchIndex) => {
      const match = recordOf(rawMatch) ?? {};
      ports.push(numberOf(match.port));
      noteDroppedMatchFields(match, [...at, "match", matchIndex], droppedTcpMatchFields, virtualService, context);
    });
    const backendRefs = routeBackendRefs(listOf(entry.route), [...at, "route"], scope, context, false);
    if (backendRefs.length === 0) {
      notes.error("CONV305", "TCP route without a usable destination is skipped", source, [...at, "route"]);
      return;
    }
    const parentRefs = portParentRefs(attachment, "TCPRoute", ports, at, virtualService, context);
    routes.push(...streamRoutes("TCPRoute", `${virtualService.name}-idx-${index}`, virtualService, parentRefs, [], backendRefs, context));
  });
  if (entries.length > 1 && !full) {
    notes.warning(
      "CONV401",
      "several tcp entries attach to the same TCP listeners: the TCPRoutes conflict (Istio told them apart by port)",
      source,
      ["spec", "tcp"],
    );
  }
  return routes;
}

function noteDroppedMatchFields(
  match: PlainRecord,
  at: FieldPath,
  fields: readonly string[],
  virtualService: InputObject,
  context: ConvertContext,
): void {
  for (const field of fields) {
    if (hasKey(match, field)) {
      context.notes.error(
        "CONV401",
        `match.${field} has no Gateway API form and is dropped: the route gets broader`,
        virtualService.source,
        [...at, field],
      );
    }
  }
  if (hasKey(match, "port") && !context.full) {
    context.notes.error("CONV401", "match.port is dropped: the route attaches to every matching listener", virtualService.source, [
      ...at,
      "port",
    ]);
  }
}

/** full: the port every match names becomes the parentRef port (Gateway listener or Service port). */
function portParentRefs(
  attachment: Attachment,
  kind: "TLSRoute" | "TCPRoute",
  ports: (number | undefined)[],
  at: FieldPath,
  virtualService: InputObject,
  context: ConvertContext,
): PlainRecord[] {
  const distinct = new Set(ports);
  const named = [...distinct].filter((port) => port !== undefined);
  if (!context.full || named.length === 0) return attachment.parentRefsFor(kind);
  if (distinct.size === 1) return attachment.parentRefsFor(kind, named[0]);
  context.notes.error(
    "CONV401",
    `match.port differs between matches (${[...distinct].map((port) => port ?? "any").join(", ")}): dropped, the route attaches to every matching listener; split the entry by port`,
    virtualService.source,
    [...at, "match"],
  );
  return attachment.parentRefsFor(kind);
}

/** One route, or several when parentRefs or hostnames pass the CRD limits (`full`). */
function streamRoutes(
  kind: "TLSRoute" | "TCPRoute",
  name: string,
  virtualService: InputObject,
  parentRefs: PlainRecord[],
  hostnames: string[],
  backendRefs: PlainRecord[],
  context: ConvertContext,
): Emitted[] {
  return routeGroups(parentRefs, hostnames, context.full).map((group) => {
    const spec: PlainRecord = { parentRefs: group.parents.map((ref) => ({ ...ref })) };
    if (kind === "TLSRoute") spec.hostnames = group.hostnames;
    spec.rules = [{ backendRefs }];
    const object: KubeObject = {
      apiVersion: context.apiVersions[kind],
      kind,
      metadata: objectMeta(sanitizeName(`${name}${group.suffix}`), virtualService.namespace, virtualService),
      spec,
    };
    return { object, from: virtualService };
  });
}
