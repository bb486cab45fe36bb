import type { KubeObject } from "../objects.js";
import { valueAt } from "../operator/merge.js";
import { isMap, type ComponentSpec, type JsonMap } from "../operator/types.js";
import { emitYaml } from "../documents/yaml-emitter.js";
import { cniNetworkPolicy, networkPolicyEnabled } from "./network-policy.js";
import { helmLabels, operatorLabels } from "./labels.js";
import { helmTruthy, imageName, layeredChartValues, stringAt } from "./values.js";
import { platformProfileValues } from "./chart-defaults.js";
import { scalarText } from "../json.js";

/** The istio-cni chart's defaults (istioctl passes its settings under `values.cni`). */
function cniChartDefaults(): JsonMap {
  return {
    cni: {
      hub: "",
      tag: "",
      variant: "",
      image: "install-cni",
      pullPolicy: "",
      logging: { level: "" },
      cniBinDir: "/opt/cni/bin",
      cniConfDir: "/etc/cni/net.d",
      cniConfFileName: "",
      cniNetnsDir: "/var/run/netns",
      istioOwnedCNIConfigFileName: "",
      istioOwnedCNIConfig: false,
      excludeNamespaces: ["kube-system"],
      affinity: {},
      podAnnotations: {},
      podLabels: {},
      daemonSetLabels: {},
      chained: true,
      provider: "default",
      useAppArmorAnnotation: true,
      ambient: {
        enabled: false,
        enablementSelectors: [
          { podSelector: { matchLabels: { "istio.io/dataplane-mode": "ambient" } } },
          {
            podSelector: { matchExpressions: [{ key: "istio.io/dataplane-mode", operator: "NotIn", values: ["none"] }] },
            namespaceSelector: { matchLabels: { "istio.io/dataplane-mode": "ambient" } },
          },
        ],
        configDir: "",
        dnsCapture: true,
        ipv6: true,
        reconcileIptablesOnStartup: true,
        enableAmbientDetectionRetry: false,
        shareHostNetworkNamespace: false,
      },
      repair: {
        enabled: true,
        labelPods: false,
        deletePods: false,
        repairPods: true,
        initContainerName: "istio-validation",
        brokenPodLabelKey: "cni.istio.io/uninitialized",
        brokenPodLabelValue: "true",
      },
      seccompProfile: {},
      seLinuxOptions: {},
      resources: { requests: { cpu: "100m", memory: "100Mi" } },
      resourceQuotas: { enabled: false, pods: 5000 },
      tolerations: [
        { effect: "NoSchedule", operator: "Exists" },
        { key: "CriticalAddonsOnly", operator: "Exists" },
        { effect: "NoExecute", operator: "Exists" },
      ],
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      terminationGracePeriodSeconds: 30,
      env: {},
    },
    global: {
      hub: "docker.io/istio",
      tag: "1.30.3",
      variant: "",
      imagePullPolicy: "",
      logging: { level: "info" },
      logAsJson: false,
      imagePullSecrets: [],
      defaultResources: { requests: { cpu: "100m", memory: "100Mi" } },
      nativeNftables: false,
      platform: "",
    },
    revision: "",
  };
}

/**
 * The chart's platform profiles: where each platform keeps the CNI binaries, configuration and network
 * namespaces. GKE admits system-node-critical pods outside kube-system only under a ResourceQuota.
 */
const platformSettings: Record<string, JsonMap> = {
  gke: { cniBinDir: "/home/kubernetes/bin", resourceQuotas: { enabled: true, pods: 5000 } },
  k3d: { cniConfDir: "/var/lib/rancher/k3s/agent/etc/cni/net.d", cniBinDir: "/bin" },
  k3s: { cniConfDir: "/var/lib/rancher/k3s/agent/etc/cni/net.d", cniBinDir: "/var/lib/rancher/k3s/data/cni" },
  microk8s: { cniConfDir: "/var/snap/microk8s/current/args/cni-network", cniBinDir: "/var/snap/microk8s/current/opt/cni/bin" },
  minikube: { cniNetnsDir: "/var/run/docker/netns" },
};

export interface CniInput {
  /** The IstioOperator's translated values (operatorValues). */
  iopValues: JsonMap;
  /** components.cni: hub and tag override the chart's. */
  component: ComponentSpec | undefined;
  namespace: string;
  revision: string;
}

