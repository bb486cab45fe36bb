import { InputError } from "../errors.js";
import type { KubeObject } from "../objects.js";
import { valueAt } from "../operator/merge.js";
import { isMap, type GatewayComponentSpec, type JsonMap } from "../operator/types.js";
import { gatewayDefaults, globalDefaults } from "./chart-defaults.js";
import { helmLabels, operatorLabels } from "./labels.js";
import { injectedGatewayDeployment } from "./injected-gateway.js";
import { gatewayNetworkPolicy, networkPolicyEnabled } from "./network-policy.js";
import { helmTruthy, imageName, layeredChartValues, stringAt } from "./values.js";
import { scalarText } from "../json.js";

export type GatewayKind = "ingress" | "egress";

export interface GatewayInput {
  kind: GatewayKind;
  instance: GatewayComponentSpec;
  /** The IstioOperator's translated values (operatorValues). */
  iopValues: JsonMap;
  namespace: string;
  revision: string;
}

/** The chart values of one gateway instance: chart defaults < chart profile < values.gateways.<key>, plus the instance's name and label. */
function gatewayValues(input: GatewayInput): { gateway: JsonMap; values: JsonMap } {
  const key = input.kind === "ingress" ? "istio-ingressgateway" : "istio-egressgateway";
  const values = layeredChartValues(
    {
      global: globalDefaults(),
      gateways: { [key]: gatewayDefaults(input.kind) },
      meshConfig: { enablePrometheusMerge: true },
      revision: "",
    },
    input.iopValues,
  );
  const gateway = { ...((valueAt(values, `gateways.${key}`) as JsonMap) ?? {}) };
  gateway.name = input.instance.name ?? gateway.name;
  // istioctl replaces values.gateways.<key>.labels with the component's `label` before rendering, so only the
  // chart's default labels and the component's own reach the objects.
  gateway.labels = { ...(gatewayDefaults(input.kind).labels as JsonMap), ...(input.instance.label ?? {}) };
  const servicePorts = input.instance.k8s?.service?.ports;
  if (Array.isArray(servicePorts)) gateway.ports = servicePorts;
  return { gateway, values };
}

/** ServiceAccount, Deployment, Role, RoleBinding, HPA, PDB and Service of one ingress or egress gateway (docs/design/install.md §7.3–7.4). */
export function renderGateway(input: GatewayInput): KubeObject[] {
  const { gateway, values } = gatewayValues(input);
  const name = String(gateway.name);
  const ns = input.namespace;
  const chart = input.kind === "ingress" ? "istio-ingress" : "istio-egress";
  const component = input.kind === "ingress" ? "IngressGateways" : "EgressGateways";
  const appName = input.kind === "ingress" ? "istio-ingressgateway" : "istio-egressgateway";
  const selector = gateway.labels as Record<string, string>;
  const owner = operatorLabels(component, input.revision, stringAt(values, "ownerName"));
  const common = { release: "istio", ...owner, "app.kubernetes.io/name": appName, ...helmLabels(chart) };
  const labels = { ...selector, ...common };
  const ports = (Array.isArray(gateway.ports) ? gateway.ports : []) as JsonMap[];
  const runAsRoot = gateway.runAsRoot === true;
  if (!runAsRoot) checkUnprivilegedPorts(ports, name, input.kind);
  const serviceAccount = `${name}-service-account`;
  const pullSecrets = (valueAt(values, "global.imagePullSecrets") as string[] | undefined) ?? [];
  const objects: KubeObject[] = [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        name: serviceAccount,
        namespace: ns,
        labels,
        ...(isMap(valueAt(gateway, "serviceAccount.annotations")) &&
        Object.keys(valueAt(gateway, "serviceAccount.annotations") as JsonMap).length > 0
          ? { annotations: valueAt(gateway, "serviceAccount.annotations") as Record<string, string> }
          : {}),
      },
      ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((secret) => ({ name: secret })) } : {}),
    },
    injectionReady(
      gateway,
      input.revision,
      gatewayDeployment(input, gateway, values, { labels, selector, common, serviceAccount, ports, runAsRoot }),
    ),
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: `${name}-sds`, namespace: ns, labels: common },
      rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "watch", "list"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: `${name}-sds`, namespace: ns, labels: common },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: `${name}-sds` },
      subjects: [{ kind: "ServiceAccount", name: serviceAccount }],
    },
  ];
  const autoscale = gateway.autoscaleEnabled === true && Number(gateway.autoscaleMin) > 0 && Number(gateway.autoscaleMax) > 0;
  if (autoscale)
    objects.push({
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name, namespace: ns, labels },
      spec: {
        maxReplicas: gateway.autoscaleMax,
        minReplicas: gateway.autoscaleMin,
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        metrics: [
          {
            type: "Resource",
            resource: {
              name: "cpu",
              target: { type: "Utilization", averageUtilization: valueAt(gateway, "cpu.targetAverageUtilization") ?? 80 },
            },
          },
        ],
      },
    });
  // The gateway charts have no replica count of their own: k8s.replicaCount patches the Deployment later
  // and, as in istioctl, does not bring a PodDisruptionBudget.
  const several = autoscale && Number(gateway.autoscaleMin) > 1;
  if (several && valueAt(values, "global.defaultPodDisruptionBudget.enabled") !== false)
    objects.push({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name, namespace: ns, labels },
      spec: { minAvailable: 1, selector: { matchLabels: selector } },
    });
  if (!(input.kind === "ingress" && gateway.customService === true))
    objects.push(gatewayService(input, gateway, { labels, selector, ports }));
  if (networkPolicyEnabled(values))
    objects.push(
      gatewayNetworkPolicy({
        kind: input.kind,
        name,
        namespace: ns,
        revision: input.revision,
        ownerName: stringAt(values, "ownerName"),
        selector,
        ports,
      }),
    );
  return objects;
}

