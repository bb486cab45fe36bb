import type { KubeObject } from "../objects.js";
import { isMap, type JsonMap } from "../operator/types.js";
import { helmLabels } from "./labels.js";
import { istiodOwnerLabels, object, revisioned, value, type IstiodContext } from "./istiod-context.js";
import { helmTruthy, imageName, stringAt } from "./values.js";

const fieldRef = (fieldPath: string) => ({ valueFrom: { fieldRef: { apiVersion: "v1", fieldPath } } });

/** Selector of istiod's pods: `istio: pilot`, or `app: istiod` + `istio.io/rev` with a revision. */
export function istiodSelector(context: IstiodContext): Record<string, string> {
  return context.revision ? { app: "istiod", "istio.io/rev": context.revision } : { istio: "pilot" };
}

function workloadLabels(context: IstiodContext): Record<string, string> {
  return {
    app: "istiod",
    istio: "pilot",
    ...istiodOwnerLabels(context),
    "app.kubernetes.io/name": "istiod",
    release: "istio",
    ...helmLabels("istiod"),
  };
}

export function autoscaled(context: IstiodContext): boolean {
  return (
    value(context, "pilot.autoscaleEnabled") === true &&
    Number(value(context, "pilot.autoscaleMin")) > 0 &&
    Number(value(context, "pilot.autoscaleMax")) > 0
  );
}

