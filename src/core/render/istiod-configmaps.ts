import type { KubeObject } from "../objects.js";
import { mergeChartValues } from "../operator/merge.js";
import { isMap, type JsonMap } from "../operator/types.js";
import { helmLabels } from "./labels.js";
import { istiodOwnerLabels, object, revisioned, value, type IstiodContext } from "./istiod-context.js";
import { meshConfig, meshNetworks } from "./mesh-config.js";
import { prettyJson, yamlText } from "./text-formats.js";
import { layeredChartValues } from "./values.js";

export interface InjectionSource {
  templates: Record<string, string>;
  defaultTemplates?: string[];
}

function configMapLabels(context: IstiodContext): Record<string, string> {
  return { ...istiodOwnerLabels(context), "app.kubernetes.io/name": "istiod", release: "istio", ...helmLabels("istiod") };
}

function configMap(context: IstiodContext, name: string, data: Record<string, string>, annotations?: Record<string, string>): KubeObject {
  return object(
    "v1",
    "ConfigMap",
    {
      name,
      namespace: context.namespace,
      labels: configMapLabels(context),
      ...(annotations ? { annotations } : {}),
    },
    { data },
  );
}

/** ConfigMap `istio[-rev]`: the mesh config; absent when values.pilot.configMap is false (remote). */
export function meshConfigMap(context: IstiodContext): KubeObject | undefined {
  if (value<boolean>(context, "pilot.configMap") === false) return undefined;
  return configMap(context, revisioned(context, "istio"), {
    mesh: yamlText(meshConfig(context)),
    meshNetworks: yamlText(meshNetworks(context)),
  });
}

/**
 * ConfigMap `istio-sidecar-injector[-rev]` read by istiod's injector (docs/design/injection.md §1.2–1.3): `config` with the
 * policy, selectors and templates; `values` with the slice of chart values templates read.
 */
export function injectorConfigMap(context: IstiodContext, injection: InjectionSource): KubeObject | undefined {
  if (value<boolean>(context, "global.omitSidecarInjectorConfigMap") === true) return undefined;
  const webhook = value<JsonMap>(context, "sidecarInjectorWebhook") ?? {};
  const userTemplates = isMap(webhook.templates) ? (webhook.templates as Record<string, string>) : {};
  const userDefaults = Array.isArray(webhook.defaultTemplates) ? (webhook.defaultTemplates as string[]) : [];
  const config = {
    defaultTemplates: userDefaults.length > 0 ? userDefaults : (injection.defaultTemplates ?? ["sidecar"]),
    policy: value<string>(context, "global.proxy.autoInject") || "enabled",
    alwaysInjectSelector: webhook.alwaysInjectSelector ?? [],
    neverInjectSelector: webhook.neverInjectSelector ?? [],
    // The chart writes the key with nothing under it when there are no annotations: YAML null.
    injectedAnnotations:
      isMap(webhook.injectedAnnotations) && Object.keys(webhook.injectedAnnotations).length > 0 ? webhook.injectedAnnotations : null,
    // Makes an istiod older than 1.9 (which only knows `template`) fail loudly instead of injecting garbage.
    template: "{{ Template_Version_And_Istio_Version_Mismatched_Check_Installation }}",
    templates: { ...injection.templates, ...userTemplates },
  };
  // The chart reads `cni` and `env` at its top level, where pilot's settings meet the IstioOperator's `values.cni`.
  const chartLayout = chartLayoutValues(context);
  const gateways = value<JsonMap>(context, "gateways") ?? {};
  const injectorValues: JsonMap = {
    gateways: pick(gateways, ["securityContext", "seccompProfile"]),
    global: value(context, "global"),
    pilot: pick(chartLayout, ["cni", "env"]),
    revision: context.revision,
    sidecarInjectorWebhook: webhook,
  };
  return configMap(context, revisioned(context, "istio-sidecar-injector"), {
    config: yamlText(config),
    values: prettyJson(injectorValues),
  });
}

/** ConfigMap `values[-rev]`: the values the chart was rendered with, for debugging and external tooling. */
export function valuesConfigMap(context: IstiodContext): KubeObject {
  return configMap(
    context,
    revisioned(context, "values"),
    { "merged-values": prettyJson(chartLayoutValues(context)), "original-values": prettyJson(context.passedValues) },
    {
      "kubernetes.io/description":
        "This ConfigMap contains the Helm values used during chart rendering. This ConfigMap is rendered for debugging purposes and external tooling; modifying these values has no effect.",
    },
  );
}

/**
 * The merged values in the istiod chart's own layout: its settings are top-level keys (mesh keeps them under
 * `pilot`), overridden by whatever `pilot` settings the profile and the IstioOperator passed, which also stay
 * under `pilot` as passed.
 */
function chartLayoutValues(context: IstiodContext): JsonMap {
  const { pilot, ...shared } = context.values;
  const { pilot: passedPilot, ...passedShared } = layeredChartValues({}, context.passedValues);
  // The chart's order: its own defaults (istiod's and shared alike) < the shared values passed (an IstioOperator's
  // `values.cni.provider` beats the chart's `cni.provider`) < the `pilot` values passed.
  const defaultsFirst = mergeChartValues(overlaid(shared, isMap(pilot) ? pilot : {}), passedShared);
  return {
    ...(overlaid(defaultsFirst, isMap(passedPilot) ? passedPilot : {}) as JsonMap),
    ...(isMap(passedPilot) ? { pilot: passedPilot } : {}),
  };
}

/** Maps merge key by key; anything else in the overlay replaces, even empty values. */
function overlaid(base: unknown, overlay: unknown): unknown {
  if (!isMap(base) || !isMap(overlay)) return overlay;
  const out: JsonMap = { ...base };
  for (const [key, value] of Object.entries(overlay)) out[key] = overlaid(base[key], value);
  return out;
}

function pick(source: JsonMap, keys: string[]): JsonMap {
  const out: JsonMap = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
