import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import { NoMatchingWorkloadsFound, ReferencedResourceNotFound } from "../messages.js";
import { labelsOf, record, records, selectorMatches, selectorString, specOf, texts } from "../values.js";

/**
 * An AuthorizationPolicy should apply to some workload (IST0127: its selector, or its namespace when it has none,
 * matches no pod; a selector in the root namespace may match anywhere), and the namespaces its rules name should
 * exist (IST0101 namespace). The first runs for namespaces whose workloads are among the inputs, the second when Namespaces are.
 */
export const authorizationPolicies: Analyzer = {
  name: "auth.AuthorizationPoliciesAnalyzer",
  description: "Checks the validity of authorization policies",
  codes: [NoMatchingWorkloadsFound.code, ReferencedResourceNotFound.code],
  inputs: ["MeshConfig", "security.istio.io/AuthorizationPolicy", "Namespace", "Pod"],
  analyze(context) {
    const namespaces = context.of("Namespace").map((namespace) => namespace.identity.name ?? "");
    for (const policy of context.of("security.istio.io/AuthorizationPolicy")) {
      const spec = specOf(policy.object);
      const namespace = namespaceOf(policy);
      const targeted = spec.targetRef !== undefined || records(spec.targetRefs).length > 0;
      const rootNamespace = namespace === context.mesh.rootNamespace;
      const workloadsKnown = rootNamespace ? context.workloadsKnown() : context.workloadsKnownIn(namespace);
      if (workloadsKnown && !targeted) {
        const hasSelector = spec.selector !== undefined && spec.selector !== null;
        const selector = labelsOf(record(spec.selector).matchLabels);
        const workloads = context.workloads();
        if (rootNamespace) {
          if (hasSelector && !workloads.some((workload) => selectorMatches(selector, workload.labels)))
            context.report(policy, NoMatchingWorkloadsFound, ["spec", "selector"], selectorString(selector));
        } else if (!hasSelector) {
          if (!workloads.some((workload) => workload.namespace === namespace))
            context.report(policy, NoMatchingWorkloadsFound, ["metadata", "name"], "");
        } else if (!workloads.some((workload) => workload.namespace === namespace && selectorMatches(selector, workload.labels))) {
          context.report(policy, NoMatchingWorkloadsFound, ["spec", "selector"], selectorString(selector));
        }
      }
      if (!context.known("Namespace")) continue;
      records(spec.rules).forEach((rule, ruleIndex) =>
        records(rule.from).forEach((from, fromIndex) => {
          const source = record(from.source);
          for (const field of ["namespaces", "notNamespaces"] as const)
            texts(source[field]).forEach((pattern, index) => {
              if (namespaces.some((name) => namespaceMatches(name, pattern))) return;
              context.report(
                policy,
                ReferencedResourceNotFound,
                ["spec", "rules", ruleIndex, "from", fromIndex, "source", field, index],
                "namespace",
                pattern,
              );
            });
        }),
      );
    }
  },
};

/** `*`, `prefix*`, `*suffix` or an exact name (case-insensitive), as Istio matches namespaces in policies. */
function namespaceMatches(name: string, pattern: string): boolean {
  if (pattern === "*") return true;
  if (pattern.startsWith("*")) return name.endsWith(pattern.slice(1));
  if (pattern.endsWith("*")) return name.startsWith(pattern.slice(0, -1));
  return name.toLowerCase() === pattern.toLowerCase();
}
