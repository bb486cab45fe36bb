import { hostToFqdn } from "../../../hosts.js";
import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import type { RouteDestination } from "../destinations.js";
import { ReferencedResourceNotFound } from "../messages.js";
import { records, specOf, text } from "../values.js";

/** A destination subset must be defined by a DestinationRule for the same host (IST0101 host+subset). */
export const virtualServiceDestinationRules: Analyzer = {
  name: "virtualservice.DestinationRuleAnalyzer",
  description: "Checks the destination rules associated with each virtual service",
  codes: [ReferencedResourceNotFound.code],
  inputs: ["networking.istio.io/VirtualService", "networking.istio.io/DestinationRule"],
  analyze(context) {
    if (!context.known("networking.istio.io/DestinationRule")) return;
    const domain = context.mesh.clusterDomain;
    // Subset names by the FQDN of their DestinationRule's host.
    const subsetsByHost = new Map<string, Set<string>>();
    for (const rule of context.of("networking.istio.io/DestinationRule")) {
      const spec = specOf(rule.object);
      const host = hostToFqdn(text(spec.host) ?? "", namespaceOf(rule), domain);
      let subsets = subsetsByHost.get(host);
      for (const subset of records(spec.subsets)) {
        if (!subsets) subsetsByHost.set(host, (subsets = new Set()));
        subsets.add(text(subset.name) ?? "");
      }
    }
    for (const vs of context.of("networking.istio.io/VirtualService")) {
      const namespace = namespaceOf(vs);
      // A VirtualService's destinations mostly name one host: its subsets are looked up once for a run of them.
      let lastHost: string | undefined;
      let lastSubsets: Set<string> | undefined;
      const check = (destinations: readonly RouteDestination[], label: string) => {
        for (const destination of destinations) {
          const subset = text(destination.destination.subset);
          if (!subset) continue;
          if (destination.host !== lastHost) {
            lastHost = destination.host;
            lastSubsets = subsetsByHost.get(hostToFqdn(destination.host, namespace, domain));
          }
          if (lastSubsets?.has(subset)) continue;
          context.report(vs, ReferencedResourceNotFound, [...destination.path, "subset"], label, `${destination.host}+${subset}`);
        }
      };
      const { routes, mirrors } = context.destinationsOf(vs);
      check(routes, "host+subset in destinationrule");
      check(mirrors, "mirror+subset in destinationrule");
    }
  },
};
