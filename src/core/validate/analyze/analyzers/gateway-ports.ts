import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import { GatewayPortNotDefinedOnService, ReferencedResourceNotFound } from "../messages.js";
import { integer, labelsOf, record, records, selectorMatches, selectorString, specOf, text } from "../values.js";

/**
 * A Gateway's selector must match a workload (IST0101 selector), and each server port must be a TCP port of a Service
 * in front of the selected workloads (IST0162). Runs when gateway workloads are among the inputs (some workload is
 * selected by some Gateway); workload pod templates count as pods.
 */
export const gatewayPorts: Analyzer = {
  name: "gateway.IngressGatewayPortAnalyzer",
  description: "Checks a gateway's ports against the gateway's Kubernetes service ports",
  codes: [ReferencedResourceNotFound.code, GatewayPortNotDefinedOnService.code],
  inputs: ["networking.istio.io/Gateway", "Pod", "Service"],
  analyze(context) {
    if (!context.gatewayWorkloadsKnown()) return;
    const services = context.of("Service").map((service) => {
      const spec = specOf(service.object);
      return {
        namespace: namespaceOf(service),
        selector: labelsOf(spec.selector),
        tcpPorts: records(spec.ports)
          .filter((port) => (text(port.protocol) ?? "TCP") === "TCP")
          .map((port) => integer(port.port))
          .filter((port): port is number => port !== undefined),
      };
    });
    for (const gateway of context.of("networking.istio.io/Gateway")) {
      const selector = labelsOf(specOf(gateway.object).selector);
      const selected = context.workloads().filter((workload) => selectorMatches(selector, workload.labels));
      const selectorText = selectorString(selector);
      const selectorPath = Object.keys(selector).length > 0 ? ["spec", "selector", Object.keys(selector).sort()[0]!] : ["spec"];
      if (selected.length === 0) {
        context.report(gateway, ReferencedResourceNotFound, selectorPath, "selector", selectorText);
        continue;
      }
      const ports = new Set<number>();
      for (const workload of selected)
        for (const service of services)
          if (service.namespace === workload.namespace && selectorMatches(service.selector, workload.labels))
            service.tcpPorts.forEach((port) => ports.add(port));
      records(specOf(gateway.object).servers).forEach((server, index) => {
        const port = integer(record(server.port).number);
        if (port !== undefined && !ports.has(port))
          context.report(gateway, GatewayPortNotDefinedOnService, ["spec", "servers", index, "port", "number"], port, selectorText);
      });
    }
  },
};
