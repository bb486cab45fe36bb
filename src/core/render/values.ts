import { InputError } from "../errors.js";
import { clone, mergeChartValues, mergeOverlay, valueAt } from "../operator/merge.js";
import { isMap, type IstioOperator, type JsonMap } from "../operator/types.js";
import { chartProfileValues, istiodDefaults, platformProfileValues } from "./chart-defaults.js";
import { scalarText } from "../json.js";

/**
 * istioctl's translation of the IstioOperator into chart values (docs/design/install.md §1, steps 7–10): hub, tag,
 * revision, compatibilityVersion and meshConfig move under `values`, the user's own `values` are
 * re-applied on top, then `unvalidatedValues` are merged in.
 */
export function operatorValues(operator: IstioOperator, user: IstioOperator): JsonMap {
  const spec = operator.spec ?? {};
  const values = clone(isMap(spec.values) ? spec.values : {}) as JsonMap;
  const global = ensureMap(values, "global");
  if (typeof spec.hub === "string" && spec.hub !== "") global.hub = spec.hub;
  // istioctl moves spec.tag as a string; a number written as values.global.tag stays a number (as in original-values).
  if (spec.tag !== undefined && spec.tag !== "") global.tag = scalarText(spec.tag);
  if (typeof spec.revision === "string" && spec.revision !== "" && spec.revision !== "default") values.revision = spec.revision;
  if (typeof spec.compatibilityVersion === "string" && spec.compatibilityVersion !== "")
    values.compatibilityVersion = spec.compatibilityVersion;
  if (isMap(spec.meshConfig)) values.meshConfig = mergeOverlay(values.meshConfig, spec.meshConfig);
  ensureMap(values, "pilot").enabled = spec.components?.pilot?.enabled !== false;
  ensureMap(ensureMap(values, "pilot"), "cni").enabled = isEnabledOptional(spec.components?.cni);
  const userValues = user.spec?.values;
  const relayered = isMap(userValues) ? (mergeOverlay(values, userValues) as JsonMap) : values;
  return isMap(spec.unvalidatedValues) ? (mergeOverlay(relayered, spec.unvalidatedValues) as JsonMap) : relayered;
}

export function isEnabledOptional(component: unknown): boolean {
  return isMap(component) && component.enabled !== false;
}

function ensureMap(parent: JsonMap, key: string): JsonMap {
  if (!isMap(parent[key])) parent[key] = {};
  return parent[key] as JsonMap;
}

/** Chart defaults < chart profile (values.profile) < the IstioOperator values (docs/design/install.md §1.1). */
export function layeredChartValues(defaults: JsonMap, iopValues: JsonMap): JsonMap {
  const profileName = typeof iopValues.profile === "string" ? iopValues.profile : "";
  const profile = chartProfileValues(profileName);
  if (!profile)
    throw new InputError(`unknown profile "${profileName}" in values.profile`, { hint: "use demo, ambient, remote, preview or stable" });
  const platform = typeof valueAt(iopValues, "global.platform") === "string" ? (valueAt(iopValues, "global.platform") as string) : "";
  if (platform !== "" && !["gke", "k3d", "k3s", "microk8s", "minikube", "openshift"].includes(platform))
    throw new InputError(`unknown platform "${platform}" in values.global.platform`);
  const compatibility = compatibilityValues(typeof iopValues.compatibilityVersion === "string" ? iopValues.compatibilityVersion : "");
  const layered = mergeChartValues(mergeChartValues(mergeChartValues(defaults, profile), compatibility), platformProfileValues(platform));
  return mergeChartValues(layered, iopValues) as JsonMap;
}

/**
 * Compatibility profiles (values.compatibilityVersion) restore the defaults of an older release: each lists
 * what changed in the releases after it. Versions before 1.25 have no profile in Istio 1.30 and are refused.
 */
function compatibilityValues(version: string): JsonMap {
  const pickBest = { PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE: "false" };
  const since129 = { DISABLE_TRACK_REMAINING_CB_METRICS: "false", ...pickBest };
  const since128 = { DISABLE_SHADOW_HOST_SUFFIX: "false", PILOT_SPAWN_UPSTREAM_SPAN_FOR_GATEWAY: "false", ...since129 };
  const iptablesReconcile = { cni: { ambient: { reconcileIptablesOnStartup: false } } };
  switch (version) {
    case "":
    case "1.30":
      return {};
    case "1.29":
      return { pilot: { env: pickBest } };
    case "1.28":
      return { pilot: { env: since129 }, ...iptablesReconcile };
    case "1.27":
      return { pilot: { env: since128 }, ...iptablesReconcile };
    case "1.26":
      return { pilot: { env: { ENABLE_NATIVE_SIDECARS: "false", ...since128 } }, ...iptablesReconcile };
    case "1.25":
      return {
        pilot: { env: { ENABLE_NATIVE_SIDECARS: "false", ...since128 } },
        ...iptablesReconcile,
        ambient: { shareHostNetworkNamespace: true },
      };
    default:
      throw new InputError(`compatibility version "${version}" is not supported by Istio 1.30`, {
        hint: "supported: 1.25, 1.26, 1.27, 1.28, 1.29, 1.30",
      });
  }
}

export function istiodChartValues(iopValues: JsonMap): JsonMap {
  const defaults = istiodDefaults();
  // A platform's top-level keys are istiod's own settings, which mesh keeps under `pilot` with their defaults.
  const platform = platformProfileValues(stringAt(iopValues, "global.platform"));
  if (typeof platform.trustedZtunnelNamespace === "string")
    (defaults.pilot as JsonMap).trustedZtunnelNamespace = platform.trustedZtunnelNamespace;
  const values = layeredChartValues(defaults, iopValues);
  // A chart profile may set one of istiod's own settings at the chart's top level, where the chart keeps them; mesh
  // keeps them under `pilot`, below what the IstioOperator passes there.
  const pilot = values.pilot as JsonMap;
  const passedPilot = isMap(iopValues.pilot) ? iopValues.pilot : {};
  const profile = chartProfileValues(typeof iopValues.profile === "string" ? iopValues.profile : "") ?? {};
  for (const key of Object.keys(profile)) {
    if (!(key in (defaults.pilot as JsonMap)) || key in sharedChartKeys) continue;
    if (!(key in passedPilot)) pilot[key] = values[key];
    delete values[key];
  }
  return values;
}

/** Top-level keys the istiod chart shares with the IstioOperator's own values (never istiod's own). */
const sharedChartKeys: Record<string, true> = { cni: true };

/** `<hub>/<image>:<tag>[-variant]`, or the image itself when it already names a repository. */
export function imageName(image: string, hub: string, tag: string, variant: string): string {
  if (image.includes("/")) return image;
  return `${hub}/${image}:${tag}${variant ? `-${variant}` : ""}`;
}

export function stringAt(values: unknown, path: string, fallback = ""): string {
  const value = valueAt(values, path);
  if (value === undefined || value === null || value === "") return fallback;
  return scalarText(value);
}

/** Helm's truthiness, for a value a chart tests with `if`: false, 0, "", null and empty lists and maps are false. */
export function helmTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return true;
}
