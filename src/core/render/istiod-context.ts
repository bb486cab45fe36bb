import type { JsonMap } from "../operator/types.js";
import { valueAt } from "../operator/merge.js";
import type { KubeObject } from "../objects.js";
import { helmLabels, operatorLabels } from "./labels.js";
import { stringAt } from "./values.js";

/** What every istiod-chart renderer needs: merged chart values and the names derived from them. */
export interface IstiodContext {
  /** Merged chart values (defaults < chart profile < IstioOperator values). */
  values: JsonMap;
  /** The values istioctl passed to the chart, before chart defaults (the `values` ConfigMap shows them). */
  passedValues: JsonMap;
  /** The component's namespace (Helm's release namespace). */
  namespace: string;
  /** values.global.istioNamespace: where the service accounts and namespaced RBAC live. */
  istioNamespace: string;
  /** "" for the default revision. */
  revision: string;
}

export function value<T = unknown>(context: { values: JsonMap }, path: string): T {
  return valueAt(context.values, path) as T;
}

/** `istiod` or `istiod-<rev>` */
export function revisioned(context: IstiodContext, name: string): string {
  return context.revision ? `${name}-${context.revision}` : name;
}

/** Cluster-scoped names: `<name>[-<rev>]-<namespace>`. */
export function clusterScopedName(context: IstiodContext, name: string): string {
  return `${revisioned(context, name)}-${context.namespace}`;
}

export function istiodOwnerLabels(context: IstiodContext): Record<string, string> {
  return operatorLabels("Pilot", context.revision, stringAt(context.values, "ownerName"));
}

/** Labels of istiod's ServiceAccount, RBAC objects (`app` istiod or istio-reader). */
export function rbacLabels(app: "istiod" | "istio-reader"): Record<string, string> {
  return { app, "app.kubernetes.io/name": app, release: "istio", ...helmLabels("istiod") };
}

export function object(apiVersion: string, kind: string, metadata: KubeObject["metadata"], body: Record<string, unknown>): KubeObject {
  return { apiVersion, kind, metadata, ...body };
}
