import type { JsonMap } from "../operator/types.js";

/**
 * Chart defaults mesh renders from (the values istioctl 1.30.3 starts each chart with), written as data.
 * Only what mesh's renderers or the injector's `data.values` read is listed.
 */
const resources = (cpu: string, memory: string, limits = true): JsonMap => ({
  requests: { cpu, memory },
  ...(limits ? { limits: { cpu: "2000m", memory: "1024Mi" } } : {}),
});

export function globalDefaults(): JsonMap {
  return {
    istioNamespace: "istio-system",
    certSigners: [],
    defaultPodDisruptionBudget: { enabled: true },
    defaultResources: { requests: { cpu: "10m" } },
    hub: "docker.io/istio",
    tag: "1.30.3",
    variant: "",
    imagePullPolicy: "",
    imagePullSecrets: [],
    istiod: { enableAnalysis: false },
    logAsJson: false,
    logging: { level: "default:info" },
    omitSidecarInjectorConfigMap: false,
    operatorManageWebhooks: false,
    priorityClassName: "",
    proxy: {
      image: "proxyv2",
      autoInject: "enabled",
      clusterDomain: "cluster.local",
      componentLogLevel: "misc:error",
      excludeInboundPorts: "",
      includeInboundPorts: "*",
      includeIPRanges: "*",
      excludeIPRanges: "",
      includeOutboundPorts: "",
      excludeOutboundPorts: "",
      logLevel: "warning",
      outlierLogPath: "",
      privileged: false,
      readinessFailureThreshold: 4,
      readinessInitialDelaySeconds: 0,
      readinessPeriodSeconds: 15,
      startupProbe: { enabled: true, failureThreshold: 600 },
      resources: resources("100m", "128Mi"),
      statusPort: 15020,
      tracer: "none",
    },
    proxy_init: { image: "proxyv2", forceApplyIptables: false },
    remotePilotAddress: "",
    caAddress: "",
    externalIstiod: false,
    configCluster: false,
    configValidation: true,
    meshID: "",
    meshNetworks: {},
    mountMtlsCerts: false,
    multiCluster: { clusterName: "" },
    network: "",
    pilotCertProvider: "istiod",
    sds: { token: { aud: "istio-ca" } },
    sts: { servicePort: 0 },
    caName: "",
    waypoint: {
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "2", memory: "1Gi" } },
      affinity: {},
      topologySpreadConstraints: [],
      nodeSelector: {},
      tolerations: [],
    },
    platform: "",
    networkPolicy: { enabled: false },
    nativeNftables: false,
    resourceScope: "all",
    trustBundleName: "",
  };
}

/** The istiod chart's `global`: it has no platform or trustBundleName default, and a proxy seccompProfile. */
function istiodGlobalDefaults(): JsonMap {
  const { platform: _platform, trustBundleName: _trustBundleName, ...global } = globalDefaults();
  return { ...global, proxy: { ...(global.proxy as JsonMap), seccompProfile: {} } };
}