/** Chart defaults < platform directories < chart profile < IstioOperator values; components.cni.hub/tag land in values.cni. */
export function cniChartValues(input: CniInput): JsonMap {
  const platform = stringAt(input.iopValues, "global.platform");
  const defaults = cniChartDefaults();
  // The platform profile's top-level seLinuxOptions is the CNI chart's own (mesh keeps those under `cni`).
  const ownSeLinuxOptions = platformProfileValues(platform).seLinuxOptions;
  (defaults as { cni: JsonMap }).cni = {
    ...(defaults.cni as JsonMap),
    ...(platformSettings[platform] ?? {}),
    ...(isMap(ownSeLinuxOptions) ? { seLinuxOptions: ownSeLinuxOptions } : {}),
  };
  const values = layeredChartValues(defaults, input.iopValues);
  const cni = values.cni as JsonMap;
  if (input.component?.hub) cni.hub = input.component.hub;
  if (input.component?.tag !== undefined && input.component.tag !== "") cni.tag = String(input.component.tag);
  return values;
}

/** ServiceAccount, ClusterRoles and bindings, ConfigMap and DaemonSet of the Istio CNI node agent (docs/design/install.md §7.5). */
export function renderCni(input: CniInput): KubeObject[] {
  const values = cniChartValues(input);
  const cni = values.cni as JsonMap;
  const ns = input.namespace;
  const ambient = cni.ambient as JsonMap;
  const repair = cni.repair as JsonMap;
  const labels = {
    app: "istio-cni",
    release: "istio",
    ...operatorLabels("Cni", input.revision, stringAt(values, "ownerName")),
    "app.kubernetes.io/name": "istio-cni",
    ...helmLabels("cni"),
  };
  const bindingLabels = {
    "k8s-app": "istio-cni-repair",
    release: "istio",
    ...operatorLabels("Cni", input.revision, stringAt(values, "ownerName")),
    "app.kubernetes.io/name": "istio-cni",
    ...helmLabels("cni"),
  };
  const pullSecrets = (valueAt(values, "global.imagePullSecrets") as string[] | undefined) ?? [];
  const clusterRole = (name: string, rules: JsonMap[]): KubeObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name, labels },
    rules,
  });
  const binding = (name: string, role: string, bindingLabelSet: Record<string, string>): KubeObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name, labels: bindingLabelSet },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: [{ kind: "ServiceAccount", name: "istio-cni", namespace: ns }],
  });
  const objects: KubeObject[] = [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "istio-cni", namespace: ns, labels },
      ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((secret) => ({ name: secret })) } : {}),
    },
    clusterRole("istio-cni", [
      { apiGroups: [""], resources: ["pods", "nodes", "namespaces"], verbs: ["get", "list", "watch"] },
      // OpenShift admits the privileged agent only through the privileged SecurityContextConstraints.
      ...(stringAt(values, "global.platform") === "openshift"
        ? [
            {
              apiGroups: ["security.openshift.io"],
              resources: ["securitycontextconstraints"],
              resourceNames: ["privileged"],
              verbs: ["use"],
            },
          ]
        : []),
    ]),
    binding("istio-cni", "istio-cni", labels),
  ];
  if (repair.enabled === true) {
    objects.push(
      clusterRole("istio-cni-repair-role", repairRules(repair)),
      binding("istio-cni-repair-rolebinding", "istio-cni-repair-role", bindingLabels),
    );
  }
  if (ambient.enabled === true) {
    objects.push(
      clusterRole("istio-cni-ambient", [
        { apiGroups: [""], resources: ["pods/status"], verbs: ["patch", "update"] },
        { apiGroups: ["apps"], resources: ["daemonsets"], resourceNames: ["istio-cni-node"], verbs: ["get"] },
      ]),
      binding("istio-cni-ambient", "istio-cni-ambient", bindingLabels),
    );
  }
  objects.push(cniConfigMap(values, ns, labels), cniDaemonSet(values, input));
  const quotas = cni.resourceQuotas as JsonMap;
  if (quotas.enabled === true)
    objects.push({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: {
        name: "istio-cni-resource-quota",
        namespace: ns,
        labels: { "app.kubernetes.io/name": "istio-cni", ...helmLabels("cni") },
      },
      spec: {
        hard: { pods: String(quotas.pods) },
        scopeSelector: { matchExpressions: [{ operator: "In", scopeName: "PriorityClass", values: ["system-node-critical"] }] },
      },
    });
  if (networkPolicyEnabled(values)) objects.push(cniNetworkPolicy(ns, input.revision, stringAt(values, "ownerName")));
  // Multus chains CNI plugins per pod: the NetworkAttachmentDefinition (always in `default`) names istio-cni.
  if (cni.provider === "multus")
    objects.push({
      apiVersion: "k8s.cni.cncf.io/v1",
      kind: "NetworkAttachmentDefinition",
      metadata: {
        name: "istio-cni",
        namespace: "default",
        labels: { "operator.istio.io/component": "Cni", "app.kubernetes.io/name": "istio-cni", ...helmLabels("cni") },
      },
    });
  return objects;
}

