import type { KubeObject } from "../../../src/core/objects.js";
import { routeThroughVirtualService, type HttpRequest } from "./istio-routing.js";

/**
 * A small model of an Istio ingress gateway (one workload serving every Istio Gateway of the input):
 * the request's port and Host pick the most specific virtual host among the VirtualServices bound to a
 * server on that port whose hosts admit them; its http entries are then tried in order.
 */
export interface GatewayRequest extends HttpRequest {
  host: string;
}

type Json = Record<string, any>;

export function routeThroughIstioGateway(objects: readonly KubeObject[], request: GatewayRequest): unknown {
  const candidates: { domain: string; vs: KubeObject; redirect: boolean }[] = [];
  for (const gateway of objects.filter((object) => object.kind === "Gateway")) {
    const gatewayNamespace = gateway.metadata.namespace ?? "default";
    for (const server of ((gateway.spec as Json).servers ?? []) as Json[]) {
      if (server.port?.number !== request.port) continue;
      for (const serverHost of (server.hosts ?? []) as string[]) {
        const [namespacePart, dnsName] = serverHost.includes("/") ? serverHost.split("/") : ["*", serverHost];
        for (const vs of objects.filter((object) => object.kind === "VirtualService")) {
          const vsNamespace = vs.metadata.namespace ?? "default";
          const spec = vs.spec as Json;
          const bound = ((spec.gateways ?? []) as string[]).some((name) =>
            name.includes("/")
              ? name === `${gatewayNamespace}/${gateway.metadata.name}`
              : vsNamespace === gatewayNamespace && name === gateway.metadata.name,
          );
          const allowed =
            namespacePart === "*" || (namespacePart === "." ? vsNamespace === gatewayNamespace : namespacePart === vsNamespace);
          if (!bound || !allowed) continue;
          for (const vsHost of (spec.hosts ?? []) as string[]) {
            const domain = narrower(dnsName!, vsHost);
            if (domain !== undefined && covers(domain, request.host))
              candidates.push({ domain, vs, redirect: Boolean(server.tls?.httpsRedirect) });
          }
        }
      }
    }
  }
  if (candidates.length === 0) return { kind: "no route (404)" };
  const best = Math.max(...candidates.map((candidate) => specificity(candidate.domain)));
  const chosen = candidates.filter((candidate) => specificity(candidate.domain) === best);
  if (chosen.some((candidate) => candidate.redirect)) return { kind: "redirect", code: 301, scheme: "https" };
  const virtualServices = [...new Set(chosen.map((candidate) => candidate.vs))];
  const merged: KubeObject = {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "merged", namespace: virtualServices[0]!.metadata.namespace ?? "default" },
    spec: { http: virtualServices.flatMap((vs) => ((vs.spec as Json).http ?? []) as Json[]) },
  };
  return routeThroughVirtualService(merged, request);
}

function covers(pattern: string, host: string): boolean {
  if (pattern === "*") return true;
  if (pattern.startsWith("*")) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

function narrower(a: string, b: string): string | undefined {
  if (covers(a, b) || (a.startsWith("*") && b.startsWith("*") && b.endsWith(a.slice(1)))) return b;
  if (covers(b, a) || (a.startsWith("*") && b.startsWith("*") && a.endsWith(b.slice(1)))) return a;
  return undefined;
}

function specificity(domain: string): number {
  return domain.startsWith("*") ? domain.length : 10_000 + domain.length;
}