/** The Deployment as rendered, or its injected form when values.gateways.<gw>.injectionTemplate names a template. */
function injectionReady(gateway: JsonMap, revision: string, deployment: KubeObject): KubeObject {
  const template = typeof gateway.injectionTemplate === "string" ? gateway.injectionTemplate : "";
  if (template === "") return deployment;
  const volumeNames = [gateway.secretVolumes, gateway.configVolumes].flatMap((list) =>
    (Array.isArray(list) ? (list as JsonMap[]) : []).map((volume) => String(volume.name)),
  );
  return injectedGatewayDeployment(deployment, {
    template,
    revision,
    runAsRoot: gateway.runAsRoot === true,
    env: gateway.env,
    podAnnotations: gateway.podAnnotations,
    ownVolumes: new Set(volumeNames),
  });
}

function checkUnprivilegedPorts(ports: JsonMap[], gatewayName: string, kind: GatewayKind): void {
  for (const port of ports) {
    const target = typeof port.targetPort === "number" ? port.targetPort : 0;
    const effective = target || (typeof port.port === "number" ? port.port : 0);
    if (effective !== 0 && effective < 1024)
      throw new InputError(
        `port ${scalarText(port.name ?? "")}/${String(port.port)} in gateway ${gatewayName} invalid: targetPort is set to ${target}, which requires root. ` +
          `Set targetPort to be greater than 1024 or configure values.gateways.istio-${kind}gateway.runAsRoot=true`,
      );
  }
}

interface Shape {
  labels: Record<string, string>;
  selector: Record<string, string>;
  common: Record<string, string>;
  serviceAccount: string;
  ports: JsonMap[];
  runAsRoot: boolean;
}

