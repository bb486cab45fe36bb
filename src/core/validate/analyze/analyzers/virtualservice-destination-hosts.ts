import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import type { RouteDestination } from "../destinations.js";
import { IngressRouteRulesNotAffected, ReferencedResourceNotFound, VirtualServiceDestinationPortSelectorRequired } from "../messages.js";
import { fullName, type AnalyzedResource } from "../resource.js";
import { ServiceRegistry, type RegistryService } from "../service-registry.js";
import { integer, record, specOf, text, texts } from "../values.js";
import type { AnalysisContext } from "../analyzer.js";

/**
 * Route and mirror hosts must name a Service or ServiceEntry visible from the VirtualService (IST0101), with a port
 * when the service has several (IST0112) and one it has (IST0101 host:port). A gateway-bound rule without subset
 * bypasses the subsets a mesh VirtualService for the same host routes to (IST0140).
 */
export const virtualServiceDestinationHosts: Analyzer = {
  name: "virtualservice.DestinationHostAnalyzer",
  description: "Checks the destination hosts associated with each virtual service",
  codes: [ReferencedResourceNotFound.code, VirtualServiceDestinationPortSelectorRequired.code, IngressRouteRulesNotAffected.code],
  inputs: ["networking.istio.io/ServiceEntry", "networking.istio.io/VirtualService", "Service"],
  analyze(context) {
    const virtualServices = context.of("networking.istio.io/VirtualService");
    // Without any Service among the inputs, "not found" would only say the inputs are partial.
    if (context.known("Service")) {
      const registry = new ServiceRegistry(context);
      for (const vs of virtualServices) checkHosts(context, vs, registry);
    }
    checkIngressSubsets(context, virtualServices);
  },
};

function checkHosts(context: AnalysisContext, vs: AnalyzedResource, registry: ServiceRegistry): void {
  const namespace = namespaceOf(vs);
  const exportTo = texts(specOf(vs.object).exportTo);
  const check = (destination: RouteDestination, referenceType: string) => {
    const service = registry.lookup(namespace, exportTo, destination.host);
    if (!service) context.report(vs, ReferencedResourceNotFound, [...destination.path, "host"], referenceType, destination.host);
    else checkPorts(context, vs, destination, service);
  };
  const { routes, mirrors } = context.destinationsOf(vs);
  for (const destination of routes) check(destination, "host");
  for (const destination of mirrors) check(destination, "mirror host");
}

function checkPorts(context: AnalysisContext, vs: AnalyzedResource, destination: RouteDestination, service: RegistryService): void {
  const port = integer(record(destination.destination.port).number);
  if (port === undefined) {
    if (service.ports.length > 1)
      context.report(
        vs,
        VirtualServiceDestinationPortSelectorRequired,
        [...destination.path, "host"],
        destination.host,
        service.ports.map((entry) => entry.number),
      );
    return;
  }
  if (!service.ports.some((entry) => entry.number === port))
    context.report(vs, ReferencedResourceNotFound, [...destination.path, "port", "number"], "host:port", `${destination.host}:${port}`);
}

function checkIngressSubsets(context: AnalysisContext, virtualServices: readonly AnalyzedResource[]): void {
  // For each host, the VirtualServices that route to it by subset when it is one of their own hosts (once per route).
  const subsetRoutesByHost = new Map<string, AnalyzedResource[]>();
  for (const vs of virtualServices) {
    let hosts: Set<string> | undefined;
    for (const destination of context.destinationsOf(vs).routes)
      if (destination.kind === "http" && text(destination.destination.subset)) {
        hosts ??= new Set(texts(specOf(vs.object).hosts));
        if (!hosts.has(destination.host)) continue;
        const list = subsetRoutesByHost.get(destination.host);
        if (list) list.push(vs);
        else subsetRoutesByHost.set(destination.host, [vs]);
      }
  }
  if (subsetRoutesByHost.size === 0) return;
  for (const vs of virtualServices) {
    if (texts(specOf(vs.object).gateways).length === 0) continue;
    // The http route destinations, in rule and route order (routeDestinations lists them after tcp and tls).
    for (const destination of context.destinationsOf(vs).routes) {
      if (destination.kind !== "http" || !destination.host || text(destination.destination.subset)) continue;
      for (const other of subsetRoutesByHost.get(destination.host) ?? [])
        context.report(vs, IngressRouteRulesNotAffected, [...destination.path, "host"], fullName(other), fullName(vs));
    }
  }
}