/** Deployment `istiod[-rev]` (docs/design/install.md §7.2.1). */
export function istiodDeployment(context: IstiodContext, hub: string, tag: string): KubeObject {
  const name = revisioned(context, "istiod");
  const rev = context.revision || "default";
  const jwksExtraRoots = Boolean(value<string>(context, "pilot.jwksResolverExtraRootCA"));
  const podLabels = {
    app: "istiod",
    ...istiodOwnerLabels(context),
    "sidecar.istio.io/inject": "false",
    istio: context.revision ? "istiod" : "pilot",
    "istio.io/dataplane-mode": "none",
    "app.kubernetes.io/name": "istiod",
    ...helmLabels("istiod"),
    ...(value<Record<string, string>>(context, "pilot.podLabels") ?? {}),
  };
  const podAnnotations = {
    "prometheus.io/port": "15014",
    "prometheus.io/scrape": "true",
    "sidecar.istio.io/inject": "false",
    ...(value<Record<string, string>>(context, "pilot.podAnnotations") ?? {}),
  };
  const variant = stringAt(context.values, "pilot.variant") || stringAt(context.values, "global.variant");
  const image = imageName(stringAt(context.values, "pilot.image", "pilot"), hub, tag, variant);
  const args = [
    "discovery",
    "--monitoringAddr=:15014",
    ...(value(context, "global.logging.level") ? [`--log_output_level=${stringAt(context.values, "global.logging.level")}`] : []),
    ...(value(context, "global.logAsJson") === true ? ["--log_as_json"] : []),
    "--domain",
    stringAt(context.values, "global.proxy.clusterDomain", "cluster.local"),
    ...(value(context, "pilot.taint.namespace") ? [`--cniNamespace=${stringAt(context.values, "pilot.taint.namespace")}`] : []),
    "--keepaliveMaxServerConnectionAge",
    stringAt(context.values, "pilot.keepaliveMaxServerConnectionAge", "30m"),
    ...(value<string[]>(context, "pilot.extraContainerArgs") ?? []).map(String),
  ];
  const userEnv = value<JsonMap>(context, "pilot.env") ?? {};
  const env: JsonMap[] = [
    { name: "REVISION", value: rev },
    { name: "PILOT_CERT_PROVIDER", value: stringAt(context.values, "global.pilotCertProvider", "istiod") },
    { name: "POD_NAME", ...fieldRef("metadata.name") },
    { name: "POD_NAMESPACE", ...fieldRef("metadata.namespace") },
    { name: "SERVICE_ACCOUNT", ...fieldRef("spec.serviceAccountName") },
    { name: "KUBECONFIG", value: "/var/run/secrets/remote/config" },
    // As in the chart, a renamed ztunnel (values.ztunnel.resourceName) is not followed: pilot.trustedZtunnelName names it.
    ...(helmTruthy(userEnv.CA_TRUSTED_NODE_ACCOUNTS)
      ? []
      : [
          {
            name: "CA_TRUSTED_NODE_ACCOUNTS",
            value: `${stringAt(context.values, "pilot.trustedZtunnelNamespace") || context.namespace}/${stringAt(context.values, "pilot.trustedZtunnelName", "ztunnel")}`,
          },
        ]),
    ...Object.keys(userEnv)
      .sort()
      .map((key) => (isMap(userEnv[key]) ? { name: key, ...userEnv[key] } : { name: key, value: String(userEnv[key]) })),
    ...(value<JsonMap[]>(context, "pilot.envVarFrom") ?? []),
    { name: "PILOT_TRACE_SAMPLING", value: String(value(context, "pilot.traceSampling") ?? 1) },
    ...(value<boolean>(context, "pilot.taint.enabled") === true
      ? [
          { name: "PILOT_ENABLE_NODE_UNTAINT_CONTROLLERS", value: "true" },
          { name: "PILOT_NODE_UNTAINT_CONTROLLERS_TAINT_NAME", value: stringAt(context.values, "pilot.taint.name") },
        ]
      : []),
    // Set from global.externalIstiod unless pilot.env already sets it.
    ...(value(context, "global.externalIstiod") && !userEnv.EXTERNAL_ISTIOD
      ? [{ name: "EXTERNAL_ISTIOD", value: stringAt(context.values, "global.externalIstiod") }]
      : []),
    ...(stringAt(context.values, "global.trustBundleName")
      ? [{ name: "PILOT_CA_CERT_CONFIGMAP", value: stringAt(context.values, "global.trustBundleName") }]
      : []),
    ...(stringAt(context.values, "pilot.crlConfigMapName")
      ? [{ name: "PILOT_CRL_CONFIGMAP", value: stringAt(context.values, "pilot.crlConfigMapName") }]
      : []),
    { name: "PILOT_ENABLE_ANALYSIS", value: String(value(context, "global.istiod.enableAnalysis") === true) },
    { name: "CLUSTER_ID", value: stringAt(context.values, "global.multiCluster.clusterName", "Kubernetes") },
    { name: "GOMAXPROCS", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "1" } } },
    { name: "PLATFORM", value: stringAt(context.values, "global.platform") },
  ];
  const seccomp = value<JsonMap>(context, "pilot.seccompProfile") ?? {};
  const container: JsonMap = {
    name: "discovery",
    image,
    ...(value(context, "global.imagePullPolicy") ? { imagePullPolicy: stringAt(context.values, "global.imagePullPolicy") } : {}),
    args,
    ports: [
      { containerPort: 8080, protocol: "TCP", name: "http-debug" },
      { containerPort: 15010, protocol: "TCP", name: "grpc-xds" },
      { containerPort: 15012, protocol: "TCP", name: "tls-xds" },
      { containerPort: 15017, protocol: "TCP", name: "https-webhooks" },
      { containerPort: 15014, protocol: "TCP", name: "http-monitoring" },
    ],
    readinessProbe: { httpGet: { path: "/ready", port: 8080 }, initialDelaySeconds: 1, periodSeconds: 3, timeoutSeconds: 5 },
    env,
    resources: value(context, "pilot.resources") ?? value(context, "global.defaultResources") ?? {},
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
      ...(Object.keys(seccomp).length > 0 ? { seccompProfile: seccomp } : {}),
    },
    volumeMounts: [
      { name: "istio-token", mountPath: "/var/run/secrets/tokens", readOnly: true },
      { name: "local-certs", mountPath: "/var/run/secrets/istio-dns" },
      { name: "cacerts", mountPath: "/etc/cacerts", readOnly: true },
      { name: "istio-kubeconfig", mountPath: "/var/run/secrets/remote", readOnly: true },
      ...(jwksExtraRoots ? [{ name: "extracacerts", mountPath: "/cacerts" }] : []),
      { name: "istio-csr-dns-cert", mountPath: "/var/run/secrets/istiod/tls", readOnly: true },
      { name: "istio-csr-ca-configmap", mountPath: "/var/run/secrets/istiod/ca", readOnly: true },
      ...(value<JsonMap[]>(context, "pilot.volumeMounts") ?? []),
    ],
  };
  const podSpec: JsonMap = {
    tolerations: [{ key: "cni.istio.io/not-ready", operator: "Exists" }, ...(value<JsonMap[]>(context, "pilot.tolerations") ?? [])],
    serviceAccountName: name,
    ...optional("nodeSelector", value(context, "pilot.nodeSelector")),
    ...optional("affinity", value(context, "pilot.affinity")),
    ...optional("topologySpreadConstraints", value(context, "pilot.topologySpreadConstraints")),
    ...(value(context, "global.priorityClassName") ? { priorityClassName: stringAt(context.values, "global.priorityClassName") } : {}),
    ...optional("initContainers", value(context, "pilot.initContainers")),
    // global.imagePullSecrets go on the ServiceAccount, as the chart puts them, not on the pod.
    containers: [container],
    volumes: [
      { name: "local-certs", emptyDir: { medium: "Memory" } },
      {
        name: "istio-token",
        projected: {
          sources: [
            {
              serviceAccountToken: {
                audience: stringAt(context.values, "global.sds.token.aud", "istio-ca"),
                expirationSeconds: 43200,
                path: "istio-token",
              },
            },
          ],
        },
      },
      { name: "cacerts", secret: { secretName: "cacerts", optional: true } },
      { name: "istio-kubeconfig", secret: { secretName: "istio-kubeconfig", optional: true } },
      { name: "istio-csr-dns-cert", secret: { secretName: "istiod-tls", optional: true } },
      istiodCaVolume(context),
      ...(jwksExtraRoots ? [{ name: "extracacerts", configMap: { name: revisioned(context, "pilot-jwks-extra-cacerts") } }] : []),
      ...(value<JsonMap[]>(context, "pilot.volumes") ?? []),
    ],
  };
  return object(
    "apps/v1",
    "Deployment",
    {
      name,
      namespace: context.namespace,
      labels: { ...workloadLabels(context), ...(value<Record<string, string>>(context, "pilot.deploymentLabels") ?? {}) },
    },
    {
      spec: {
        ...(autoscaled(context) ? {} : { replicas: Number(value(context, "pilot.replicaCount") ?? 1) }),
        strategy: {
          rollingUpdate: {
            maxSurge: value(context, "pilot.rollingMaxSurge") ?? "100%",
            maxUnavailable: value(context, "pilot.rollingMaxUnavailable") ?? "25%",
          },
        },
        selector: { matchLabels: istiodSelector(context) },
        template: { metadata: { labels: podLabels, annotations: podAnnotations }, spec: podSpec },
      },
    },
  );
}

