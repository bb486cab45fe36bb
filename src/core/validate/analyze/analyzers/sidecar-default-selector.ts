import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import { MultipleSidecarsWithoutWorkloadSelectors } from "../messages.js";
import { fullName, type AnalyzedResource } from "../resource.js";
import { specOf } from "../values.js";

/** At most one Sidecar per namespace may omit workloadSelector; with several, which applies is undefined (IST0111). */
export const sidecarDefaultSelector: Analyzer = {
  name: "sidecar.DefaultSelectorAnalyzer",
  description: "Validates that there aren't multiple sidecar resources that have no selector",
  codes: [MultipleSidecarsWithoutWorkloadSelectors.code],
  inputs: ["networking.istio.io/Sidecar"],
  analyze(context) {
    const byNamespace = new Map<string, AnalyzedResource[]>();
    for (const sidecar of context.of("networking.istio.io/Sidecar")) {
      const selector = specOf(sidecar.object).workloadSelector;
      if (selector !== undefined && selector !== null) continue;
      const namespace = namespaceOf(sidecar);
      const list = byNamespace.get(namespace);
      if (list) list.push(sidecar);
      else byNamespace.set(namespace, [sidecar]);
    }
    for (const [namespace, sidecars] of byNamespace) {
      if (sidecars.length < 2) continue;
      const names = sidecars.map(fullName);
      for (const sidecar of sidecars)
        context.report(sidecar, MultipleSidecarsWithoutWorkloadSelectors, ["metadata", "name"], names, namespace);
    }
  },
};