function gatewayDeployment(input: GatewayInput, gateway: JsonMap, values: JsonMap, shape: Shape): KubeObject {
  const name = String(gateway.name);
  const ns = input.namespace;
  const rev = input.revision || "default";
  const istiod = input.revision ? `istiod-${input.revision}` : "istiod";
  const istioNamespace = stringAt(values, "global.istioNamespace", "istio-system");
  const hub = input.instance.hub || stringAt(values, "global.hub");
  const tag = String(input.instance.tag ?? "") || stringAt(values, "global.tag");
  const variant = stringAt(values, "global.proxy.variant") || stringAt(values, "global.variant");
  const image = imageName(stringAt(values, "global.proxy.image", "proxyv2"), hub, tag, variant);
  const trustDomain = stringAt(values, "meshConfig.trustDomain", "cluster.local");
  const openshift = stringAt(values, "global.platform") === "openshift";
  const fieldRef = (fieldPath: string, withVersion = true) => ({
    valueFrom: { fieldRef: withVersion ? { apiVersion: "v1", fieldPath } : { fieldPath } },
  });
  const sortedEnv = (source: unknown) =>
    isMap(source)
      ? Object.keys(source)
          .sort()
          .map((key) => ({ name: key, value: String(source[key]) }))
      : [];
  const env = [
    { name: "PILOT_CERT_PROVIDER", value: stringAt(values, "global.pilotCertProvider", "istiod") },
    { name: "CA_ADDR", value: stringAt(values, "global.caAddress") || `${istiod}.${istioNamespace}.svc:15012` },
    { name: "NODE_NAME", ...fieldRef("spec.nodeName") },
    { name: "POD_NAME", ...fieldRef("metadata.name") },
    { name: "POD_NAMESPACE", ...fieldRef("metadata.namespace") },
    { name: "INSTANCE_IP", ...fieldRef("status.podIP") },
    { name: "HOST_IP", ...fieldRef("status.hostIP") },
    { name: "ISTIO_CPU_LIMIT", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "1" } } },
    { name: "SERVICE_ACCOUNT", ...fieldRef("spec.serviceAccountName", false) },
    { name: "ISTIO_META_WORKLOAD_NAME", value: name },
    { name: "ISTIO_META_OWNER", value: `kubernetes://apis/apps/v1/namespaces/${ns}/deployments/${name}` },
    { name: "ISTIO_META_MESH_ID", value: stringAt(values, "global.meshID") || trustDomain },
    { name: "TRUST_DOMAIN", value: trustDomain },
    ...(shape.runAsRoot ? [] : [{ name: "ISTIO_META_UNPRIVILEGED_POD", value: "true" }]),
    ...sortedEnv(gateway.env),
    ...sortedEnv(valueAt(values, "meshConfig.defaultConfig.proxyMetadata")),
    ...(stringAt(values, "global.network") ? [{ name: "ISTIO_META_NETWORK", value: stringAt(values, "global.network") }] : []),
    { name: "ISTIO_META_CLUSTER_ID", value: stringAt(values, "global.multiCluster.clusterName", "Kubernetes") },
    { name: "ISTIO_META_NODE_NAME", ...fieldRef("spec.nodeName", false) },
  ];
  const secretVolumes = (Array.isArray(gateway.secretVolumes) ? gateway.secretVolumes : []) as JsonMap[];
  const configVolumes = (Array.isArray(gateway.configVolumes) ? gateway.configVolumes : []) as JsonMap[];
  const additionalContainers = (Array.isArray(gateway.additionalContainers) ? gateway.additionalContainers : []) as JsonMap[];
  // Only istiod-issued certificates need istiod's root certificate mounted; other providers bring their own.
  const istiodCa = stringAt(values, "global.pilotCertProvider", "istiod") === "istiod";
  const mountMtlsCerts = valueAt(values, "global.mountMtlsCerts") === true;
  const stsPort = Number(valueAt(values, "global.sts.servicePort") ?? 0);
  const container = {
    name: "istio-proxy",
    image,
    ...(stringAt(values, "global.imagePullPolicy") ? { imagePullPolicy: stringAt(values, "global.imagePullPolicy") } : {}),
    ports: [
      ...shape.ports.map((port) => ({ containerPort: port.targetPort ?? port.port, protocol: port.protocol ?? "TCP" })),
      { containerPort: 15090, protocol: "TCP", name: "http-envoy-prom" },
    ],
    args: [
      "proxy",
      "router",
      "--domain",
      `$(POD_NAMESPACE).svc.${stringAt(values, "global.proxy.clusterDomain", "cluster.local")}`,
      `--proxyLogLevel=${stringAt(values, "global.proxy.logLevel", "warning")}`,
      `--proxyComponentLogLevel=${stringAt(values, "global.proxy.componentLogLevel", "misc:error")}`,
      `--log_output_level=${stringAt(values, "global.logging.level", "default:info")}`,
      ...(valueAt(values, "global.logAsJson") === true ? ["--log_as_json"] : []),
      ...(stsPort > 0 ? [`--stsPort=${stsPort}`] : []),
    ],
    // A gateway run as root gets neither the pod's nor the container's restricted security context.
    ...(shape.runAsRoot
      ? {}
      : {
          securityContext: {
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
          },
        }),
    readinessProbe: {
      failureThreshold: 30,
      httpGet: { path: "/healthz/ready", port: 15021, scheme: "HTTP" },
      initialDelaySeconds: 1,
      periodSeconds: 2,
      successThreshold: 1,
      timeoutSeconds: 1,
    },
    resources: gateway.resources ?? valueAt(values, "global.defaultResources") ?? {},
    env,
    volumeMounts: [
      { name: "workload-socket", mountPath: "/var/run/secrets/workload-spiffe-uds" },
      { name: "credential-socket", mountPath: "/var/run/secrets/credential-uds" },
      { name: "workload-certs", mountPath: "/var/run/secrets/workload-spiffe-credentials" },
      { name: "istio-envoy", mountPath: "/etc/istio/proxy" },
      { name: "config-volume", mountPath: "/etc/istio/config" },
      ...(istiodCa ? [{ name: "istiod-ca-cert", mountPath: "/var/run/secrets/istio" }] : []),
      { name: "istio-token", mountPath: "/var/run/secrets/tokens", readOnly: true },
      ...(mountMtlsCerts ? [{ name: "istio-certs", mountPath: "/etc/certs", readOnly: true }] : []),
      { name: "istio-data", mountPath: "/var/lib/istio/data" },
      { name: "podinfo", mountPath: "/etc/istio/pod" },
      ...secretVolumes.map((volume) => ({ name: volume.name, mountPath: volume.mountPath, readOnly: true })),
      ...configVolumes
        .filter((volume) => helmTruthy(volume.mountPath))
        .map((volume) => ({ name: volume.name, mountPath: volume.mountPath, readOnly: true })),
    ],
  };
  const podLabels = {
    ...shape.selector,
    ...(ns === "istio-system" ? { heritage: "Tiller", release: "istio", chart: "gateways" } : {}),
    "service.istio.io/canonical-name": name,
    "service.istio.io/canonical-revision":
      shape.selector["app.kubernetes.io/version"] || shape.selector.version || input.revision || "latest",
    ...operatorLabels(input.kind === "ingress" ? "IngressGateways" : "EgressGateways", input.revision, stringAt(values, "ownerName")),
    "sidecar.istio.io/inject": "false",
    "app.kubernetes.io/name": shape.common["app.kubernetes.io/name"]!,
    "istio.io/dataplane-mode": "none",
    ...helmLabels(input.kind === "ingress" ? "istio-ingress" : "istio-egress"),
  };
  const prometheusMerge = valueAt(values, "meshConfig.enablePrometheusMerge") !== false;
  const podAnnotations = {
    "istio.io/rev": rev,
    ...(prometheusMerge
      ? { "prometheus.io/path": "/stats/prometheus", "prometheus.io/port": "15020", "prometheus.io/scrape": "true" }
      : {}),
    "sidecar.istio.io/inject": "false",
    ...((gateway.podAnnotations as JsonMap) ?? {}),
  };
  const tolerations = [...((gateway.tolerations as JsonMap[]) ?? [])];
  if (tolerations.length === 0) tolerations.push(...((valueAt(values, "global.defaultTolerations") as JsonMap[]) ?? []));
  const priorityClassName = stringAt(values, "global.priorityClassName");
  const podSpec = {
    ...(shape.runAsRoot
      ? {}
      : { securityContext: openshift ? { runAsNonRoot: true } : { runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true } }),
    serviceAccountName: shape.serviceAccount,
    ...(priorityClassName ? { priorityClassName } : {}),
    containers: [container, ...additionalContainers],
    volumes: [
      { emptyDir: {}, name: "workload-socket" },
      { emptyDir: {}, name: "credential-socket" },
      { emptyDir: {}, name: "workload-certs" },
      ...(istiodCa ? [istiodCaVolume(values)] : []),
      {
        name: "podinfo",
        downwardAPI: {
          items: [
            { path: "labels", fieldRef: { fieldPath: "metadata.labels" } },
            { path: "annotations", fieldRef: { fieldPath: "metadata.annotations" } },
          ],
        },
      },
      { name: "istio-envoy", emptyDir: {} },
      { name: "istio-data", emptyDir: {} },
      {
        name: "istio-token",
        projected: {
          sources: [
            {
              serviceAccountToken: {
                path: "istio-token",
                expirationSeconds: 43200,
                audience: stringAt(values, "global.sds.token.aud", "istio-ca"),
              },
            },
          ],
        },
      },
      ...(mountMtlsCerts
        ? [
            {
              name: "istio-certs",
              secret: { secretName: `istio.${shape.common["app.kubernetes.io/name"]}-service-account`, optional: true },
            },
          ]
        : []),
      { name: "config-volume", configMap: { name: input.revision ? `istio-${input.revision}` : "istio", optional: true } },
      ...secretVolumes.map((volume) => ({ name: volume.name, secret: { secretName: volume.secretName, optional: true } })),
      ...configVolumes.map((volume) => ({ name: volume.name, configMap: { name: volume.configMapName, optional: true } })),
    ],
    affinity: gatewayAffinity(values, gateway),
    ...(tolerations.length > 0 ? { tolerations } : {}),
    ...(Array.isArray(gateway.topologySpreadConstraints) && gateway.topologySpreadConstraints.length > 0
      ? { topologySpreadConstraints: gateway.topologySpreadConstraints }
      : {}),
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns, labels: { ...shape.labels, "istio.io/dataplane-mode": "none" } },
    spec: {
      selector: { matchLabels: shape.selector },
      strategy: { rollingUpdate: { maxSurge: gateway.rollingMaxSurge ?? "100%", maxUnavailable: gateway.rollingMaxUnavailable ?? "25%" } },
      template: { metadata: { labels: podLabels, annotations: podAnnotations }, spec: podSpec },
    },
  };
}

