import type { FieldPath } from "../findings.js";
import type { ConvertContext, Emitted } from "./context.js";
import { isValidHostname, serviceHostStrict } from "./hosts.js";
import type { InputObject } from "./input.js";
import { hasKey, recordOf, stringOf, type PlainRecord } from "./plain-data.js";

const noEquivalent = ["connectionPool", "outlierDetection", "portLevelSettings", "proxyProtocol", "tunnel", "retryBudget"];

/** DestinationRules are context; only TLS origination becomes a BackendTLSPolicy, in `full` (docs/design/convert.md §9). */
export function convertDestinationRules(rules: readonly InputObject[], context: ConvertContext): Emitted[] {
  const emitted: Emitted[] = [];
  for (const rule of rules) {
    const policy = recordOf(rule.spec.trafficPolicy);
    if (!policy) continue;
    const at: FieldPath = ["spec", "trafficPolicy"];
    for (const field of noEquivalent) {
      if (hasKey(policy, field))
        context.notes.warning("CONV501", `trafficPolicy.${field} has no Gateway API equivalent: not converted`, rule.source, [
          ...at,
          field,
        ]);
    }
    const loadBalancer = recordOf(policy.loadBalancer);
    if (loadBalancer) {
      const cookie = recordOf(recordOf(loadBalancer.consistentHash)?.httpCookie);
      if (cookie && context.full && context.options.experimental) {
        context.notes.info(
          "CONV501",
          "cookie affinity becomes sessionPersistence on the route rules that send traffic to this host",
          rule.source,
          [...at, "loadBalancer"],
        );
      } else {
        context.notes.warning(
          "CONV501",
          cookie
            ? "cookie affinity (consistentHash.httpCookie) is not converted; set sessionPersistence on the routes (experimental channel, --experimental)"
            : "trafficPolicy.loadBalancer has no Gateway API equivalent: not converted",
          rule.source,
          [...at, "loadBalancer"],
        );
      }
    }
    const tls = recordOf(policy.tls);
    if (tls) {
      const policyObject = backendTlsPolicy(rule, tls, [...at, "tls"], context);
      if (policyObject) emitted.push(policyObject);
    }
  }
  return emitted;
}

function backendTlsPolicy(rule: InputObject, tls: PlainRecord, at: FieldPath, context: ConvertContext): Emitted | undefined {
  const { notes, full } = context;
  const mode = (stringOf(tls.mode) ?? "DISABLE").toUpperCase();
  if (mode === "ISTIO_MUTUAL" || mode === "DISABLE") {
    notes.info("CONV501", `tls.mode ${mode} needs no Gateway API object (Istio applies mesh mTLS itself)`, rule.source, [...at, "mode"]);
    return undefined;
  }
  if (mode === "MUTUAL") {
    notes.warning(
      "CONV501",
      "tls.mode MUTUAL: client certificates for backends belong in the Gateway's spec.tls.backend; not converted",
      rule.source,
      [...at, "mode"],
    );
    return undefined;
  }
  if (mode !== "SIMPLE") return undefined;
  if (!full) {
    notes.warning(
      "CONV501",
      "TLS origination (tls.mode SIMPLE) is not converted; create a BackendTLSPolicy (or use --profile full)",
      rule.source,
      [...at, "mode"],
    );
    return undefined;
  }
  const host = (stringOf(rule.spec.host) ?? "").toLowerCase();
  const service = serviceHostStrict(host, rule.namespace, context.options.clusterDomain);
  if (!service) {
    notes.warning(
      "CONV501",
      `host "${host}" is not a Kubernetes Service: BackendTLSPolicy targets Services only; not converted`,
      rule.source,
      ["spec", "host"],
    );
    return undefined;
  }
  if (hasKey(tls, "caCertificates") || hasKey(tls, "credentialName")) {
    notes.warning(
      "CONV501",
      "TLS origination with a private CA is not converted: put the CA in a ConfigMap and create a BackendTLSPolicy with validation.caCertificateRefs",
      rule.source,
      at,
    );
    return undefined;
  }
  const hostname = (
    stringOf(tls.sni) ?? (host.includes(".") ? host : `${service.name}.${service.namespace}.svc.${context.options.clusterDomain}`)
  ).toLowerCase();
  if (!isValidHostname(hostname) || hostname.startsWith("*")) {
    notes.warning("CONV501", `"${hostname}" is not a valid validation.hostname: BackendTLSPolicy not generated`, rule.source, [
      ...at,
      "sni",
    ]);
    return undefined;
  }
  if (hasKey(tls, "subjectAltNames"))
    notes.warning("CONV501", "tls.subjectAltNames are not converted", rule.source, [...at, "subjectAltNames"]);
  return {
    object: {
      apiVersion: context.apiVersions.BackendTLSPolicy,
      kind: "BackendTLSPolicy",
      metadata: { name: rule.name, namespace: service.namespace },
      spec: {
        targetRefs: [{ group: "", kind: "Service", name: service.name }],
        validation: { hostname, wellKnownCACertificates: "System" },
      },
    },
    from: rule,
  };
}