/** The repair controller reads pods and writes events; deleting or labelling broken pods needs one more rule. */
function repairRules(repair: JsonMap): JsonMap[] {
  const rules: JsonMap[] = [
    { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
    { apiGroups: [""], resources: ["pods"], verbs: ["watch", "get", "list"] },
  ];
  if (repair.repairPods === true) return rules;
  if (repair.deletePods === true) rules.push({ apiGroups: [""], resources: ["pods"], verbs: ["delete"] });
  else if (repair.labelPods === true) rules.push({ apiGroups: [""], resources: ["pods/status"], verbs: ["patch", "update"] });
  return rules;
}

/** The agent's settings, read as environment variables (envFrom). Helm's `quote` turns every value into a string. */
function cniConfigMap(values: JsonMap, ns: string, labels: Record<string, string>): KubeObject {
  const cni = values.cni as JsonMap;
  const ambient = cni.ambient as JsonMap;
  const repair = cni.repair as JsonMap;
  const text = (value: unknown) => (value === undefined || value === null ? "" : scalarText(value));
  const data: Record<string, string> = {
    CURRENT_AGENT_VERSION: stringAt(cni, "tag") || stringAt(values, "global.tag"),
    AMBIENT_ENABLED: text(ambient.enabled),
    // Helm's toYaml: keys sorted, list dashes at their key's column, no final line break.
    AMBIENT_ENABLEMENT_SELECTOR: emitYaml(ambient.enablementSelectors ?? null).replace(/\n$/, ""),
    AMBIENT_DNS_CAPTURE: text(ambient.dnsCapture),
    AMBIENT_IPV6: text(ambient.ipv6),
    AMBIENT_RECONCILE_POD_RULES_ON_STARTUP: text(ambient.reconcileIptablesOnStartup),
    ENABLE_AMBIENT_DETECTION_RETRY: text(ambient.enableAmbientDetectionRetry),
    ...(stringAt(cni, "cniConfFileName") ? { CNI_CONF_NAME: stringAt(cni, "cniConfFileName") } : {}),
    ISTIO_OWNED_CNI_CONFIG: text(cni.istioOwnedCNIConfig),
    ...(helmTruthy(cni.istioOwnedCNIConfig) ? { ISTIO_OWNED_CNI_CONF_FILENAME: stringAt(cni, "istioOwnedCNIConfigFileName") } : {}),
    CHAINED_CNI_PLUGIN: text(cni.chained),
    EXCLUDE_NAMESPACES: ((cni.excludeNamespaces as unknown[]) ?? []).map(text).join(","),
    REPAIR_ENABLED: text(repair.enabled),
    REPAIR_LABEL_PODS: text(repair.labelPods),
    REPAIR_DELETE_PODS: text(repair.deletePods),
    REPAIR_REPAIR_PODS: text(repair.repairPods),
    REPAIR_INIT_CONTAINER_NAME: text(repair.initContainerName),
    REPAIR_BROKEN_POD_LABEL_KEY: text(repair.brokenPodLabelKey),
    REPAIR_BROKEN_POD_LABEL_VALUE: text(repair.brokenPodLabelValue),
    NATIVE_NFTABLES: text(valueAt(values, "global.nativeNftables") ?? false),
    ...sortedStrings(cni.env),
  };
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "istio-cni-config", namespace: ns, labels }, data };
}

