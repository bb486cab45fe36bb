import { describe, expect, it } from "vitest";
import { validateObjects } from "../../../../src/core/validate/index.js";
import { container, validCoreObjects as valid, type Json } from "./valid-objects.js";

interface Case {
  rule: string;
  twin: keyof typeof valid;
  breakIt: (object: Json) => void;
  message: string;
}

const cases: Case[] = [
  // Schema (strict decoding and OpenAPI types)
  {
    rule: "replicas must be an integer",
    twin: "deployment",
    breakIt: (o) => (o.spec.replicas = "two"),
    message: 'spec.replicas: Invalid value: "string": must be of type integer',
  },
  {
    rule: "unknown fields are rejected",
    twin: "deployment",
    breakIt: (o) => (o.spec.template.spec.containers[0].imagePullPolice = "Always"),
    message: 'unknown field "spec.template.spec.containers[0].imagePullPolice" (did you mean "imagePullPolicy"?)',
  },
  {
    rule: "quantities follow the quantity grammar",
    twin: "deployment",
    breakIt: (o) => (o.spec.template.spec.containers[0].resources = { limits: { memory: "lots" } }),
    message:
      "spec.template.spec.containers[0].resources.limits.memory: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  {
    rule: "a port is an integer or a name",
    twin: "service",
    breakIt: (o) => (o.spec.ports[0].targetPort = 80.5),
    message: 'spec.ports[0].targetPort: Invalid value: "number": must be of type integer or string',
  },
  {
    rule: "a Deployment needs a template",
    twin: "deployment",
    breakIt: (o) => delete o.spec.template,
    message: "spec.template: Required value",
  },
  {
    rule: "a container needs a name (schema)",
    twin: "pod",
    breakIt: (o) => delete o.spec.containers[0].name,
    message: "spec.containers[0].name: Required value",
  },
  {
    rule: "secret data is base64",
    twin: "secret",
    breakIt: (o) => (o.data["tls.key"] = "not base64!"),
    message: 'data[tls.key]: Invalid value: "not base64!": must be of type byte',
  },
  // Workload selectors and templates
  {
    rule: "the selector must match the template labels",
    twin: "deployment",
    breakIt: (o) => (o.spec.template.metadata.labels = { app: "api" }),
    message: 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`',
  },
  {
    rule: "a ReplicaSet's selector must match",
    twin: "replicaSet",
    breakIt: (o) => (o.spec.selector.matchLabels.tier = "front"),
    message: 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  },
  {
    rule: "a StatefulSet's selector must match",
    twin: "statefulSet",
    breakIt: (o) => (o.spec.template.metadata.labels = {}),
    message: "spec.template.metadata.labels: Invalid value: map[string]string{}: `selector` does not match template `labels`",
  },
  {
    rule: "a DaemonSet's selector must match",
    twin: "daemonSet",
    breakIt: (o) => (o.spec.selector = { matchExpressions: [{ key: "app", operator: "In", values: ["api"] }] }),
    message: 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  },
  {
    rule: "an empty selector is invalid",
    twin: "deployment",
    breakIt: (o) => (o.spec.selector = {}),
    message: 'spec.selector: Invalid value: "object": empty selector is invalid for deployment',
  },
  {
    rule: "In needs values",
    twin: "deployment",
    breakIt: (o) => (o.spec.selector = { matchExpressions: [{ key: "app", operator: "In", values: [] }] }),
    message: "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
  },
  {
    rule: "selector operators are an enum",
    twin: "deployment",
    breakIt: (o) => (o.spec.selector = { matchExpressions: [{ key: "app", operator: "Equals", values: ["web"] }] }),
    message:
      'spec.selector.matchExpressions[0].operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
  },
  {
    rule: "replicas are not negative",
    twin: "deployment",
    breakIt: (o) => (o.spec.replicas = -1),
    message: "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
  },
  {
    rule: "Deployments restart Always",
    twin: "deployment",
    breakIt: (o) => (o.spec.template.spec.restartPolicy = "Never"),
    message: 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
  },
  {
    rule: "Recreate takes no rollingUpdate",
    twin: "deployment",
    breakIt: (o) => (o.spec.strategy = { type: "Recreate", rollingUpdate: { maxSurge: 1 } }),
    message: "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
  },
  {
    rule: "maxSurge and maxUnavailable are not both 0",
    twin: "deployment",
    breakIt: (o) => (o.spec.strategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }),
    message: "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
  },
  {
    rule: "a percentage is at most 100%",
    twin: "deployment",
    breakIt: (o) => (o.spec.strategy = { rollingUpdate: { maxUnavailable: "150%" } }),
    message: 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
  },
  {
    rule: "progressDeadlineSeconds exceeds minReadySeconds",
    twin: "deployment",
    breakIt: (o) => Object.assign(o.spec, { minReadySeconds: 30, progressDeadlineSeconds: 10 }),
    message: "spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds",
  },
  {
    rule: "StatefulSet podManagementPolicy",
    twin: "statefulSet",
    breakIt: (o) => (o.spec.podManagementPolicy = "Serial"),
    message: "spec.podManagementPolicy: Invalid value: \"Serial\": must be 'OrderedReady' or 'Parallel'",
  },
  {
    rule: "a Job restarts OnFailure or Never",
    twin: "job",
    breakIt: (o) => delete o.spec.template.spec.restartPolicy,
    message: 'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
  },
  {
    rule: "a Job's backoffLimit is not negative",
    twin: "job",
    breakIt: (o) => (o.spec.backoffLimit = -2),
    message: "spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0",
  },
  {
    rule: "a CronJob schedule has five fields",
    twin: "cronJob",
    breakIt: (o) => (o.spec.schedule = "every 5 minutes"),
    message: 'spec.schedule: Invalid value: "every 5 minutes": expected exactly 5 fields, found 3: [every 5 minutes]',
  },
  {
    rule: "a CronJob schedule stays in range",
    twin: "cronJob",
    breakIt: (o) => (o.spec.schedule = "0 25 * * *"),
    message: 'spec.schedule: Invalid value: "0 25 * * *": end of range (25) above maximum (23): 25',
  },
  {
    rule: "a CronJob schedule has no TZ",
    twin: "cronJob",
    breakIt: (o) => (o.spec.schedule = "TZ=UTC 0 * * * *"),
    message: 'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
  },
  {
    rule: "CronJob concurrencyPolicy",
    twin: "cronJob",
    breakIt: (o) => (o.spec.concurrencyPolicy = "Never"),
    message: 'spec.concurrencyPolicy: Unsupported value: "Never": supported values: "Allow", "Forbid", "Replace"',
  },
  // Pod specs
  { rule: "a pod has containers", twin: "pod", breakIt: (o) => (o.spec.containers = []), message: "spec.containers: Required value" },
  {
    rule: "container names are unique",
    twin: "deployment",
    breakIt: (o) => o.spec.template.spec.containers.push(container()),
    message: 'spec.template.spec.containers[1].name: Duplicate value: "app"',
  },
  {
    rule: "init and app containers share names",
    twin: "pod",
    breakIt: (o) => (o.spec.initContainers = [{ name: "app", image: "busybox" }]),
    message: 'spec.containers[0].name: Duplicate value: "app"',
  },
  {
    rule: "container names are DNS labels",
    twin: "pod",
    breakIt: (o) => (o.spec.containers[0].name = "App_1"),
    message:
      "spec.containers[0].name: Invalid value: \"App_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  },
  {
    rule: "a container needs an image",
    twin: "deployment",
    breakIt: (o) => delete o.spec.template.spec.containers[0].image,
    message: "spec.template.spec.containers[0].image: Required value",
  },
  {
    rule: "container ports are 1-65535",
    twin: "deployment",
    breakIt: (o) => (o.spec.template.spec.containers[0].ports[0].containerPort = 70000),
    message: "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
  },
  {
    rule: "host ports are 1-65535",
    twin: "pod",
    breakIt: (o) => (o.spec.containers[0].ports[0].hostPort = 65536),
    message: "spec.containers[0].ports[0].hostPort: Invalid value: 65536: must be between 1 and 65535, inclusive",
  },
  {
    rule: "port names are IANA service names",
    twin: "pod",
    breakIt: (o) => (o.spec.containers[0].ports[0].name = "http-metrics-port"),
    message: 'spec.containers[0].ports[0].name: Invalid value: "http-metrics-port": must be no more than 15 characters',
  },
  {
    rule: "port names are unique in a container",
    twin: "pod",
    breakIt: (o) => o.spec.containers[0].ports.push({ name: "http", containerPort: 9090 }),
    message: 'spec.containers[0].ports[1].name: Duplicate value: "http"',
  },
  {
    rule: "protocols are TCP, UDP or SCTP",
    twin: "pod",
    breakIt: (o) => (o.spec.containers[0].ports[0].protocol = "tcp"),
    message: 'spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
  },
  {
    rule: "image pull policy is an enum",
    twin: "pod",
    breakIt: (o) => (o.spec.containers[0].imagePullPolicy = "Sometimes"),
    message: 'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
  },
  {
    rule: "a mount names a declared volume",
    twin: "pod",
    breakIt: (o) => (o.spec.containers[0].volumeMounts = [{ name: "cache", mountPath: "/cache" }]),
    message: 'spec.containers[0].volumeMounts[0].name: Not found: "cache"',
  },
  {
    rule: "volume names are unique",
    twin: "pod",
    breakIt: (o) => o.spec.volumes.push({ name: "data", emptyDir: {} }),
    message: 'spec.volumes[1].name: Duplicate value: "data"',
  },
  {
    rule: "requests do not exceed limits",
    twin: "pod",
    breakIt: (o) => (o.spec.containers[0].resources = { requests: { cpu: "2" }, limits: { cpu: "1" } }),
    message: 'spec.containers[0].resources.requests.cpu: Invalid value: "2": must be less than or equal to cpu limit of 1',
  },
  {
    rule: "a probe has one handler",
    twin: "pod",
    breakIt: (o) => (o.spec.containers[0].livenessProbe = { periodSeconds: 5 }),
    message: "spec.containers[0].livenessProbe: Required value: must specify a handler type",
  },
  {
    rule: "env names are printable without '='",
    twin: "pod",
    breakIt: (o) => (o.spec.containers[0].env = [{ name: "A=B", value: "x" }]),
    message:
      "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
  },
  {
    rule: "restartPolicy is an enum",
    twin: "pod",
    breakIt: (o) => (o.spec.restartPolicy = "Sometimes"),
    message: 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  },
  // Services
  {
    rule: "Service ports are 1-65535",
    twin: "service",
    breakIt: (o) => (o.spec.ports[0].port = 0),
    message: "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
  },
  {
    rule: "several Service ports need names",
    twin: "service",
    breakIt: (o) => o.spec.ports.push({ port: 443 }),
    message: "spec.ports[1].name: Required value",
  },
  {
    rule: "Service port names are unique",
    twin: "service",
    breakIt: (o) => o.spec.ports.push({ name: "http", port: 443 }),
    message: 'spec.ports[1].name: Duplicate value: "http"',
  },
  {
    rule: "Service type is an enum",
    twin: "service",
    breakIt: (o) => (o.spec.type = "Internal"),
    message: 'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  },
  {
    rule: "nodePort needs NodePort or LoadBalancer",
    twin: "service",
    breakIt: (o) => (o.spec.ports[0].nodePort = 30080),
    message: "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
  },
  {
    rule: "ExternalName needs externalName",
    twin: "service",
    breakIt: (o) => Object.assign(o.spec, { type: "ExternalName", ports: [] }),
    message: "spec.externalName: Required value",
  },
  {
    rule: "a Service name is a DNS-1035 label",
    twin: "service",
    breakIt: (o) => (o.metadata.name = "1web"),
    message:
      "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with a letter, end with an alphanumeric character, and be at most 63 characters (e.g. 'my-name')",
  },
  // Config
  {
    rule: "ConfigMap keys are config keys",
    twin: "configMap",
    breakIt: (o) => (o.data["app properties"] = "x"),
    message:
      "data[app properties]: Invalid value: \"app properties\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  },
  {
    rule: "a key is in data or binaryData",
    twin: "configMap",
    breakIt: (o) => (o.binaryData = { "app.properties": "Zm9v" }),
    message: 'data[app.properties]: Invalid value: "app.properties": duplicate of key present in binaryData',
  },
  { rule: "a TLS Secret has tls.key", twin: "secret", breakIt: (o) => delete o.data["tls.key"], message: "data[tls.key]: Required value" },
  {
    rule: "a Namespace name is a DNS label",
    twin: "namespace",
    breakIt: (o) => (o.metadata.name = "shop.eu"),
    message:
      "metadata.name: Invalid value: \"shop.eu\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', start and end with an alphanumeric character, and be at most 63 characters (e.g. 'my-name')",
  },
  // Autoscaling and disruption
  {
    rule: "maxReplicas is at least minReplicas",
    twin: "hpa",
    breakIt: (o) => (o.spec.maxReplicas = 1),
    message: "spec.maxReplicas: Invalid value: 1: must be greater than or equal to `minReplicas`",
  },
  {
    rule: "minReplicas is at least 1",
    twin: "hpa",
    breakIt: (o) => (o.spec.minReplicas = 0),
    message: "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
  },
  {
    rule: "minAvailable excludes maxUnavailable",
    twin: "pdb",
    breakIt: (o) => (o.spec.maxUnavailable = 1),
    message: 'spec: Invalid value: "object": minAvailable and maxUnavailable cannot be both set',
  },
  // Networking
  {
    rule: "Prefix paths are absolute",
    twin: "ingress",
    breakIt: (o) => (o.spec.rules[0].http.paths[0].path = "api"),
    message: 'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path',
  },
  {
    rule: "pathType is an enum",
    twin: "ingress",
    breakIt: (o) => (o.spec.rules[0].http.paths[0].pathType = "Regex"),
    message:
      'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
  },
  {
    rule: "an Ingress host is not an IP",
    twin: "ingress",
    breakIt: (o) => (o.spec.rules[0].host = "10.0.0.1"),
    message: 'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
  },
  {
    rule: "a backend port has a name or number",
    twin: "ingress",
    breakIt: (o) => (o.spec.rules[0].http.paths[0].backend.service.port = {}),
    message: "spec.rules[0].http.paths[0].backend.service.port: Required value: port name or number is required",
  },
  {
    rule: "an IngressClass controller is domain-prefixed",
    twin: "ingressClass",
    breakIt: (o) => (o.spec.controller = "istio"),
    message: 'spec.controller: Invalid value: "istio": must be a domain-prefixed path (such as "acme.io/foo")',
  },
  {
    rule: "policyTypes are Ingress or Egress",
    twin: "networkPolicy",
    breakIt: (o) => (o.spec.policyTypes = ["Inbound"]),
    message: 'spec.policyTypes[0]: Unsupported value: "Inbound": supported values: "Egress", "Ingress"',
  },
  {
    rule: "endPort is at least port",
    twin: "networkPolicy",
    breakIt: (o) => (o.spec.ingress[0].ports[0].endPort = 80),
    message: "spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`",
  },
  // RBAC
  {
    rule: "a rule has verbs",
    twin: "role",
    breakIt: (o) => (o.rules[0].verbs = []),
    message: "rules[0].verbs: Required value: verbs must contain at least one value",
  },
  {
    rule: "resource rules name api groups",
    twin: "role",
    breakIt: (o) => delete o.rules[0].apiGroups,
    message: "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
  },
  {
    rule: "a RoleBinding refers to a Role or ClusterRole",
    twin: "roleBinding",
    breakIt: (o) => (o.roleRef.kind = "Roles"),
    message: 'roleRef.kind: Unsupported value: "Roles": supported values: "Role", "ClusterRole"',
  },
  {
    rule: "a ClusterRoleBinding refers to a ClusterRole",
    twin: "clusterRoleBinding",
    breakIt: (o) => (o.roleRef.kind = "Role"),
    message: 'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
  },
  {
    rule: "a ServiceAccount subject needs a namespace in a ClusterRoleBinding",
    twin: "clusterRoleBinding",
    breakIt: (o) => delete o.subjects[0].namespace,
    message: "subjects[0].namespace: Required value",
  },
  // Scheduling and storage
  {
    rule: "user priorities are at most 1e9",
    twin: "priorityClass",
    breakIt: (o) => (o.value = 2000000000),
    message: "value: Forbidden: maximum allowed value of a user defined priority is 1000000000",
  },
  {
    rule: "a PVC has access modes",
    twin: "pvc",
    breakIt: (o) => (o.spec.accessModes = []),
    message: "spec.accessModes: Required value: at least 1 access mode is required",
  },
  {
    rule: "a PVC requests storage",
    twin: "pvc",
    breakIt: (o) => delete o.spec.resources.requests.storage,
    message: "spec.resources.requests.storage: Required value",
  },
  {
    rule: "reclaimPolicy is Delete or Retain",
    twin: "storageClass",
    breakIt: (o) => (o.reclaimPolicy = "Recycle"),
    message: 'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
  },
  {
    rule: "LimitRange type is an enum",
    twin: "limitRange",
    breakIt: (o) => (o.spec.limits[0].type = "Node"),
    message: 'spec.limits[0].type: Unsupported value: "Node": supported values: "Container", "PersistentVolumeClaim", "Pod"',
  },
  {
    rule: "quota is not negative",
    twin: "resourceQuota",
    breakIt: (o) => (o.spec.hard.pods = "-1"),
    message: 'spec.hard.pods: Invalid value: "-1": must be greater than or equal to 0',
  },
  // Admission and CRDs
  {
    rule: "webhook names have three segments",
    twin: "webhook",
    breakIt: (o) => (o.webhooks[0].name = "istio.io"),
    message: 'webhooks[0].name: Invalid value: "istio.io": should be a domain with at least three segments separated by dots',
  },
  {
    rule: "webhook sideEffects is an enum",
    twin: "webhook",
    breakIt: (o) => (o.webhooks[0].sideEffects = "Some"),
    message: 'webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"',
  },
  {
    rule: "webhook timeouts are 1-30 s",
    twin: "webhook",
    breakIt: (o) => (o.webhooks[0].timeoutSeconds = 60),
    message: "webhooks[0].timeoutSeconds: Invalid value: 60: the timeout value must be between 1 and 30 seconds",
  },
  {
    rule: "Deny and Warn do not mix",
    twin: "policyBinding",
    breakIt: (o) => (o.spec.validationActions = ["Deny", "Warn"]),
    message:
      'spec.validationActions: Invalid value: "array": must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
  },
  {
    rule: "a CRD is named plural.group",
    twin: "crd",
    breakIt: (o) => (o.metadata.name = "widget.example.com"),
    message: 'metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group',
  },
  {
    rule: "a CRD has one storage version",
    twin: "crd",
    breakIt: (o) => (o.spec.versions[0].storage = false),
    message: 'spec.versions: Invalid value: "array": must have exactly one version marked as storage version',
  },
];

const errorsOf = (object: Json) => validateObjects([object]).filter((finding) => finding.severity === "error");

describe("built-in Kubernetes kinds, validated as the API server does", () => {
  it.each(Object.keys(valid))("accepts the valid %s", (name) => {
    expect(errorsOf(valid[name]!())).toEqual([]);
  });

  it("covers at least 40 API-server rules", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)("rejects: $rule", ({ twin, breakIt, message }) => {
    const object = valid[twin]!();
    expect(errorsOf(object)).toEqual([]);
    breakIt(object);
    expect(errorsOf(object).map((finding) => finding.message)).toContain(message);
  });
});
