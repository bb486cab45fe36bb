import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import type { RouteDestination } from "../destinations.js";
import { IngressRouteRulesNotAffected, ReferencedResourceNotFound, VirtualServiceDestinationPortSelectorRequired } from "../messages.js";
import { fullName, type AnalyzedResource } from "../resource.js";
import { ServiceRegistry, type RegistryService } from "../service-registry.js";
import { integer, record, records, specOf, text, texts } from "../values.js";
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
    const hosts = new Set(texts(specOf(vs.object).hosts));
    for (const destination of context.destinationsOf(vs).routes)
      if (destination.kind === "http" && text(destination.destination.subset) && hosts.has(destination.host)) {
        const list = subsetRoutesByHost.get(destination.host);
        if (list) list.push(vs);
        else subsetRoutesByHost.set(destination.host, [vs]);
      }
  }
  for (const vs of virtualServices) {
    const spec = specOf(vs.object);
    if (texts(spec.gateways).length === 0) continue;
    records(spec.http).forEach((rule, ruleIndex) =>
      records(rule.route).forEach((route, routeIndex) => {
        const destination = record(route.destination);
        const host = text(destination.host);
        if (!host || text(destination.subset)) return;
        for (const other of subsetRoutesByHost.get(host) ?? [])
          context.report(
            vs,
            IngressRouteRulesNotAffected,
            ["spec", "http", ruleIndex, "route", routeIndex, "destination", "host"],
            fullName(other),
            fullName(vs),
          );
      }),
    );
  }
}
