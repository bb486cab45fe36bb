import type { Analyzer } from "../analyzer.js";
import { namespaceOf, type Workload } from "../analyzer.js";
import { ConflictingSidecarWorkloadSelectors, ReferencedResourceNotFound } from "../messages.js";
import { fullName, type AnalyzedResource } from "../resource.js";
import { labelsOf, record, selectorMatches, selectorString, specOf } from "../values.js";

/**
 * A Sidecar's workloadSelector must match a pod of its namespace (IST0101 selector), and no pod may be selected by two
 * Sidecars (IST0110, on each). Runs for namespaces whose workloads are among the inputs.
 */
export const sidecarSelector: Analyzer = {
  name: "sidecar.SelectorAnalyzer",
  description:
    "Validates that sidecars that define a workload selector match at least one pod, and that there aren't multiple sidecar resources that select overlapping pods",
  codes: [ReferencedResourceNotFound.code, ConflictingSidecarWorkloadSelectors.code],
  inputs: ["networking.istio.io/Sidecar", "Pod"],
  analyze(context) {
    const sidecarsOfWorkload = new Map<Workload, AnalyzedResource[]>();
    for (const sidecar of context.of("networking.istio.io/Sidecar")) {
      const selector = labelsOf(record(specOf(sidecar.object).workloadSelector).labels);
      const keys = Object.keys(selector).sort();
      if (keys.length === 0) continue;
      const namespace = namespaceOf(sidecar);
      if (!context.workloadsKnownIn(namespace)) continue;
      const selected = context
        .workloads()
        .filter((workload) => workload.namespace === namespace && selectorMatches(selector, workload.labels));
      if (selected.length === 0) {
        context.report(
          sidecar,
          ReferencedResourceNotFound,
          ["spec", "workloadSelector", "labels", keys[0]!],
          "selector",
          selectorString(selector),
        );
        continue;
      }
      for (const workload of selected) {
        const list = sidecarsOfWorkload.get(workload);
        if (list) list.push(sidecar);
        else sidecarsOfWorkload.set(workload, [sidecar]);
      }
    }
    for (const [workload, sidecars] of sidecarsOfWorkload) {
      if (sidecars.length < 2) continue;
      const names = sidecars.map(fullName);
      for (const sidecar of sidecars)
        context.report(sidecar, ConflictingSidecarWorkloadSelectors, ["metadata", "name"], names, workload.namespace, workload.name);
    }
  },
};
