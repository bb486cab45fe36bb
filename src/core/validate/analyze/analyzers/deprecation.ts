import type { Analyzer } from "../analyzer.js";
import { Deprecated } from "../messages.js";
import { record, records, specOf, text } from "../values.js";

const removedKinds = new Set(["ClusterRbacConfig", "RbacConfig", "ServiceRole", "ServiceRoleBinding"]);

/** Deprecated or ignored fields and removed Istio types (IST0002). */
export const deprecation: Analyzer = {
  name: "deprecation.DeprecationAnalyzer",
  description: "Checks for deprecated Istio types and fields",
  codes: [Deprecated.code],
  inputs: ["networking.istio.io/VirtualService", "networking.istio.io/Sidecar", "apiextensions.k8s.io/CustomResourceDefinition"],
  analyze(context) {
    for (const vs of context.of("networking.istio.io/VirtualService"))
      records(specOf(vs.object).http).forEach((rule, index) => {
        const percent = record(record(rule.fault).delay).percent;
        if (typeof percent === "number" && percent > 0)
          context.report(
            vs,
            Deprecated,
            ["spec", "http", index, "fault", "delay", "percent"],
            "HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage",
          );
      });
    for (const sidecar of context.of("networking.istio.io/Sidecar")) {
      const policy = record(specOf(sidecar.object).outboundTrafficPolicy);
      if (policy.egressProxy !== undefined && policy.egressProxy !== null)
        context.report(sidecar, Deprecated, ["spec", "outboundTrafficPolicy", "egressProxy"], "OutboundTrafficPolicy.EgressProxy ignored");
    }
    for (const crd of context.of("apiextensions.k8s.io/CustomResourceDefinition")) {
      const spec = specOf(crd.object);
      const kind = text(record(spec.names).kind) ?? "";
      if (spec.group === "rbac.istio.io" && removedKinds.has(kind))
        context.report(crd, Deprecated, ["spec", "names", "kind"], `Custom resource type rbac.istio.io ${kind} is removed`);
    }
  },
};
