import { HostIndex, hostToFqdn } from "../../../hosts.js";
import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import { ConflictingMeshGatewayVirtualServiceHosts } from "../messages.js";
import { fullName, type AnalyzedResource } from "../resource.js";
import { specOf, texts } from "../values.js";

/**
 * VirtualServices bound to `mesh` (no gateways, or `mesh` among them) that define the same host for the same
 * namespaces are merged in undefined order (IST0109, reported on each of them once). A VirtualService exported to a
 * namespace also conflicts with one exported everywhere whose host overlaps.
 */
export const virtualServiceConflictingMeshHosts: Analyzer = {
  name: "virtualservice.ConflictingMeshGatewayHostsAnalyzer",
  description: "Checks if multiple virtual services associated with the mesh gateway have conflicting hosts",
  codes: [ConflictingMeshGatewayVirtualServiceHosts.code],
  inputs: ["networking.istio.io/VirtualService"],
  analyze(context) {
    const byScopedHost = new Map<string, { scope: string; host: string; list: AnalyzedResource[] }>();
    // Hosts exported everywhere, indexed only when some VirtualService is exported to named namespaces.
    const exportedEverywhere: { host: string; vs: AnalyzedResource }[] = [];
    let exportedToNamespaces = false;
    for (const vs of context.of("networking.istio.io/VirtualService")) {
      const spec = specOf(vs.object);
      const gateways = texts(spec.gateways);
      if (gateways.length > 0 && !gateways.includes("mesh")) continue;
      const namespace = namespaceOf(vs);
      const exportTo = texts(spec.exportTo);
      const scopes =
        exportTo.length === 0 || exportTo.includes("*")
          ? ["*"]
          : [...new Set(exportTo.map((scope) => (scope === "." ? namespace : scope)))];
      for (const scope of scopes)
        for (const host of texts(spec.hosts)) {
          const fqdn = hostToFqdn(host, namespace, context.mesh.clusterDomain);
          const key = `${scope}/${fqdn}`;
          let entry = byScopedHost.get(key);
          if (!entry) byScopedHost.set(key, (entry = { scope, host: fqdn, list: [] }));
          if (!entry.list.includes(vs)) entry.list.push(vs);
          if (scope === "*") exportedEverywhere.push({ host: fqdn, vs });
          else exportedToNamespaces = true;
        }
    }
    const reported = new Set<AnalyzedResource>();
    const everywhere = new HostIndex<AnalyzedResource>();
    if (exportedToNamespaces) for (const { host, vs } of exportedEverywhere) everywhere.add(host, vs);
    for (const [key, entry] of byScopedHost) {
      let list = entry.list;
      if (entry.scope !== "*") {
        list = [...list];
        for (const other of everywhere.matching(entry.host)) if (!list.includes(other)) list.push(other);
      }
      if (list.length < 2) continue;
      const names = list.map(fullName).join(",");
      for (const vs of list) {
        if (reported.has(vs)) continue;
        reported.add(vs);
        context.report(vs, ConflictingMeshGatewayVirtualServiceHosts, ["metadata", "name"], names, key);
      }
    }
  },
};
