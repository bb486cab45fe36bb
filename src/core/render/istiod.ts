import type { KubeObject } from "../objects.js";
import { isMap } from "../operator/types.js";
import { helmLabels } from "./labels.js";
import { emitYaml as yamlText } from "../documents/yaml-emitter.js";
import { injectionSource } from "./injection-source.js";
import { istiodOwnerLabels, object, revisioned, value, type IstiodContext } from "./istiod-context.js";
import { injectorConfigMap, meshConfigMap, valuesConfigMap } from "./istiod-configmaps.js";
import { istiodRbac } from "./istiod-rbac.js";
import { configValidationWebhook, sidecarInjectorWebhook } from "./istiod-webhooks.js";
import { autoscaled, istiodAutoscaler, istiodDeployment, istiodDisruptionBudget, istiodService } from "./istiod-workload.js";
import { istiodNetworkPolicy, networkPolicyEnabled } from "./network-policy.js";
import { remoteIstiodEndpoints } from "./remote-istiod.js";
import { revisionTagObjects } from "./revision-tags.js";
import { revisionStablePolicy } from "./stable-policy.js";
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
    jwksExtraCertificates(context),
    ...gatewayClassDefaults(context),
    ...optionalIstiodObjects(context),
    ...stablePolicy(context),
  ];
  return objects.filter((object): object is KubeObject => object !== undefined);
}

/** Objects the istiod chart adds in local and remote mode alike: NetworkPolicy and revision tags. */
function optionalIstiodObjects(context: IstiodContext): KubeObject[] {
  return [
    ...(networkPolicyEnabled(context.values)
      ? [istiodNetworkPolicy(context.namespace, context.revision, stringAt(context.values, "ownerName"))]
      : []),
    ...revisionTagObjects(context),
  ];
}

/** values.experimental.stableValidationPolicy, except on a remote cluster that is not the config cluster. */
function stablePolicy(context: IstiodContext): KubeObject[] {
  if (value(context, "experimental.stableValidationPolicy") !== true) return [];
  return revisionStablePolicy(context.revision, context.istioNamespace);
}

/** ConfigMap `pilot-jwks-extra-cacerts[-rev]`: extra roots istiod trusts when fetching JWKS (values.pilot.jwksResolverExtraRootCA). */
function jwksExtraCertificates(context: IstiodContext): KubeObject | undefined {
  const pem = value<string>(context, "pilot.jwksResolverExtraRootCA");
  if (!pem) return undefined;
  return object(
    "v1",
    "ConfigMap",
    {
      name: revisioned(context, "pilot-jwks-extra-cacerts"),
      namespace: context.namespace,
      labels: { release: "istio", ...istiodOwnerLabels(context), "app.kubernetes.io/name": "istiod", ...helmLabels("istiod") },
    },
    { data: { "extra.pem": pem } },
  );
}

/** ConfigMaps `istio-<rev>-gatewayclass-<class>`: per-GatewayClass defaults for the deployments istiod creates (values.gatewayClasses). */
function gatewayClassDefaults(context: IstiodContext): KubeObject[] {
  const classes = value<Record<string, unknown>>(context, "gatewayClasses") ?? {};
  return Object.keys(classes)
    .sort()
    .map((name) => {
      const overlays = isMap(classes[name]) ? classes[name] : {};
      const data: Record<string, string> = {};
      for (const kind of Object.keys(overlays).sort()) data[kind] = `${yamlText(overlays[kind]).trimEnd()}\n`;
      return object(
        "v1",
        "ConfigMap",
        {
          name: `istio-${context.revision || "default"}-gatewayclass-${name}`,
          namespace: context.namespace,
          labels: {
            ...istiodOwnerLabels(context),
            release: "istio",
            "app.kubernetes.io/name": "istiod",
            "gateway.istio.io/defaults-for-class": name,
            ...helmLabels("istiod"),
          },
        },
        { data },
      );
    });
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
    ...optionalIstiodObjects(context),
    ...remoteIstiodEndpoints(context),
    ...(configCluster ? stablePolicy(context) : []),
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