/** istiod's root certificate: from its ConfigMap, or as a ClusterTrustBundle when istiod publishes one. */
function istiodCaVolume(values: JsonMap): JsonMap {
  const trustBundle = stringAt(values, "global.trustBundleName");
  if (valueAt(values, "pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API") === true)
    return {
      name: "istiod-ca-cert",
      projected: {
        sources: [{ clusterTrustBundle: { name: `istio.io:istiod-ca:${trustBundle || "root-cert"}`, path: "root-cert.pem" } }],
      },
    };
  return { name: "istiod-ca-cert", configMap: { name: trustBundle || "istio-ca-root-cert" } };
}

function gatewayService(
  input: GatewayInput,
  gateway: JsonMap,
  shape: { labels: Record<string, string>; selector: Record<string, string>; ports: JsonMap[] },
): KubeObject {
  const annotations = (gateway.serviceAnnotations as Record<string, string> | undefined) ?? {};
  const optional = (key: string): JsonMap => {
    const content = gateway[key];
    if (content === undefined || content === "" || (Array.isArray(content) && content.length === 0)) return {};
    return { [key]: content };
  };
  return {
    apiVersion: "v1",
    kind: "Service",
    // The chart writes `annotations:` with nothing under it, which reads back as null (istioctl prints it).
    metadata: {
      name: String(gateway.name),
      namespace: input.namespace,
      labels: shape.labels,
      annotations: Object.keys(annotations).length > 0 ? annotations : (null as unknown as Record<string, string>),
    },
    spec: {
      ...(input.kind === "ingress"
        ? {
            ...optional("loadBalancerIP"),
            ...optional("loadBalancerSourceRanges"),
            ...optional("externalTrafficPolicy"),
          }
        : {}),
      ...optional("ipFamilyPolicy"),
      ...optional("ipFamilies"),
      type: gateway.type,
      selector: shape.selector,
      // ingressPorts add bare name/port entries after the gateway's ports (the chart copies no other field).
      ports: [...shape.ports.map((port) => ({ ...port })), ...ingressPorts(input.kind, gateway)],
    },
  };
}