/** The istiod chart: pilot settings, injector webhook, telemetry, mesh config. */
export function istiodDefaults(): JsonMap {
  return {
    pilot: {
      autoscaleEnabled: true,
      autoscaleMin: 1,
      autoscaleMax: 5,
      autoscaleBehavior: {},
      replicaCount: 1,
      rollingMaxSurge: "100%",
      rollingMaxUnavailable: "25%",
      hub: "",
      tag: "",
      variant: "",
      image: "pilot",
      traceSampling: 1.0,
      resources: { requests: { cpu: "500m", memory: "2048Mi" } },
      seccompProfile: {},
      cni: { enabled: false, provider: "default" },
      extraContainerArgs: [],
      env: {},
      envVarFrom: [],
      taint: { enabled: false, namespace: "", name: "cni.istio.io/not-ready" },
      affinity: {},
      tolerations: [],
      cpu: { targetAverageUtilization: 80 },
      memory: {},
      volumeMounts: [],
      volumes: [],
      initContainers: [],
      nodeSelector: {},
      podAnnotations: {},
      serviceAnnotations: {},
      serviceAccountAnnotations: {},
      sidecarInjectorWebhookAnnotations: {},
      topologySpreadConstraints: [],
      jwksResolverExtraRootCA: "",
      keepaliveMaxServerConnectionAge: "30m",
      deploymentLabels: {},
      deploymentAnnotations: {},
      configMap: true,
      podLabels: {},
      ipFamilyPolicy: "",
      ipFamilies: [],
      trustedZtunnelNamespace: "",
      trustedZtunnelName: "",
      pdb: { minAvailable: 1, unhealthyPodEvictionPolicy: "" },
    },
    sidecarInjectorWebhook: {
      neverInjectSelector: [],
      alwaysInjectSelector: [],
      injectedAnnotations: {},
      enableNamespacesByDefault: false,
      reinvocationPolicy: "Never",
      rewriteAppHTTPProbe: true,
      templates: {},
      defaultTemplates: [],
    },
    istiodRemote: { enabled: false, enabledLocalInjectorIstiod: false, injectionURL: "", injectionPath: "/inject", injectionCABundle: "" },
    telemetry: { enabled: true, v2: { enabled: true, prometheus: { enabled: true }, stackdriver: { enabled: false } } },
    revision: "",
    revisionTags: [],
    ownerName: "",
    meshConfig: { enablePrometheusMerge: true },
    experimental: { stableValidationPolicy: false },
    global: istiodGlobalDefaults(),
    base: { enableIstioConfigCRDs: true },
    gateways: { securityContext: {}, seccompProfile: {} },
    gatewayClasses: {},
  };
}

export function gatewayPort(name: string, port: number, targetPort: number): JsonMap {
  return { port, targetPort, name, protocol: "TCP" };
}

/** The istio-ingress / istio-egress charts (values.gateways.<name>). */
export function gatewayDefaults(kind: "ingress" | "egress"): JsonMap {
  const ports =
    kind === "ingress"
      ? [gatewayPort("status-port", 15021, 15021), gatewayPort("http2", 80, 8080), gatewayPort("https", 443, 8443)]
      : [gatewayPort("http2", 80, 8080), gatewayPort("https", 443, 8443)];
  return {
    name: kind === "ingress" ? "istio-ingressgateway" : "istio-egressgateway",
    labels:
      kind === "ingress"
        ? { app: "istio-ingressgateway", istio: "ingressgateway" }
        : { app: "istio-egressgateway", istio: "egressgateway" },
    ports,
    secretVolumes:
      kind === "ingress"
        ? [
            { name: "ingressgateway-certs", secretName: "istio-ingressgateway-certs", mountPath: "/etc/istio/ingressgateway-certs" },
            {
              name: "ingressgateway-ca-certs",
              secretName: "istio-ingressgateway-ca-certs",
              mountPath: "/etc/istio/ingressgateway-ca-certs",
            },
          ]
        : [
            { name: "egressgateway-certs", secretName: "istio-egressgateway-certs", mountPath: "/etc/istio/egressgateway-certs" },
            { name: "egressgateway-ca-certs", secretName: "istio-egressgateway-ca-certs", mountPath: "/etc/istio/egressgateway-ca-certs" },
          ],
    type: kind === "ingress" ? "LoadBalancer" : "ClusterIP",
    autoscaleEnabled: true,
    autoscaleMin: 1,
    autoscaleMax: 5,
    cpu: { targetAverageUtilization: 80 },
    memory: {},
    resources: resources("100m", "128Mi"),
    rollingMaxSurge: "100%",
    rollingMaxUnavailable: "25%",
    env: {},
    podAnnotations: {},
    serviceAnnotations: {},
    nodeSelector: {},
    tolerations: [],
    topologySpreadConstraints: [],
    podAntiAffinityLabelSelector: [],
    podAntiAffinityTermLabelSelector: [],
    configVolumes: [],
    additionalContainers: [],
    runAsRoot: false,
    injectionTemplate: "",
    ...(kind === "ingress"
      ? { customService: false, externalTrafficPolicy: "", loadBalancerIP: "", loadBalancerSourceRanges: [], ingressPorts: [] }
      : {}),
  };
}

