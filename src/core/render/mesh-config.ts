import { mergeOverlay } from "../operator/merge.js";
import { isMap, type JsonMap } from "../operator/types.js";
import { revisioned, value, type IstiodContext } from "./istiod-context.js";

/** The mesh config istiod reads from ConfigMap `istio` (docs/design/install.md §7.2.7): chart-computed fields, then values.meshConfig over them. */
export function meshConfig(context: IstiodContext): JsonMap {
  const user = value<JsonMap>(context, "meshConfig") ?? {};
  const defaultConfig: JsonMap = {};
  const meshID = value<string>(context, "global.meshID");
  if (meshID) defaultConfig.meshId = meshID;
  const variant = value<string>(context, "global.variant");
  if (variant) defaultConfig.image = { imageType: variant };
  const tracer = value<string>(context, "global.proxy.tracer");
  if (tracer && tracer !== "none") defaultConfig.tracing = tracingConfig(context, tracer);
  // With values.global.remotePilotAddress, proxies reach the remote istiod through the local `istiod` Service.
  const remoteName = value<boolean>(context, "istiodRemote.enabledLocalInjectorIstiod") === true ? "istiod-remote" : "istiod";
  const discoveryHost = value<string>(context, "global.remotePilotAddress") ? remoteName : revisioned(context, "istiod");
  defaultConfig.discoveryAddress = `${discoveryHost}.${context.namespace}.svc:15012`;
  const mesh: JsonMap = { trustDomain: "cluster.local", defaultConfig };
  if (value<boolean>(context, "telemetry.enabled") !== false && !isMap(user.defaultProviders))
    mesh.defaultProviders = { metrics: ["prometheus"] };
  mesh.rootNamespace = user.rootNamespace || context.istioNamespace;
  return mergeOverlay(mesh, user) as JsonMap;
}

function tracingConfig(context: IstiodContext, tracer: string): JsonMap {
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
          debug: settings.debug ?? false,
          maxNumberOfAttributes: 200,
          maxNumberOfAnnotations: 200,
          maxNumberOfMessageEvents: 200,
        },
      };
    default:
      return {};
  }
}

/** `networks: …` of data.meshNetworks. */
export function meshNetworks(context: IstiodContext): JsonMap {
  return { networks: value<JsonMap>(context, "global.meshNetworks") ?? {} };
}
