import { routeGroups } from "./route-limits.js";
import type { FieldPath } from "../findings.js";
import type { KubeObject } from "../objects.js";
import type { Attachment } from "./attach.js";
import { headerFilters, routeBackendRefs, type BackendGrants, type BackendScope } from "./backends.js";
import { objectMeta, type ConvertContext, type Emitted } from "./context.js";
import type { InputObject } from "./input.js";
import { sanitizeName } from "./names.js";
import { listOf, recordOf, stringOf, type PlainRecord } from "./plain-data.js";

/** Fields of an `http` entry a GRPCRoute rule can carry; anything else keeps the VirtualService an HTTPRoute. */
const grpcEntryFields = new Set(["name", "match", "route", "headers"]);
const grpcMatchFields = new Set(["uri", "headers", "name"]);
const service = /^\.?[A-Za-z_][A-Za-z_0-9]*(?:\.[A-Za-z_][A-Za-z_0-9]*)*$/;
const method = /^[A-Za-z_][A-Za-z_0-9]*$/;

/** `/pkg.Service/Method` (exact) or `/pkg.Service/` (prefix) → a GRPCMethodMatch. */
function grpcMethod(uri: PlainRecord): PlainRecord | undefined {
  const exact = stringOf(uri.exact);
  const prefix = stringOf(uri.prefix);
  if (exact !== undefined) {
    const parts = /^\/([^/]+)\/([^/]+)$/.exec(exact);
    return parts && service.test(parts[1]!) && method.test(parts[2]!) ? { service: parts[1], method: parts[2] } : undefined;
  }
  if (prefix !== undefined) {
    const parts = /^\/([^/]+)\/$/.exec(prefix);
    return parts && service.test(parts[1]!) ? { service: parts[1] } : undefined;
  }
  return undefined;
}

/**
 * full (docs/design/convert.md §5.3): a VirtualService bound only to gRPC servers whose matches all name gRPC
 * methods, with nothing GRPCRoute lacks (redirects, rewrites, timeouts, …), becomes a GRPCRoute.
 */
export function isGrpcVirtualService(virtualService: InputObject, attachment: Attachment): boolean {
  const entries = listOf(virtualService.spec.http).map((entry) => recordOf(entry) ?? {});
  const matchCount = entries.reduce((sum, entry) => sum + listOf(entry.match).length, 0);
  if (!attachment.grpcOnly || entries.length === 0 || entries.length > 16 || matchCount > 128 || attachment.hostnames.length > 16)
    return false;
  return entries.every(
    (entry) =>
      Object.keys(entry).every((field) => grpcEntryFields.has(field)) &&
      listOf(entry.match).every((raw) => {
        const match = recordOf(raw) ?? {};
        const uri = recordOf(match.uri);
        const headers = Object.values(recordOf(match.headers) ?? {}).map((condition) => recordOf(condition) ?? {});
        return (
          Object.keys(match).every((field) => grpcMatchFields.has(field)) &&
          uri !== undefined &&
          grpcMethod(uri) !== undefined &&
          headers.every((condition) => stringOf(condition.exact) !== undefined || stringOf(condition.regex) !== undefined)
        );
      }),
  );
}

export function convertGrpc(
  virtualService: InputObject,
  attachment: Attachment,
  grants: BackendGrants,
  context: ConvertContext,
): Emitted[] {
  const scope: BackendScope = { virtualService, routeKind: "GRPCRoute", grants };
  const rules = listOf(virtualService.spec.http).map((raw, index) => {
    const entry = recordOf(raw) ?? {};
    const at: FieldPath = ["spec", "http", index];
    const rule: PlainRecord = {};
    const matches = listOf(entry.match).map((item) => {
      const match = recordOf(item) ?? {};
      const headers = Object.entries(recordOf(match.headers) ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, condition]) => {
          const exact = stringOf(recordOf(condition)?.exact);
          return exact !== undefined
            ? { type: "Exact", name, value: exact }
            : { type: "RegularExpression", name, value: stringOf(recordOf(condition)?.regex) };
        });
      return { method: grpcMethod(recordOf(match.uri)!), ...(headers.length > 0 ? { headers } : {}) };
    });
    if (matches.length > 0) rule.matches = matches;
    const filters = headerFilters(recordOf(entry.headers) ?? {});
    if (filters.length > 0) rule.filters = filters;
    const backendRefs = routeBackendRefs(listOf(entry.route), [...at, "route"], scope, context, true);
    if (backendRefs.length > 0) rule.backendRefs = backendRefs;
    return Object.keys(rule).length > 0 ? rule : { matches: [{ method: { type: "RegularExpression", service: ".*" } }] };
  });
  context.notes.info(
    "CONV118",
    "every match names a gRPC method and every listener serves gRPC: converted as a GRPCRoute",
    virtualService.source,
    ["spec", "http"],
  );
  return routeGroups(attachment.parentRefsFor("GRPCRoute"), attachment.hostnames, context.full).map(({ parents, hostnames, suffix }) => {
    const object: KubeObject = {
      apiVersion: context.apiVersions.GRPCRoute,
      kind: "GRPCRoute",
      metadata: objectMeta(sanitizeName(`${virtualService.name}${suffix}`), virtualService.namespace, virtualService),
      spec: { parentRefs: parents.map((ref) => ({ ...ref })), hostnames, rules },
    };
    return { object, from: virtualService };
  });
}