function optional(key: string, content: unknown): JsonMap {
  if (content === undefined || content === null) return {};
  if (Array.isArray(content) && content.length === 0) return {};
  if (isMap(content) && Object.keys(content).length === 0) return {};
  return { [key]: content };
}

/** Service `istiod[-rev]` (docs/design/install.md §7.2.2). */
export function istiodService(context: IstiodContext): KubeObject {
  const annotations = value<Record<string, string>>(context, "pilot.serviceAnnotations") ?? {};
  const ipFamilies = value<string[]>(context, "pilot.ipFamilies") ?? [];
  return object(
    "v1",
    "Service",
    {
      name: revisioned(context, "istiod"),
      namespace: context.namespace,
      labels: workloadLabels(context),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    {
      spec: {
        ...(ipFamilies.length > 0 ? { ipFamilies } : {}),
        ...(value(context, "pilot.ipFamilyPolicy") ? { ipFamilyPolicy: value(context, "pilot.ipFamilyPolicy") } : {}),
        ports: [
          { port: 15010, name: "grpc-xds", protocol: "TCP" },
          { port: 15012, name: "https-dns", protocol: "TCP" },
          { port: 443, name: "https-webhook", targetPort: 15017, protocol: "TCP" },
          { port: 15014, name: "http-monitoring", protocol: "TCP" },
        ],
        selector: context.revision ? { app: "istiod", "istio.io/rev": context.revision } : { app: "istiod", istio: "pilot" },
      },
    },
  );
}

/** HorizontalPodAutoscaler `istiod[-rev]` when autoscaling is on (docs/design/install.md §7.2.3). */
export function istiodAutoscaler(context: IstiodContext): KubeObject | undefined {
  if (!autoscaled(context)) return undefined;
  const name = revisioned(context, "istiod");
  const metric = (resource: string, utilization: unknown) => ({
    type: "Resource",
    resource: { name: resource, target: { type: "Utilization", averageUtilization: utilization } },
  });
  const memory = value(context, "pilot.memory.targetAverageUtilization");
  const behavior = value<JsonMap>(context, "pilot.autoscaleBehavior") ?? {};
  return object(
    "autoscaling/v2",
    "HorizontalPodAutoscaler",
    {
      name,
      namespace: context.namespace,
      labels: {
        app: "istiod",
        release: "istio",
        ...istiodOwnerLabels(context),
        "app.kubernetes.io/name": "istiod",
        ...helmLabels("istiod"),
      },
    },
    {
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicas: value(context, "pilot.autoscaleMin"),
        maxReplicas: value(context, "pilot.autoscaleMax"),
        metrics: [
          ...(value(context, "pilot.cpu.targetAverageUtilization") !== undefined
            ? [metric("cpu", value(context, "pilot.cpu.targetAverageUtilization"))]
            : []),
          ...(memory !== undefined ? [metric("memory", memory)] : []),
        ],
        ...(Object.keys(behavior).length > 0 ? { behavior } : {}),
      },
    },
  );
}

