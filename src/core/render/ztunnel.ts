import { recordsOf } from "../json.js";
import type { KubeObject } from "../objects.js";
import { clone, mergeChartValues, valueAt } from "../operator/merge.js";
import { isMap, type ComponentSpec, type JsonMap } from "../operator/types.js";
import { helmLabels, ownerLabel } from "./labels.js";
import { networkPolicyEnabled, ztunnelNetworkPolicy } from "./network-policy.js";
import { helmTruthy, imageName, layeredChartValues, stringAt } from "./values.js";

/** The ztunnel chart's defaults. Its values are flat: `resources`, not `ztunnel.resources`. */
function ztunnelChartDefaults(): JsonMap {
  return {
    hub: "docker.io/istio",
    tag: "1.30.3",
    variant: "",
    image: "ztunnel",
    global: { network: "" },
    resourceName: "",
    labels: {},
    annotations: {},
    volumeMounts: [],
    volumes: [],
    podAnnotations: { "prometheus.io/port": "15020", "prometheus.io/scrape": "true" },
    podLabels: {},
    resources: { requests: { cpu: "200m", memory: "512Mi" } },
    resourceQuotas: { enabled: false, pods: 5000 },
    imagePullSecrets: [],
    env: {},
    imagePullPolicy: "",
    multiCluster: { clusterName: "" },
    meshConfig: { defaultConfig: { proxyMetadata: {} } },
    terminationGracePeriodSeconds: 30,
    revision: "",
    caAddress: "",
    xdsAddress: "",
    istioNamespace: "istio-system",
    logLevel: "info",
    logAsJson: false,
    seLinuxOptions: {},
    nodeSelector: {},
    affinity: {},
    tolerations: [
      { effect: "NoSchedule", operator: "Exists" },
      { key: "CriticalAddonsOnly", operator: "Exists" },
      { effect: "NoExecute", operator: "Exists" },
    ],
    // A new pod starts before the old one stops: ztunnel hands its listeners over without dropping traffic.
    updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    trustBundleName: "",
    platform: "",
    resourceScope: "all",
    dnsPolicy: "",
    dnsConfig: {},
    peerCaCrl: { enabled: false },
  };
}

export interface ZtunnelInput {
  /** The IstioOperator's translated values (operatorValues). */
  iopValues: JsonMap;
  /** components.ztunnel: hub and tag override the chart's. */
  component: ComponentSpec | undefined;
  namespace: string;
}

/**
 * istioctl hands the ztunnel chart `values.ztunnel.*` at the top level, keeping `global` and the top-level
 * scalars but dropping every other map (so `values.meshConfig` never reaches ztunnel). The chart then lays
 * defaults < chart profile < `global.*` (flattened) < those values.
 */
export function ztunnelChartValues(input: ZtunnelInput): JsonMap {
  const passed = clone(input.iopValues);
  const own = isMap(passed.ztunnel) ? passed.ztunnel : undefined;
  if (input.component?.hub || (input.component?.tag !== undefined && input.component.tag !== "")) {
    const target = own ?? (passed.ztunnel = {} as JsonMap);
    if (input.component.hub) target.hub = input.component.hub;
    if (input.component.tag !== undefined && input.component.tag !== "") target.tag = String(input.component.tag);
  }
  let chartInput = passed;
  if (isMap(passed.ztunnel)) {
    chartInput = { global: passed.global };
    for (const [key, item] of Object.entries(passed)) if (!isMap(item)) chartInput[key] = item;
    Object.assign(chartInput, passed.ztunnel);
  }
  // Chart profile (and compatibility profile) below everything else; the copy in the ztunnel chart is flattened too.
  const profileOnly: JsonMap = {};
  for (const key of ["profile", "compatibilityVersion"]) if (chartInput[key] !== undefined) profileOnly[key] = chartInput[key];
  const platform = stringAt(chartInput, "global.platform");
  if (platform) profileOnly.global = { platform };
  const defaults = ztunnelChartDefaults();
  // The gke platform profile: system-node-critical pods outside kube-system need a ResourceQuota there.
  if (platform === "gke") defaults.resourceQuotas = { enabled: true, pods: 5000 };
  const layered = layeredChartValues(defaults, profileOnly);
  const profiled = isMap(layered.ztunnel) ? (mergeChartValues(withoutKey(layered, "ztunnel"), layered.ztunnel) as JsonMap) : layered;
  const globals = isMap(chartInput.global) ? chartInput.global : {};
  return mergeChartValues(mergeChartValues(profiled, globals), chartInput) as JsonMap;
}

function withoutKey(map: JsonMap, key: string): JsonMap {
  const { [key]: _dropped, ...rest } = map;
  return rest;
}

