// The injected form of an ingress or egress gateway Deployment (values.gateways.<gw>.injectionTemplate set;
// docs/design/install.md §7.3): the gateway charts then render a minimal pod that asks istiod's webhook for the named
// injection template, which brings the proxy's image, arguments, environment, probes and volumes. The pod keeps only
// what is specific to the gateway: scheduling, ports, resources, its own env and its secret and config volumes.
// It is derived from the full Deployment so that both forms share every gateway setting they have in common.
import type { KubeObject } from "../objects.js";
import { isMap, type JsonMap } from "../operator/types.js";

type Container = JsonMap & { name: string };
type Named = JsonMap & { name: string };

export interface InjectedGatewaySettings {
  /** The injection template the pod asks for. */
  template: string;
  revision: string;
  runAsRoot: boolean;
  /** values.gateways.<gw>.env */
  env: unknown;
  /** values.gateways.<gw>.podAnnotations, which win over the injection annotations as in the chart. */
  podAnnotations: unknown;
  /** Names of the gateway's secretVolumes and configVolumes: the only volumes the injected pod declares itself. */
  ownVolumes: ReadonlySet<string>;
}

/** Turns the rendered gateway Deployment into the form the injection webhook completes. */
export function injectedGatewayDeployment(deployment: KubeObject, settings: InjectedGatewaySettings): KubeObject {
  const spec = deployment.spec as JsonMap;
  const template = spec.template as { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: JsonMap };
  const [proxy, ...additional] = template.spec.containers as Container[];
  const { ["istio.io/dataplane-mode"]: _ambientOptOut, ...labels } = deployment.metadata.labels ?? {};

  // Injection must see the pod: the webhook's object selector matches these labels; istio.io/rev only picks a
  // revision when there is one, or the default revision's selectors would no longer match.
  const { ["istio.io/dataplane-mode"]: _podOptOut, ["istio.io/rev"]: _rev, ...podLabels } = template.metadata.labels;
  const { ["istio.io/rev"]: _revAnnotation, ["sidecar.istio.io/inject"]: _inject, ...podAnnotations } = template.metadata.annotations;
  const { topologySpreadConstraints: _spread, ...podSpec } = template.spec;

  const own = (items: unknown): Named[] =>
    (Array.isArray(items) ? (items as Named[]) : []).filter((item) => settings.ownVolumes.has(item.name));
  const gatewayEnv = isMap(settings.env)
    ? Object.keys(settings.env)
        .sort()
        .map((name) => ({ name, value: String((settings.env as JsonMap)[name]) }))
    : [];
  const container: Container = {
    name: proxy!.name,
    // The webhook replaces `auto` with the proxy image of the revision that injects the pod.
    image: "auto",
    ...(proxy!.imagePullPolicy !== undefined ? { imagePullPolicy: proxy!.imagePullPolicy } : {}),
    ports: proxy!.ports,
    ...(settings.runAsRoot
      ? {}
      : {
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            privileged: false,
            readOnlyRootFilesystem: true,
          },
        }),
    resources: proxy!.resources,
    env: [...(settings.runAsRoot ? [] : [{ name: "ISTIO_META_UNPRIVILEGED_POD", value: "true" }]), ...gatewayEnv],
    volumeMounts: own(proxy!.volumeMounts),
  };
  return {
    ...deployment,
    metadata: { ...deployment.metadata, labels },
    spec: {
      ...spec,
      template: {
        metadata: {
          labels: {
            ...podLabels,
            "sidecar.istio.io/inject": "true",
            ...(settings.revision ? { "istio.io/rev": settings.revision } : {}),
          },
          annotations: {
            ...podAnnotations,
            "sidecar.istio.io/inject": "true",
            "inject.istio.io/templates": settings.template,
            ...(isMap(settings.podAnnotations) ? (settings.podAnnotations as Record<string, string>) : {}),
          },
        },
        spec: { ...podSpec, containers: [container, ...additional], volumes: own(podSpec.volumes) },
      },
    },
  };
}
