import { mergeOverlay } from "../operator/merge.js";
import type { JsonMap } from "../operator/types.js";
import { revisioned, value, type IstiodContext } from "./istiod-context.js";
import { helmTruthy, stringAt } from "./values.js";

/** The mesh config istiod reads from ConfigMap `istio` (docs/design/install.md §7.2.7): chart-computed fields, then values.meshConfig over them. */
export function meshConfig(context: IstiodContext): JsonMap {
  const user = value<JsonMap>(context, "meshConfig") ?? {};
  const defaultConfig: JsonMap = {};
  const meshID = value<string>(context, "global.meshID");
  if (meshID) defaultConfig.meshId = meshID;
  const variant = stringAt(context.values, "global.proxy.variant") || stringAt(context.values, "global.variant");
  if (variant) defaultConfig.image = { imageType: variant };
  // Any tracer but "none" writes a tracing section; one the chart does not know leaves it empty (null).
  const tracer = stringAt(context.values, "global.proxy.tracer");
  if (tracer !== "none") defaultConfig.tracing = tracingConfig(context, tracer);
  // With values.global.remotePilotAddress, proxies reach the remote istiod through the local `istiod` Service.
  const remoteName = value<boolean>(context, "istiodRemote.enabledLocalInjectorIstiod") === true ? "istiod-remote" : "istiod";
  const discoveryHost = value<string>(context, "global.remotePilotAddress") ? remoteName : revisioned(context, "istiod");
  defaultConfig.discoveryAddress = `${discoveryHost}.${context.namespace}.svc:15012`;
  const mesh: JsonMap = { trustDomain: "cluster.local", defaultConfig };
  const providers = defaultProviders(context, user);
  if (providers) mesh.defaultProviders = providers;
  mesh.rootNamespace = user.rootNamespace || context.istioNamespace;
  return mergeOverlay(mesh, user) as JsonMap;
}

/**
 * The telemetry providers telemetry.v2 turns on, unless meshConfig names its own: Prometheus metrics, and
 * Stackdriver metrics and access logs.
 */
function defaultProviders(context: IstiodContext, user: JsonMap): JsonMap | undefined {
  const v2 =
    !helmTruthy(user.defaultProviders) &&
    helmTruthy(value(context, "telemetry.enabled")) &&
    helmTruthy(value(context, "telemetry.v2.enabled"));
  const prometheus = v2 && helmTruthy(value(context, "telemetry.v2.prometheus.enabled"));
  const stackdriver = v2 && helmTruthy(value(context, "telemetry.v2.stackdriver.enabled"));
  if (!prometheus && !stackdriver) return undefined;
  return {
    metrics: [...(prometheus ? ["prometheus"] : []), ...(stackdriver ? ["stackdriver"] : [])],
    ...(stackdriver ? { accessLogging: ["stackdriver"] } : {}),
  };
}

function tracingConfig(context: IstiodContext, tracer: string): JsonMap | null {
  const settings = value<JsonMap>(context, `global.tracer.${tracer}`) ?? {};
  switch (tracer) {
    case "zipkin":
      return { zipkin: { address: settings.address || `zipkin.${context.istioNamespace}:9411` } };
    case "datadog":
      return { datadog: { address: settings.address || "$(HOST_IP):8126" } };
    case "lightstep":
      return { lightstep: { address: settings.address ?? "", accessToken: settings.accessToken ?? "" } };
    case "stackdriver":
      return {
        stackdriver: {
          // global.tracer.stackdriver.* are removed settings the chart refuses, so only its defaults remain.
          debug: false,
          maxNumberOfAttributes: 200,
          maxNumberOfAnnotations: 200,
          maxNumberOfMessageEvents: 200,
        },
      };
    default:
      return null;
  }
}

/** `networks: …` of data.meshNetworks. */
export function meshNetworks(context: IstiodContext): JsonMap {
  return { networks: value<JsonMap>(context, "global.meshNetworks") ?? {} };
}