/**
 * The platform profile every chart layers above its chart profile when values.global.platform names one
 * (docs/design/install.md §1.1), in the charts' shape: `cni` for the CNI chart (and the istiod chart's view of
 * CNI), `pilot` for istiod, and top-level keys each chart reads as its own. Only OpenShift changes settings
 * shared by several charts; the other platforms only move CNI directories (render/cni.ts, render/ztunnel.ts).
 */
export function platformProfileValues(platform: string): JsonMap {
  if (platform !== "openshift") return {};
  // OpenShift runs CNI plugins through Multus: Istio's plugin is its own (unchained) configuration that pods
  // request through a NetworkAttachmentDefinition, and privileged pods (CNI, ztunnel) need the spc_t SELinux type.
  return {
    cni: {
      cniBinDir: "/var/lib/cni/bin",
      cniConfDir: "/etc/cni/multus/net.d",
      chained: false,
      cniConfFileName: "istio-cni.conf",
      provider: "multus",
    },
    pilot: { cni: { enabled: true, provider: "multus" } },
    seLinuxOptions: { type: "spc_t" },
    // ztunnel runs in kube-system there, so istiod trusts that namespace's ztunnel account.
    trustedZtunnelNamespace: "kube-system",
  };
}

/**
 * Chart profiles selected by values.profile (docs/design/install.md §2.3); applied in every chart. Unknown names fail
 * rendering as upstream does; preview and stable are accepted with the values mesh knows of them.
 */
export function chartProfileValues(profile: string): JsonMap | undefined {
  const small = { requests: { cpu: "10m", memory: "40Mi" } };
  switch (profile) {
    case "":
      return {};
    case "demo":
      return {
        meshConfig: {
          accessLogFile: "/dev/stdout",
          extensionProviders: [
            { name: "otel", envoyOtelAls: { service: "opentelemetry-collector.observability.svc.cluster.local", port: 4317 } },
            { name: "skywalking", skywalking: { service: "tracing.istio-system.svc.cluster.local", port: 11800 } },
            { name: "otel-tracing", opentelemetry: { port: 4317, service: "opentelemetry-collector.observability.svc.cluster.local" } },
            { name: "jaeger", opentelemetry: { port: 4317, service: "jaeger-collector.istio-system.svc.cluster.local" } },
          ],
        },
        cni: { resources: small },
        gateways: {
          "istio-egressgateway": { autoscaleEnabled: false, resources: small },
          "istio-ingressgateway": {
            autoscaleEnabled: false,
            // The demo profile lists its ports without a protocol (Kubernetes defaults it to TCP).
            ports: [
              { port: 15021, targetPort: 15021, name: "status-port" },
              { port: 80, targetPort: 8080, name: "http2" },
              { port: 443, targetPort: 8443, name: "https" },
              { port: 31400, targetPort: 31400, name: "tcp" },
              { port: 15443, targetPort: 15443, name: "tls" },
            ],
            resources: small,
          },
        },
        global: { proxy: { resources: small }, waypoint: { resources: small } },
        pilot: { autoscaleEnabled: false, traceSampling: 100, resources: { requests: { cpu: "10m", memory: "100Mi" } } },
        ztunnel: { resources: small },
      };
    case "ambient":
      return {
        meshConfig: {
          defaultConfig: { proxyMetadata: { ISTIO_META_ENABLE_HBONE: "true" } },
          serviceScopeConfigs: [
            { servicesSelector: { matchExpressions: [{ key: "istio.io/global", operator: "In", values: ["true"] }] }, scope: "GLOBAL" },
          ],
        },
        global: { variant: "distroless" },
        pilot: { env: { PILOT_ENABLE_AMBIENT: "true" } },
        cni: { ambient: { enabled: true } },
      };
    case "remote":
      // `configMap` is istiod's own setting, written at the chart's top level (istiodChartValues moves it under pilot).
      return {
        istiodRemote: { enabled: true },
        configMap: false,
        telemetry: { enabled: false },
        global: { omitSidecarInjectorConfigMap: true },
      };
    case "preview":
      return { meshConfig: { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } } } };
    case "stable":
      return { experimental: { stableValidationPolicy: true } };
    default:
      return undefined;
  }
}
