import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import { DestinationRuleSubsetNotSelectPods } from "../messages.js";
import { ServiceRegistry } from "../service-registry.js";
import { labelsOf, record, records, selectorMatches, specOf, text, texts } from "../values.js";

/** Node labels istiod adds to a pod's endpoint labels (so subsets may select by topology). */
const topologyLabels = ["topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone"];

/**
 * Each subset of a DestinationRule must select some pod: the host's workload selector (Service selector or
 * ServiceEntry workloadSelector) merged with the subset's labels (IST0173). Judged only when the workloads of the
 * service's namespace are among the inputs (Pods or the Deployments, … whose pods they will be).
 */
export const destinationRuleSubsetPods: Analyzer = {
  name: "destinationrule.SubsetSelectPodAnalyzer",
  description: "Checks if pods are selected by subsets in destination rules.",
  codes: [DestinationRuleSubsetNotSelectPods.code],
  inputs: ["networking.istio.io/DestinationRule", "Pod", "Service", "networking.istio.io/ServiceEntry", "Node"],
  analyze(context) {
    const rules = context.of("networking.istio.io/DestinationRule").filter((rule) => records(specOf(rule.object).subsets).length > 0);
    if (rules.length === 0 || (!context.known("Service") && !context.known("networking.istio.io/ServiceEntry"))) return;
    const registry = new ServiceRegistry(context);
    const nodes = new Map(context.of("Node").map((node) => [node.identity.name ?? "", labelsOf(record(node.object.metadata).labels)]));
    const podLabels = context.workloads().map((workload) => {
      const nodeName = workload.resource.identity.kind === "Pod" ? text(specOf(workload.resource.object).nodeName) : undefined;
      const node = nodeName ? nodes.get(nodeName) : undefined;
      if (!node) return workload.labels;
      const labels: Record<string, string> = { ...workload.labels, "kubernetes.io/hostname": nodeName! };
      for (const key of topologyLabels) if (node[key] !== undefined) labels[key] = node[key];
      return labels;
    });
    for (const rule of rules) {
      const spec = specOf(rule.object);
      const host = text(spec.host);
      if (!host) continue;
      const service = registry.lookup(namespaceOf(rule), texts(spec.exportTo), host);
      if (!service || !context.workloadsKnownIn(namespaceOf(service.resource))) continue;
      const serviceSpec = specOf(service.resource.object);
      const selector = labelsOf(
        service.resource.identity.kind === "Service" ? serviceSpec.selector : record(serviceSpec.workloadSelector).labels,
      );
      records(spec.subsets).forEach((subset, index) => {
        const wanted = { ...selector, ...labelsOf(subset.labels) };
        if (podLabels.some((labels) => selectorMatches(wanted, labels))) return;
        context.report(rule, DestinationRuleSubsetNotSelectPods, ["spec", "subsets", index], text(subset.name) ?? "");
      });
    }
  },
};
