import type { KubeObject } from "../objects.js";
import { valueAt } from "../operator/merge.js";
import type { JsonMap } from "../operator/types.js";
import { istioCustomResourceDefinitions } from "./crd-source.js";
import { legacyLabelledCrd } from "./labels.js";
import { readerRbacEnabled } from "./istiod-rbac.js";
import { baseDefaultValidator } from "./revision-tags.js";
import { defaultRevisionStablePolicy } from "./stable-policy.js";
import { helmLabels } from "./labels.js";
import { layeredChartValues, stringAt } from "./values.js";

/** The base chart's own defaults for what its templates read beyond the CRDs. */
function baseChartDefaults(): JsonMap {
  return {
    defaultRevision: "default",
    experimental: { stableValidationPolicy: false },
    base: { enableCRDTemplates: true, validationURL: "", validationCABundle: "", validationFailurePolicy: "" },
    global: { istioNamespace: "istio-system" },
  };
}

/**
 * The base component (docs/design/install.md §7.1): the Istio CRDs, labelled with the chart's five labels only, and the
 * reader ServiceAccount. values.base.excludedCRDs drops CRDs by name. A non-empty values.defaultRevision adds
 * the cluster-wide validator `istiod-default-validator` (and, on the stable channel, the default policy).
 */
export function renderBase(values: JsonMap, releaseCrds?: readonly KubeObject[]): KubeObject[] {
  const excluded = new Set((valueAt(values, "base.excludedCRDs") as string[] | undefined) ?? []);
  const chart = layeredChartValues(baseChartDefaults(), values);
  // enableCRDTemplates=false ships the CRD file as it is: its own labels, and every CRD (excludedCRDs applies to templates only).
  const templated = valueAt(chart, "base.enableCRDTemplates") !== false;
  // values.base.enableIstioConfigCRDs=false drops only a chart's crds/ directory, which the base chart no longer has:
  // its CRDs are templates, so istioctl renders them all the same (generate warns).
  const crds = templated
    ? istioCustomResourceDefinitions(releaseCrds).filter((crd) => !excluded.has(crd.metadata.name ?? ""))
    : releaseCrds
      ? releaseCrds.map((crd) => structuredClone<KubeObject>(crd))
      : istioCustomResourceDefinitions().map(legacyLabelledCrd);
  // The default profile's `defaultRevision: ""` turns the chart's "default" off (docs/design/install.md §7.1).
  const defaultRevision = typeof values.defaultRevision === "string" ? values.defaultRevision : stringAt(chart, "defaultRevision");
  return [...crds, ...readerAccount(values), ...defaultRevisionObjects(chart, defaultRevision)];
}

function defaultRevisionObjects(chart: JsonMap, defaultRevision: string): KubeObject[] {
  if (!defaultRevision) return [];
  const validator = baseDefaultValidator({
    revision: defaultRevision,
    istioNamespace: stringAt(chart, "global.istioNamespace", "istio-system"),
    url: stringAt(chart, "base.validationURL"),
    caBundle: stringAt(chart, "base.validationCABundle"),
    failurePolicy: stringAt(chart, "base.validationFailurePolicy"),
  });
  const stable = valueAt(chart, "experimental.stableValidationPolicy") === true ? defaultRevisionStablePolicy(defaultRevision) : [];
  return [validator, ...stable];
}

function readerAccount(values: JsonMap): KubeObject[] {
  if (!readerRbacEnabled({ values })) return [];
  const istioNamespace = stringAt(values, "global.istioNamespace", "istio-system");
  const pullSecrets = (valueAt(values, "global.imagePullSecrets") as string[] | undefined) ?? [];
  return [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        name: "istio-reader-service-account",
        namespace: istioNamespace,
        labels: { app: "istio-reader", "app.kubernetes.io/name": "istio-reader", release: "istio", ...helmLabels("base") },
      },
      ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
    },
  ];
}
