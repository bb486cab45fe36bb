import type { KubeObject } from "../../../src/core/objects.js";

/**
 * A small model of how Istio routes one HTTP request through a VirtualService (first match wins),
 * used to check that conversions preserve routing behaviour. Only what the round-trip subset uses.
 */
export interface HttpRequest {
  path: string;
  method: string;
  headers: Record<string, string>;
  port: number;
}

type Json = Record<string, any>;

export function routeThroughVirtualService(virtualService: KubeObject, request: HttpRequest): unknown {
  const namespace = virtualService.metadata.namespace ?? "default";
  const entries: Json[] = (virtualService.spec as Json).http ?? [];
  for (const entry of entries) {
    const matches: Json[] = entry.match ?? [{}];
    const matched = matches.find((match) => matchesRequest(match, request));
    if (!matched) continue;
    return outcome(entry, matched, request, namespace);
  }
  return { kind: "no route (404)" };
}

function matchesRequest(match: Json, request: HttpRequest): boolean {
  if (match.port !== undefined && match.port !== request.port) return false;
  if (match.uri && !stringMatches(match.uri, request.path)) return false;
  if (match.method && !stringMatches(match.method, request.method)) return false;
  for (const [name, condition] of Object.entries<Json>(match.headers ?? {})) {
    const value = request.headers[name];
    if (value === undefined || !stringMatches(condition, value)) return false;
  }
  return true;
}

function stringMatches(condition: Json, value: string): boolean {
  if (condition.exact !== undefined) return value === condition.exact;
  if (condition.prefix !== undefined) return value.startsWith(condition.prefix);
  if (condition.regex !== undefined) return new RegExp(`^(?:${condition.regex})$`).test(value);
  return true;
}

function outcome(entry: Json, matched: Json, request: HttpRequest, namespace: string): unknown {
  if (entry.redirect) {
    const redirect = entry.redirect;
    return {
      kind: "redirect",
      code: redirect.redirectCode ?? 301,
      path: redirect.uri ?? request.path,
      scheme: redirect.scheme,
      authority: redirect.authority,
      port: redirect.port,
    };
  }
  if (entry.directResponse) return { kind: "direct response", status: entry.directResponse.status };
  const destinations: Json[] = entry.route ?? [];
  const total = destinations.reduce((sum, item) => sum + (destinations.length === 1 ? 1 : (item.weight ?? 0)), 0);
  const backends = destinations
    .map(
      (item) =>
        `${fqdn(item.destination.host, namespace)}:${item.destination.port?.number ?? "-"} ${destinations.length === 1 ? 1 : (item.weight ?? 0) / total}`,
    )
    .sort();
  return {
    kind: "route",
    backends,
    upstreamPath: rewrittenPath(entry.rewrite, matched, request.path),
    authority: entry.rewrite?.authority,
    headers: entry.headers,
    timeoutMs: entry.timeout === undefined ? undefined : Number.parseFloat(entry.timeout) * 1000,
    mirrors: (entry.mirrors ?? []).map((mirror: Json) => `${fqdn(mirror.destination.host, namespace)} ${mirror.percentage?.value ?? 100}%`),
  };
}

function rewrittenPath(rewrite: Json | undefined, matched: Json, path: string): string {
  if (rewrite?.uriRegexRewrite) return path.replace(new RegExp(rewrite.uriRegexRewrite.match), rewrite.uriRegexRewrite.rewrite);
  if (rewrite?.uri === undefined) return path;
  if (matched.uri?.prefix !== undefined) return rewrite.uri + path.slice(matched.uri.prefix.length);
  return rewrite.uri;
}

function fqdn(host: string, namespace: string): string {
  return host.includes(".") ? host : `${host}.${namespace}.svc.cluster.local`;
}
