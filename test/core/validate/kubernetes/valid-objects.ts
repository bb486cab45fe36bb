import { widgetCrd } from "../../../support/widget-crd.js";
export type Json = Record<string, any>;

/** Valid objects of the common built-in kinds (fresh copies on each call): the rule table breaks them one rule at a time. */
export const container = (name = "app"): Json => ({ name, image: "nginx:1.27", ports: [{ name: "http", containerPort: 8080 }] });
const podSpec = (): Json => ({ containers: [container()], volumes: [{ name: "data", emptyDir: {} }] });
const template = (): Json => ({ metadata: { labels: { app: "web" } }, spec: podSpec() });
const meta = (name = "web"): Json => ({ name, namespace: "shop" });

export const validCoreObjects: Record<string, () => Json> = {
  deployment: () => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(),
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: template() },
  }),
  replicaSet: () => ({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: meta(),
    spec: { selector: { matchLabels: { app: "web" } }, template: template() },
  }),
  statefulSet: () => ({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: meta(),
    spec: { serviceName: "web", selector: { matchLabels: { app: "web" } }, template: template() },
  }),
  daemonSet: () => ({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: meta(),
    spec: { selector: { matchLabels: { app: "web" } }, template: template() },
  }),
  pod: () => ({ apiVersion: "v1", kind: "Pod", metadata: meta(), spec: podSpec() }),
  job: () => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: meta(),
    spec: { template: { spec: { ...podSpec(), restartPolicy: "Never" } } },
  }),
  cronJob: () => ({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: meta(),
    spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { spec: { ...podSpec(), restartPolicy: "OnFailure" } } } } },
  }),
  service: () => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(),
    spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
  }),
  configMap: () => ({ apiVersion: "v1", kind: "ConfigMap", metadata: meta(), data: { "app.properties": "a=b" } }),
  secret: () => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: meta(),
    type: "kubernetes.io/tls",
    data: { "tls.crt": "Zm9v", "tls.key": "YmFy" },
  }),
  namespace: () => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } }),
  hpa: () => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: meta(),
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 2, maxReplicas: 5 },
  }),
  pdb: () => ({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: meta(),
    spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } } },
  }),
  ingress: () => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: meta(),
    spec: {
      rules: [
        {
          host: "shop.example.com",
          http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] },
        },
      ],
    },
  }),
  ingressClass: () => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "IngressClass",
    metadata: { name: "istio" },
    spec: { controller: "istio.io/ingress-controller" },
  }),
  networkPolicy: () => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta(),
    spec: {
      podSelector: { matchLabels: { app: "web" } },
      policyTypes: ["Ingress"],
      ingress: [{ ports: [{ protocol: "TCP", port: 8080 }] }],
    },
  }),
  role: () => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: meta(),
    rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
  }),
  roleBinding: () => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: meta(),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "web" },
    subjects: [{ kind: "ServiceAccount", name: "web", namespace: "shop" }],
  }),
  clusterRoleBinding: () => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "web" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
    subjects: [{ kind: "ServiceAccount", name: "web", namespace: "shop" }],
  }),
  priorityClass: () => ({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "high" }, value: 1000 }),
  pvc: () => ({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: meta(),
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
  }),
  storageClass: () => ({
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "fast" },
    provisioner: "ebs.csi.aws.com",
    reclaimPolicy: "Delete",
  }),
  limitRange: () => ({
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: meta(),
    spec: { limits: [{ type: "Container", min: { cpu: "100m" }, max: { cpu: "1" } }] },
  }),
  resourceQuota: () => ({ apiVersion: "v1", kind: "ResourceQuota", metadata: meta(), spec: { hard: { pods: "10" } } }),
  webhook: () => ({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name: "istio-validator" },
    webhooks: [
      {
        name: "validation.istio.io",
        clientConfig: { service: { name: "istiod", namespace: "istio-system" } },
        sideEffects: "None",
        admissionReviewVersions: ["v1"],
        rules: [{ operations: ["CREATE"], apiGroups: ["networking.istio.io"], apiVersions: ["*"], resources: ["*"] }],
      },
    ],
  }),
  policyBinding: () => ({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: "demo" },
    spec: { policyName: "demo", validationActions: ["Deny"] },
  }),
  crd: () => widgetCrd(),
};
