import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import { IneffectivePolicy } from "../messages.js";
import { labelsOf, record, selectorMatches, specOf } from "../values.js";

const ambientLabel = "istio.io/dataplane-mode";

/**
 * Ambient workloads have no sidecar, so a Sidecar resource does nothing for them (IST0167): one without selector in an
 * ambient namespace, or one whose selector picks only ambient pods. Namespaces and Pods come from the inputs.
 */
export const sidecarAmbient: Analyzer = {
  name: "sidecar.AmbientAnalyzer",
  description: "Reports Sidecar resources that apply only to ambient workloads",
  codes: [IneffectivePolicy.code],
  inputs: ["networking.istio.io/Sidecar", "Namespace", "Pod"],
  analyze(context) {
    const ambientNamespaces = new Set(
      context
        .of("Namespace")
        .filter((namespace) => labelsOf(record(namespace.object.metadata).labels)[ambientLabel] === "ambient")
        .map((namespace) => namespace.identity.name ?? ""),
    );
    const isAmbient = (namespace: string, labels: Record<string, string>) =>
      labels[ambientLabel] === "ambient" || (ambientNamespaces.has(namespace) && labels[ambientLabel] !== "none");
    for (const sidecar of context.of("networking.istio.io/Sidecar")) {
      const namespace = namespaceOf(sidecar);
      const selector = labelsOf(record(specOf(sidecar.object).workloadSelector).labels);
      if (Object.keys(selector).length === 0) {
        if (ambientNamespaces.has(namespace))
          context.report(
            sidecar,
            IneffectivePolicy,
            ["metadata", "name"],
            `namespace ${namespace} is in ambient mode, where workloads have no sidecar`,
          );
        continue;
      }
      const selected = context
        .workloads()
        .filter((workload) => workload.namespace === namespace && selectorMatches(selector, workload.labels));
      if (selected.length > 0 && selected.every((workload) => isAmbient(namespace, workload.labels)))
        context.report(
          sidecar,
          IneffectivePolicy,
          ["spec", "workloadSelector"],
          "the workloads it selects are in ambient mode, where workloads have no sidecar",
        );
    }
  },
};