/** ServiceAccount and DaemonSet of ztunnel, plus its ClusterRole and binding on OpenShift (docs/design/install.md §7.5). */
export function renderZtunnel(input: ZtunnelInput): KubeObject[] {
  const values = ztunnelChartValues(input);
  // values.ztunnel.resourceName (the default profile sets `ztunnel`).
  const name = stringAt(values, "resourceName", "ztunnel");
  const ns = input.namespace;
  const labels = { "app.kubernetes.io/name": "ztunnel", ...helmLabels("ztunnel"), ...stringMap(values.labels) };
  const revision = stringAt(values, "revision");
  const annotations = { ...stringMap(values.annotations), ...(revision ? { "istio.io/rev": revision } : {}) };
  const pullSecrets = Array.isArray(values.imagePullSecrets) ? (values.imagePullSecrets as unknown[]) : [];
  const objects: KubeObject[] = [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((secret) => ({ name: String(secret) })) } : {}),
      metadata: { name, namespace: ns, labels, annotations },
    },
    ztunnelDaemonSet(values, { name, ns, labels, annotations, revision }),
  ];
  if (valueAt(values, "resourceQuotas.enabled") === true)
    objects.push({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name, namespace: ns, labels },
      spec: {
        hard: { pods: stringAt(values, "resourceQuotas.pods") },
        scopeSelector: { matchExpressions: [{ operator: "In", scopeName: "PriorityClass", values: ["system-node-critical"] }] },
      },
    });
  if (networkPolicyEnabled(values)) objects.push(ztunnelNetworkPolicy(name, ns, revision, stringAt(values, "ownerName")));
  if (stringAt(values, "platform") === "openshift") {
    const rbacLabels = {
      app: "ztunnel",
      release: "ztunnel",
      "install.operator.istio.io/owning-resource": ownerLabel(stringAt(values, "ownerName")),
      ...labels,
    };
    objects.push(
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name, labels: rbacLabels, annotations },
        rules: [
          {
            apiGroups: ["security.openshift.io"],
            resources: ["securitycontextconstraints"],
            resourceNames: ["privileged"],
            verbs: ["use"],
          },
        ],
      },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name, labels: rbacLabels, annotations },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
        subjects: [{ kind: "ServiceAccount", name, namespace: ns }],
      },
    );
  }
  return objects;
}

interface Shape {
  name: string;
  ns: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  revision: string;
}

