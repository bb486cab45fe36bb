/**
 * The stable channel (values.experimental.stableValidationPolicy, set by the `stable` profile): a
 * ValidatingAdmissionPolicy that refuses Istio configuration below beta — EnvoyFilter, WasmPlugin, ProxyConfig,
 * alpha Telemetry fields and trust-domain matches in AuthorizationPolicy — and the binding that enforces it.
 */
import type { KubeObject } from "../objects.js";
import { helmLabels, type ChartName } from "./labels.js";

const admissionApi = "admissionregistration.k8s.io/v1";

const kindVariables = ["EnvoyFilter", "WasmPlugin", "ProxyConfig", "Telemetry", "AuthorizationPolicy"].map((kind) => ({
  name: `is${kind}`,
  expression: `object.kind == '${kind}'`,
}));

const telemetryAlphaFields = [
  "!(",
  "  variables.isTelemetry && (",
  "    (has(object.spec.tracing) ? object.spec.tracing : {}).exists(t, has(t.useRequestIdForTraceSampling)) ||",
  "    (has(object.spec.metrics) ? object.spec.metrics : {}).exists(m, has(m.reportingInterval)) ||",
  "    (has(object.spec.accessLogging) ? object.spec.accessLogging : {}).exists(l, has(l.filter))",
  "  )",
  ")",
  "",
].join("\n");

const trustDomainMatches = [
  "!(",
  "  variables.isAuthorizationPolicy &&",
  "  has(object.spec.rules) &&",
  "  object.spec.rules.exists(r,",
  "    has(r.from) && r.from.exists(f,",
  "      has(f.source) && (has(f.source.trustDomains) || has(f.source.notTrustDomains))",
  "    )",
  "  )",
  ")",
  "",
].join("\n");

function policySpec(objectSelector: Record<string, unknown> | undefined) {
  return {
    failurePolicy: "Fail",
    matchConstraints: {
      resourceRules: [
        {
          apiGroups: ["security.istio.io", "networking.istio.io", "telemetry.istio.io", "extensions.istio.io"],
          apiVersions: ["*"],
          operations: ["CREATE", "UPDATE"],
          resources: ["*"],
        },
      ],
      ...(objectSelector ? { objectSelector } : {}),
    },
    variables: kindVariables,
    validations: [
      { expression: "!variables.isEnvoyFilter" },
      { expression: "!variables.isWasmPlugin" },
      { expression: "!variables.isProxyConfig" },
      { expression: telemetryAlphaFields },
      { expression: trustDomainMatches },
    ],
  };
}

function policyPair(policyName: string, bindingName: string, labels: Record<string, string>, spec: unknown): KubeObject[] {
  return [
    { apiVersion: admissionApi, kind: "ValidatingAdmissionPolicy", metadata: { name: policyName, labels }, spec },
    {
      apiVersion: admissionApi,
      kind: "ValidatingAdmissionPolicyBinding",
      metadata: { name: bindingName },
      spec: { policyName, validationActions: ["Deny"] },
    },
  ];
}

/** The istiod chart's policy: Istio config of this revision (`istio.io/rev` = revision or `default`). */
export function revisionStablePolicy(revision: string, istioNamespace: string): KubeObject[] {
  const suffix = `${revision ? `-${revision}` : ""}-${istioNamespace}.istio.io`;
  const selector = { matchExpressions: [{ key: "istio.io/rev", operator: "In", values: [revision || "default"] }] };
  return policyPair(
    `stable-channel-policy${suffix}`,
    `stable-channel-policy-binding${suffix}`,
    { "app.kubernetes.io/name": "istiod", ...helmLabels("istiod") },
    policySpec(selector),
  );
}

/** The base chart's policy for the default revision (values.defaultRevision set): all Istio config. */
export function defaultRevisionStablePolicy(defaultRevision: string): KubeObject[] {
  const chart: ChartName = "base";
  return policyPair(
    "stable-channel-default-policy.istio.io",
    "stable-channel-default-policy-binding.istio.io",
    { release: "istio", istio: "istiod", "istio.io/rev": defaultRevision, "app.kubernetes.io/name": "istiod", ...helmLabels(chart) },
    policySpec(undefined),
  );
}
