import type { KubeObject } from "../objects.js";
import { valueAt } from "../operator/merge.js";
import type { JsonMap } from "../operator/types.js";
import { istioCustomResourceDefinitions } from "./crd-source.js";
import { helmLabels } from "./labels.js";
import { readerRbacEnabled } from "./istiod-rbac.js";
import { scalarText } from "../json.js";

/**
 * The base component (docs/design/install.md §7.1): the Istio CRDs, labelled with the chart's five labels only, and the
 * reader ServiceAccount. values.base.excludedCRDs drops CRDs by name.
 */
export function renderBase(values: JsonMap): KubeObject[] {
  const excluded = new Set((valueAt(values, "base.excludedCRDs") as string[] | undefined) ?? []);
  const crds =
    valueAt(values, "base.enableIstioConfigCRDs") === false
      ? []
      : istioCustomResourceDefinitions().filter((crd) => !excluded.has(crd.metadata.name ?? ""));
  return [...crds, ...readerAccount(values)];
}

function readerAccount(values: JsonMap): KubeObject[] {
  if (!readerRbacEnabled({ values })) return [];
  const istioNamespace = scalarText(valueAt(values, "global.istioNamespace") || "istio-system");
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