function ztunnelDaemonSet(values: JsonMap, shape: Shape): KubeObject {
  const istiod = `istiod${shape.revision ? `-${shape.revision}` : ""}.${stringAt(values, "istioNamespace", "istio-system")}.svc:15012`;
  const fieldRef = (fieldPath: string) => ({ valueFrom: { fieldRef: { fieldPath } } });
  const network = stringAt(values, "network");
  // Peer certificates are checked against the CA's revocation list, read from an optional ConfigMap.
  const peerCaCrl = helmTruthy(valueAt(values, "peerCaCrl.enabled"));
  const env = [
    { name: "CA_ADDRESS", value: stringAt(values, "caAddress") || istiod },
    { name: "XDS_ADDRESS", value: stringAt(values, "xdsAddress") || istiod },
    ...(values.logAsJson === true ? [{ name: "LOG_FORMAT", value: "json" }] : []),
    ...(network ? [{ name: "NETWORK", value: network }] : []),
    { name: "RUST_LOG", value: stringAt(values, "logLevel") },
    { name: "RUST_BACKTRACE", value: "1" },
    { name: "ISTIO_META_CLUSTER_ID", value: stringAt(values, "multiCluster.clusterName", "Kubernetes") },
    { name: "INPOD_ENABLED", value: "true" },
    { name: "TERMINATION_GRACE_PERIOD_SECONDS", value: stringAt(values, "terminationGracePeriodSeconds") },
    { name: "POD_NAME", ...fieldRef("metadata.name") },
    { name: "POD_NAMESPACE", ...fieldRef("metadata.namespace") },
    { name: "NODE_NAME", ...fieldRef("spec.nodeName") },
    { name: "INSTANCE_IP", ...fieldRef("status.podIP") },
    { name: "SERVICE_ACCOUNT", ...fieldRef("spec.serviceAccountName") },
    ...sortedEnv(valueAt(values, "meshConfig.defaultConfig.proxyMetadata")),
    { name: "ZTUNNEL_CPU_LIMIT", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "1" } } },
    ...sortedEnv(values.env),
    ...(peerCaCrl ? [{ name: "CRL_PATH", value: "/var/run/secrets/istio/crl/ca-crl.pem" }] : []),
  ];
  const image = imageName(
    stringAt(values, "image", "ztunnel"),
    stringAt(values, "hub"),
    stringAt(values, "tag"),
    stringAt(values, "variant") || stringAt(values, "global.variant"),
  );
  const seLinuxOptions = nonEmptyMap(values.seLinuxOptions);
  const container = {
    name: "istio-proxy",
    image,
    ports: [{ containerPort: 15020, name: "ztunnel-stats", protocol: "TCP" }],
    // The chart writes `resources:` with nothing under it when the values have none.
    resources: nonEmptyMap(values.resources) ?? null,
    ...(stringAt(values, "imagePullPolicy") ? { imagePullPolicy: stringAt(values, "imagePullPolicy") } : {}),
    securityContext: {
      // SYS_ADMIN implies privilege escalation; the API server does not insist, so the chart says it.
      allowPrivilegeEscalation: true,
      privileged: false,
      capabilities: { drop: ["ALL"], add: ["NET_ADMIN", "SYS_ADMIN", "NET_RAW"] },
      readOnlyRootFilesystem: true,
      runAsGroup: 1337,
      runAsNonRoot: false,
      runAsUser: 0,
      ...(seLinuxOptions ? { seLinuxOptions } : {}),
    },
    readinessProbe: { httpGet: { port: 15021, path: "/healthz/ready" } },
    args: ["proxy", "ztunnel"],
    env,
    volumeMounts: [
      { mountPath: "/var/run/secrets/istio", name: "istiod-ca-cert" },
      { mountPath: "/var/run/secrets/tokens", name: "istio-token" },
      { mountPath: "/var/run/ztunnel", name: "cni-ztunnel-sock-dir" },
      { mountPath: "/tmp", name: "tmp" },
      ...(peerCaCrl ? [{ mountPath: "/var/run/secrets/istio/crl", name: "crl-volume", readOnly: true }] : []),
      ...recordsOf(values.volumeMounts),
    ],
  };
  const trustBundle = stringAt(values, "trustBundleName");
  const clusterTrustBundle = valueAt(values, "env.ENABLE_CLUSTER_TRUST_BUNDLE_API") === true;
  const volumes = [
    {
      name: "istio-token",
      projected: { sources: [{ serviceAccountToken: { path: "istio-token", expirationSeconds: 43200, audience: "istio-ca" } }] },
    },
    clusterTrustBundle
      ? {
          name: "istiod-ca-cert",
          projected: {
            sources: [{ clusterTrustBundle: { name: `istio.io:istiod-ca:${trustBundle || "root-cert"}`, path: "root-cert.pem" } }],
          },
        }
      : { name: "istiod-ca-cert", configMap: { name: trustBundle || "istio-ca-root-cert" } },
    // Created here if istio-cni has not made it yet; the CNI agent and ztunnel meet on a socket inside it.
    { name: "cni-ztunnel-sock-dir", hostPath: { path: "/var/run/ztunnel", type: "DirectoryOrCreate" } },
    // Writable /tmp (for profiling) on a read-only root filesystem.
    { name: "tmp", emptyDir: {} },
    ...(peerCaCrl ? [{ name: "crl-volume", configMap: { name: "istio-ca-crl", optional: true } }] : []),
    ...recordsOf(values.volumes),
  ];
  const affinity = nonEmptyMap(values.affinity);
  const tolerations = recordsOf(values.tolerations);
  const updateStrategy = nonEmptyMap(values.updateStrategy);
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: shape.name, namespace: shape.ns, labels: shape.labels, annotations: shape.annotations },
    spec: {
      ...(updateStrategy ? { updateStrategy } : {}),
      selector: { matchLabels: { app: "ztunnel" } },
      template: {
        metadata: {
          labels: {
            "sidecar.istio.io/inject": "false",
            "istio.io/dataplane-mode": "none",
            app: "ztunnel",
            "app.kubernetes.io/name": "ztunnel",
            ...helmLabels("ztunnel"),
            ...stringMap(values.podLabels),
          },
          annotations: {
            "sidecar.istio.io/inject": "false",
            ...(shape.revision ? { "istio.io/rev": shape.revision } : {}),
            ...stringMap(values.podAnnotations),
          },
        },
        spec: {
          nodeSelector: { "kubernetes.io/os": "linux", ...stringMap(values.nodeSelector) },
          ...(affinity ? { affinity } : {}),
          serviceAccountName: shape.name,
          ...(tolerations.length > 0 ? { tolerations } : {}),
          ...(helmTruthy(values.dnsPolicy) ? { dnsPolicy: values.dnsPolicy } : {}),
          ...(nonEmptyMap(values.dnsConfig) ? { dnsConfig: values.dnsConfig } : {}),
          containers: [container],
          priorityClassName: "system-node-critical",
          terminationGracePeriodSeconds: values.terminationGracePeriodSeconds,
          volumes,
        },
      },
    },
  };
}

function sortedEnv(source: unknown): { name: string; value: string }[] {
  return isMap(source)
    ? Object.keys(source)
        .sort()
        .map((key) => ({ name: key, value: String(source[key]) }))
    : [];
}

function stringMap(source: unknown): Record<string, string> {
  return isMap(source) ? Object.fromEntries(Object.entries(source).map(([key, value]) => [key, String(value)])) : {};
}

function nonEmptyMap(source: unknown): JsonMap | undefined {
  return isMap(source) && Object.keys(source).length > 0 ? source : undefined;
}