/** PodDisruptionBudget `istiod[-rev]`: only with more than one replica guaranteed (docs/design/install.md §7.2.6). */
export function istiodDisruptionBudget(context: IstiodContext): KubeObject | undefined {
  if (value(context, "global.defaultPodDisruptionBudget.enabled") === false) return undefined;
  const several = autoscaled(context) ? Number(value(context, "pilot.autoscaleMin")) > 1 : Number(value(context, "pilot.replicaCount")) > 1;
  if (!several) return undefined;
  const pdb = value<JsonMap>(context, "pilot.pdb") ?? {};
  return object(
    "policy/v1",
    "PodDisruptionBudget",
    {
      name: revisioned(context, "istiod"),
      namespace: context.namespace,
      labels: {
        app: "istiod",
        istio: "pilot",
        release: "istio",
        ...istiodOwnerLabels(context),
        "app.kubernetes.io/name": "istiod",
        ...helmLabels("istiod"),
      },
    },
    {
      spec: {
        ...(pdb.maxUnavailable !== undefined ? { maxUnavailable: pdb.maxUnavailable } : { minAvailable: pdb.minAvailable ?? 1 }),
        ...(pdb.unhealthyPodEvictionPolicy ? { unhealthyPodEvictionPolicy: pdb.unhealthyPodEvictionPolicy } : {}),
        selector: {
          matchLabels: context.revision ? { app: "istiod", "istio.io/rev": context.revision } : { app: "istiod", istio: "pilot" },
        },
      },
    },
  );
}

/** The CA root istiod serves to istio-csr: its ConfigMap, or the ClusterTrustBundle istiod publishes. */
function istiodCaVolume(context: IstiodContext): JsonMap {
  const trustBundle = stringAt(context.values, "global.trustBundleName");
  if (value(context, "pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API") === true)
    return {
      name: "istio-csr-ca-configmap",
      projected: {
        sources: [
          { clusterTrustBundle: { name: `istio.io:istiod-ca:${trustBundle || "root-cert"}`, path: "root-cert.pem", optional: true } },
        ],
      },
    };
  return { name: "istio-csr-ca-configmap", configMap: { name: trustBundle || "istio-ca-root-cert", defaultMode: 420, optional: true } };
}