function sortedStrings(source: unknown): Record<string, string> {
  if (!isMap(source)) return {};
  return Object.fromEntries(
    Object.keys(source)
      .sort()
      .map((key) => [key, String(source[key])]),
  );
}

function cniDaemonSet(values: JsonMap, input: CniInput): KubeObject {
  const cni = values.cni as JsonMap;
  const ambient = cni.ambient as JsonMap;
  const repair = cni.repair as JsonMap;
  const ambientEnabled = ambient.enabled === true;
  const hostNetwork = ambientEnabled && ambient.shareHostNetworkNamespace === true;
  const procfs = repair.repairPods === true || ambientEnabled;
  // AppArmor unconfined by pod annotation (the chart's default) or by the container's appArmorProfile.
  const appArmorByAnnotation = helmTruthy(cni.useAppArmorAnnotation);
  const image = imageName(
    stringAt(cni, "image", "install-cni"),
    stringAt(cni, "hub") || stringAt(values, "global.hub"),
    stringAt(cni, "tag") || stringAt(values, "global.tag"),
    stringAt(cni, "variant") || stringAt(values, "global.variant"),
  );
  const pullPolicy = stringAt(cni, "pullPolicy") || stringAt(values, "global.imagePullPolicy");
  const logLevel = stringAt(cni, "logging.level") || stringAt(values, "global.logging.level");
  const fieldRef = (fieldPath: string, apiVersion?: string) => ({
    valueFrom: { fieldRef: apiVersion ? { apiVersion, fieldPath } : { fieldPath } },
  });
  const resourceRef = (resource: string) => ({ valueFrom: { resourceFieldRef: { resource, divisor: "1" } } });
  const seLinuxOptions =
    isMap(cni.seLinuxOptions) && Object.keys(cni.seLinuxOptions).length > 0 ? { ...cni.seLinuxOptions, type: "spc_t" } : undefined;
  const seccompProfile = isMap(cni.seccompProfile) && Object.keys(cni.seccompProfile).length > 0 ? cni.seccompProfile : undefined;
  const resources =
    isMap(cni.resources) && Object.keys(cni.resources).length > 0 ? cni.resources : valueAt(values, "global.defaultResources");
  const container = {
    name: "install-cni",
    image,
    ...(pullPolicy ? { imagePullPolicy: pullPolicy } : {}),
    ports: [{ containerPort: 15014, name: "metrics", protocol: "TCP" }],
    readinessProbe: { httpGet: { path: "/readyz", port: 8000 } },
    securityContext: {
      ...(appArmorByAnnotation ? {} : { appArmorProfile: { type: "Unconfined" } }),
      privileged: false,
      runAsGroup: 0,
      runAsUser: 0,
      runAsNonRoot: false,
      // Ambient capture and pod repair enter other pods' network namespaces; these capabilities, not full privilege.
      capabilities: { drop: ["ALL"], add: ["NET_ADMIN", "NET_RAW", "SYS_PTRACE", "SYS_ADMIN", "DAC_OVERRIDE"] },
      ...(seLinuxOptions ? { seLinuxOptions } : {}),
      ...(seccompProfile ? { seccompProfile } : {}),
    },
    command: ["install-cni"],
    args: [
      ...(logLevel ? [`--log_output_level=${logLevel}`] : []),
      ...(valueAt(values, "global.logAsJson") === true ? ["--log_as_json"] : []),
    ],
    envFrom: [{ configMapRef: { name: "istio-cni-config" } }],
    env: [
      { name: "REPAIR_NODE_NAME", ...fieldRef("spec.nodeName") },
      { name: "REPAIR_RUN_AS_DAEMON", value: "true" },
      { name: "REPAIR_SIDECAR_ANNOTATION", value: "sidecar.istio.io/status" },
      ...(hostNetwork ? [] : [{ name: "ALLOW_SWITCH_TO_HOST_NS", value: "true" }]),
      { name: "NODE_NAME", ...fieldRef("spec.nodeName", "v1") },
      { name: "GOMEMLIMIT", ...resourceRef("limits.memory") },
      { name: "GOMAXPROCS", ...resourceRef("limits.cpu") },
      { name: "POD_NAME", ...fieldRef("metadata.name") },
      { name: "POD_NAMESPACE", ...fieldRef("metadata.namespace") },
      ...Object.entries(sortedStrings(cni.env)).map(([name, value]) => ({ name, value })),
    ],
    volumeMounts: [
      { mountPath: "/host/opt/cni/bin", name: "cni-bin-dir" },
      ...(procfs ? [{ mountPath: "/host/proc", name: "cni-host-procfs", readOnly: true }] : []),
      { mountPath: "/host/etc/cni/net.d", name: "cni-net-dir" },
      { mountPath: "/var/run/istio-cni", name: "cni-socket-dir" },
      ...(ambientEnabled
        ? [
            { mountPath: "/host/var/run/netns", mountPropagation: "HostToContainer", name: "cni-netns-dir" },
            { mountPath: "/var/run/ztunnel", name: "cni-ztunnel-sock-dir" },
          ]
        : []),
    ],
    resources,
  };
  const volumes = [
    { name: "cni-bin-dir", hostPath: { path: stringAt(cni, "cniBinDir", "/opt/cni/bin") } },
    ...(procfs ? [{ name: "cni-host-procfs", hostPath: { path: "/proc", type: "Directory" } }] : []),
    ...(ambientEnabled ? [{ name: "cni-ztunnel-sock-dir", hostPath: { path: "/var/run/ztunnel", type: "DirectoryOrCreate" } }] : []),
    { name: "cni-net-dir", hostPath: { path: stringAt(cni, "cniConfDir") } },
    { name: "cni-socket-dir", hostPath: { path: "/var/run/istio-cni" } },
    // Declared even without ambient, where nothing mounts it (as the chart does).
    { name: "cni-netns-dir", hostPath: { path: stringAt(cni, "cniNetnsDir", "/var/run/netns"), type: "DirectoryOrCreate" } },
  ];
  const affinity = isMap(cni.affinity) && Object.keys(cni.affinity).length > 0 ? cni.affinity : undefined;
  const tolerations = Array.isArray(cni.tolerations) && cni.tolerations.length > 0 ? cni.tolerations : undefined;
  const updateStrategy = isMap(cni.updateStrategy) && Object.keys(cni.updateStrategy).length > 0 ? cni.updateStrategy : undefined;
  const helm = helmLabels("cni");
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: {
      name: "istio-cni-node",
      namespace: input.namespace,
      labels: {
        "k8s-app": "istio-cni-node",
        release: "istio",
        ...operatorLabels("Cni", input.revision, stringAt(values, "ownerName")),
        "app.kubernetes.io/name": "istio-cni",
        ...helm,
        ...stringMap(cni.daemonSetLabels),
      },
    },
    spec: {
      selector: { matchLabels: { "k8s-app": "istio-cni-node" } },
      ...(updateStrategy ? { updateStrategy } : {}),
      template: {
        metadata: {
          labels: {
            "k8s-app": "istio-cni-node",
            "sidecar.istio.io/inject": "false",
            "istio.io/dataplane-mode": "none",
            "app.kubernetes.io/name": "istio-cni",
            ...helm,
            ...stringMap(cni.podLabels),
          },
          annotations: {
            "sidecar.istio.io/inject": "false",
            "prometheus.io/scrape": "true",
            "prometheus.io/port": "15014",
            "prometheus.io/path": "/metrics",
            // The annotation serves Kubernetes versions without securityContext.appArmorProfile (before 1.30).
            ...(appArmorByAnnotation ? { "container.apparmor.security.beta.kubernetes.io/install-cni": "unconfined" } : {}),
            ...stringMap(cni.podAnnotations),
          },
        },
        spec: {
          ...(hostNetwork ? { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } : {}),
          nodeSelector: { "kubernetes.io/os": "linux" },
          ...(affinity ? { affinity } : {}),
          ...(tolerations ? { tolerations } : {}),
          priorityClassName: "system-node-critical",
          serviceAccountName: "istio-cni",
          // Short on purpose: a rolling upgrade or deletion should not leave a node without its agent for long.
          terminationGracePeriodSeconds: cni.terminationGracePeriodSeconds,
          containers: [container],
          volumes,
        },
      },
    },
  };
}

function stringMap(source: unknown): Record<string, string> {
  return isMap(source) ? Object.fromEntries(Object.entries(source).map(([key, value]) => [key, String(value)])) : {};
}
