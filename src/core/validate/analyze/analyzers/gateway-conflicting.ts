import { HostIndex, splitGatewayHost } from "../../../hosts.js";
import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import { ConflictingGateways } from "../messages.js";
import { fullName, type AnalyzedResource } from "../resource.js";
import { integer, labelsOf, record, records, selectorString, specOf, texts } from "../values.js";

interface ServerHost {
  gateway: AnalyzedResource;
  selector: Record<string, string>;
}

/**
 * Two Gateways whose selectors pick the same workloads (equal, or one a subset of the other) and that declare
 * overlapping hosts on the same port conflict: Envoy gets one listener and the result depends on ordering (IST0145,
 * reported on both sides, once per server).
 */
export const gatewayConflicting: Analyzer = {
  name: "gateway.ConflictingGatewayAnalyzer",
  description: "Checks a gateway's selector, port number and hosts",
  codes: [ConflictingGateways.code],
  inputs: ["networking.istio.io/Gateway"],
  analyze(context) {
    const gateways = context.of("networking.istio.io/Gateway");
    const byPort = new Map<number, HostIndex<ServerHost>>();
    for (const gateway of gateways) {
      const selector = labelsOf(specOf(gateway.object).selector);
      for (const server of records(specOf(gateway.object).servers)) {
        const port = integer(record(server.port).number);
        if (!port) continue;
        let index = byPort.get(port);
        if (!index) byPort.set(port, (index = new HostIndex()));
        for (const entry of texts(server.hosts)) index.add(splitGatewayHost(entry, namespaceOf(gateway)).host, { gateway, selector });
      }
    }
    for (const gateway of gateways) {
      const selector = labelsOf(specOf(gateway.object).selector);
      records(specOf(gateway.object).servers).forEach((server, serverIndex) => {
        const port = integer(record(server.port).number);
        const index = port ? byPort.get(port) : undefined;
        if (!index) return;
        const hosts = texts(server.hosts);
        const conflicting = new Set<string>();
        for (const entry of hosts)
          for (const other of index.matching(splitGatewayHost(entry, namespaceOf(gateway)).host))
            if (other.gateway !== gateway && sameWorkloads(selector, other.selector)) conflicting.add(fullName(other.gateway));
        if (conflicting.size === 0) return;
        context.report(
          gateway,
          ConflictingGateways,
          ["spec", "servers", serverIndex, "hosts"],
          [...conflicting].sort().join(","),
          selectorString(selector),
          String(port),
          hosts.join(","),
        );
      });
    }
  },
};

function subsetOf(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.entries(a).every(([key, value]) => b[key] === value);
}

/** Equal selectors, or non-empty selectors one of which is contained in the other. */
function sameWorkloads(a: Record<string, string>, b: Record<string, string>): boolean {
  const aEmpty = Object.keys(a).length === 0;
  const bEmpty = Object.keys(b).length === 0;
  if (aEmpty || bEmpty) return aEmpty && bEmpty;
  return subsetOf(a, b) || subsetOf(b, a);
}
