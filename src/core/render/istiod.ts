import type { KubeObject } from "../objects.js";
import { injectionSource } from "./injection-source.js";
import { value, type IstiodContext } from "./istiod-context.js";
import { injectorConfigMap, meshConfigMap, valuesConfigMap } from "./istiod-configmaps.js";
import { istiodRbac } from "./istiod-rbac.js";
import { configValidationWebhook, sidecarInjectorWebhook } from "./istiod-webhooks.js";
import { autoscaled, istiodAutoscaler, istiodDeployment, istiodDisruptionBudget, istiodService } from "./istiod-workload.js";
import { stringAt } from "./values.js";

export interface IstiodImage {
  hub: string;
  tag: string;
}

/** Everything the istiod chart renders for an install with istiod in the cluster (docs/design/install.md §7.2). */
export function renderIstiod(context: IstiodContext, image: IstiodImage): KubeObject[] {
  if (value(context, "istiodRemote.enabled") === true) return renderRemoteIstiod(context);
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

/**
 * Remote mode (values.istiodRemote.enabled, the remote profile): istiod runs elsewhere; this cluster gets the
 * reader RBAC, the values ConfigMap and the injection webhook (plus istiod's account, RBAC and validation
 * webhook when it is the config cluster, and the injector ConfigMap unless omitted).
 */
function renderRemoteIstiod(context: IstiodContext): KubeObject[] {
  const configCluster = value(context, "global.configCluster") === true;
  const rbac = istiodRbac(context).filter((object) => configCluster || object.metadata.name?.startsWith("istio-reader-clusterrole"));
  const omitInjector = value(context, "global.omitSidecarInjectorConfigMap") === true;
  const objects: (KubeObject | undefined)[] = [
    ...rbac,
    configCluster ? configValidationWebhook(context) : undefined,
    value(context, "pilot.configMap") === false ? undefined : meshConfigMap(context),
    omitInjector ? undefined : injectorConfigMap(context, injectionSource()),
    valuesConfigMap(context),
    sidecarInjectorWebhook(context),
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