function ingressPorts(kind: GatewayKind, gateway: JsonMap): JsonMap[] {
  const extra = kind === "ingress" && Array.isArray(gateway.ingressPorts) ? (gateway.ingressPorts as JsonMap[]) : [];
  return extra.map((entry) => ({ port: entry.port ?? null, name: entry.name ?? null }));
}

/**
 * The gateway charts schedule by affinity only: the gateway's nodeSelector (else global.defaultNodeSelector) and
 * global.arch become required node-affinity terms, global.arch weights preferred ones, and the anti-affinity
 * selectors (comma-separated `values`) pod anti-affinity. Maps are read in sorted key order, as Go ranges them.
 */
function gatewayAffinity(values: JsonMap, gateway: JsonMap): JsonMap {
  const arch = isMap(valueAt(values, "global.arch")) ? (valueAt(values, "global.arch") as JsonMap) : {};
  const own = isMap(gateway.nodeSelector) ? gateway.nodeSelector : {};
  const fallback = valueAt(values, "global.defaultNodeSelector");
  const selector = Object.keys(own).length > 0 ? own : isMap(fallback) ? fallback : {};
  const architectures = Object.keys(arch)
    .sort()
    .filter((name) => Math.trunc(Number(arch[name])) > 0);
  const hasArch = Object.keys(arch).length > 0;
  const required =
    hasArch || Object.keys(selector).length > 0
      ? {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                ...(hasArch ? [{ key: "kubernetes.io/arch", operator: "In", values: architectures }] : []),
                ...Object.keys(selector)
                  .sort()
                  .map((key) => ({ key, operator: "In", values: [scalarText(selector[key])] })),
              ],
            },
          ],
        }
      : null;
  const preferred = architectures.map((name) => ({
    weight: Math.trunc(Number(arch[name])),
    preference: { matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: [name] }] },
  }));
  const expression = (item: JsonMap) => ({
    key: item.key,
    operator: item.operator,
    ...(item.values ? { values: scalarText(item.values).split(",") } : {}),
  });
  const hard = Array.isArray(gateway.podAntiAffinityLabelSelector) ? (gateway.podAntiAffinityLabelSelector as JsonMap[]) : [];
  const soft = Array.isArray(gateway.podAntiAffinityTermLabelSelector) ? (gateway.podAntiAffinityTermLabelSelector as JsonMap[]) : [];
  const podAntiAffinity =
    hard.length > 0 || soft.length > 0
      ? {
          ...(hard.length > 0
            ? {
                requiredDuringSchedulingIgnoredDuringExecution: hard.map((item) => ({
                  labelSelector: { matchExpressions: [expression(item)] },
                  topologyKey: item.topologyKey,
                  ...(item.namespaces ? { namespaces: scalarText(item.namespaces).split(",") } : {}),
                })),
              }
            : {}),
          ...(soft.length > 0
            ? {
                preferredDuringSchedulingIgnoredDuringExecution: soft.map((item) => ({
                  podAffinityTerm: { labelSelector: { matchExpressions: [expression(item)] }, topologyKey: item.topologyKey },
                  weight: 100,
                })),
              }
            : {}),
        }
      : undefined;
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: required,
      preferredDuringSchedulingIgnoredDuringExecution: preferred.length > 0 ? preferred : null,
    },
    ...(podAntiAffinity ? { podAntiAffinity } : {}),
  };
}
