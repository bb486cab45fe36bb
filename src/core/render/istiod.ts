import type { KubeObject } from "../objects.js";
import type { JsonMap } from "../operator/types.js";
import { injectionSource } from "./injection-source.js";
import type { IstiodContext } from "./istiod-context.js";
import { injectorConfigMap, meshConfigMap, valuesConfigMap } from "./istiod-configmaps.js";
import { istiodRbac } from "./istiod-rbac.js";
import { configValidationWebhook, sidecarInjectorWebhook } from "./istiod-webhooks.js";
import { autoscaled, istiodAutoscaler, istiodDeployment, istiodDisruptionBudget, istiodService } from "./istiod-workload.js";
import { stringAt } from "./values.js";

export interface IstiodImage {
  hub: string;
  tag: string;
}

/** Everything the istiod chart renders for an install with istiod in the cluster (install.md §7.2). */
export function renderIstiod(context: IstiodContext, image: IstiodImage): KubeObject[] {
  if (context.values.istiodRemote && (context.values.istiodRemote as JsonMap).enabled === true)
    throw new Error("renderIstiod: remote mode is rendered by its own renderer");
  const objects: (KubeObject | undefined)[] = [
    ...istiodRbac(context),
    configValidationWebhook(context),
    meshConfigMap(context),
    injectorConfigMap(context, injectionSource()),
    valuesConfigMap(context),
    sidecarInjectorWebhook(context),
    istiodDeployment(context, image.hub, image.tag),
    istiodAutoscaler(context),
    istiodDisruptionBudget(context),
    istiodService(context),
  ];
  return objects.filter((object): object is KubeObject => object !== undefined);
}

export function istiodAutoscaled(context: IstiodContext): boolean {
  return autoscaled(context);
}

export function istiodImage(context: IstiodContext, component: { hub?: string; tag?: string | number } | undefined): IstiodImage {
  return {
    hub: component?.hub || stringAt(context.values, "pilot.hub") || stringAt(context.values, "global.hub"),
    tag: String(component?.tag ?? "") || stringAt(context.values, "pilot.tag") || stringAt(context.values, "global.tag"),
  };
}
