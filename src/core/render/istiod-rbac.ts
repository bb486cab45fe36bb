import type { KubeObject } from "../objects.js";
import type { JsonMap } from "../operator/types.js";
import { helmTruthy, stringAt } from "./values.js";
import { clusterScopedName, object, rbacLabels, revisioned, value, type IstiodContext } from "./istiod-context.js";

const read = ["get", "list", "watch"];
const readAlt = ["get", "watch", "list"];
const crud = ["get", "watch", "list", "update", "patch", "create", "delete"];
const istioConfigGroups = [
  "config.istio.io",
  "security.istio.io",
  "networking.istio.io",
  "authentication.istio.io",
  "rbac.istio.io",
  "telemetry.istio.io",
  "extensions.istio.io",
];

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[] | null;
}
const rule = (apiGroups: string[], resources: string[], verbs: string[]): Rule => ({ apiGroups, resources, verbs });

const analysisStatusResources = [
  "authorizationpolicies",
  "destinationrules",
  "envoyfilters",
  "gateways",
  "peerauthentications",
  "proxyconfigs",
  "requestauthentications",
  "serviceentries",
  "sidecars",
  "telemetries",
  "virtualservices",
  "wasmplugins",
  "workloadentries",
  "workloadgroups",
].map((kind) => `${kind}/status`);

/**
 * istiod signs workload certificates through Kubernetes CSRs, and so needs the CSR rules, when an external CA is
 * configured (pilot.env.EXTERNAL_CA) or the cert provider is not one istiod serves itself (istiod, custom, none).
 */
export function approvesCsrs(context: { values: JsonMap }): boolean {
  const provider = stringAt(context.values, "global.pilotCertProvider");
  return helmTruthy(value(context, "pilot.env.EXTERNAL_CA")) || !["istiod", "custom", "none"].includes(provider);
}

function istiodRules(context: IstiodContext): Rule[] {
  const mcs = mcsApiGroup(context);
  const analysis = value<boolean>(context, "global.istiod.enableAnalysis") === true;
  const signers = value<string[]>(context, "global.certSigners") ?? [];
  return [
    rule(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations"], ["get", "list", "watch", "update", "patch"]),
    rule(["admissionregistration.k8s.io"], ["validatingwebhookconfigurations"], ["get", "list", "watch", "update"]),
    rule(istioConfigGroups, ["*"], readAlt),
    // Analysis writes its findings into the status of every Istio config kind.
    ...(analysis ? [{ apiGroups: istioConfigGroups, verbs: ["update", "patch"], resources: analysisStatusResources }] : []),
    rule(["networking.istio.io"], ["workloadentries"], crud),
    rule(["networking.istio.io"], ["workloadentries/status", "serviceentries/status"], crud),
    rule(["security.istio.io"], ["authorizationpolicies/status"], crud),
    rule([""], ["services/status"], crud),
    rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], read),
    rule([""], ["pods", "nodes", "services", "namespaces", "endpoints"], read),
    rule(["discovery.k8s.io"], ["endpointslices"], read),
    // pilot.taint.enabled: istiod removes the CNI readiness taint from nodes.
    ...(value<boolean>(context, "pilot.taint.enabled") === true ? [rule([""], ["nodes"], ["patch"])] : []),
    ...(analysis
      ? [
          rule(["extensions", "networking.k8s.io"], ["ingresses"], read),
          rule(["extensions", "networking.k8s.io"], ["ingresses/status"], ["*"]),
        ]
      : []),
    rule(["networking.k8s.io"], ["ingresses", "ingressclasses"], read),
    rule(["networking.k8s.io"], ["ingresses/status"], ["*"]),
    rule([""], ["configmaps"], ["create", "get", "list", "watch", "update"]),
    ...(approvesCsrs(context)
      ? [
          rule(
            ["certificates.k8s.io"],
            ["certificatesigningrequests", "certificatesigningrequests/approval", "certificatesigningrequests/status"],
            ["update", "create", "get", "delete", "watch"],
          ),
          // As in the chart, no certSigners leaves resourceNames null: every signer (generate warns about it).
          { ...rule(["certificates.k8s.io"], ["signers"], ["approve"]), resourceNames: signers.length > 0 ? signers : null },
        ]
      : []),
    ...(value(context, "pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API") === true
      ? [
          rule(["certificates.k8s.io"], ["clustertrustbundles"], ["update", "create", "delete", "list", "watch", "get"]),
          { ...rule(["certificates.k8s.io"], ["signers"], ["attest"]), resourceNames: ["istio.io/istiod-ca"] },
        ]
      : []),
    rule(["authentication.k8s.io"], ["tokenreviews"], ["create"]),
    rule(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
    rule(["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"], ["*"], readAlt),
    rule(["gateway.networking.x-k8s.io"], ["xbackendtrafficpolicies/status"], ["update", "patch"]),
    rule(
      ["gateway.networking.k8s.io"],
      [
        "backendtlspolicies/status",
        "gatewayclasses/status",
        "gateways/status",
        "grpcroutes/status",
        "httproutes/status",
        "referencegrants/status",
        "tcproutes/status",
        "tlsroutes/status",
        "udproutes/status",
        "listenersets/status",
      ],
      ["update", "patch"],
    ),
    rule(["gateway.networking.k8s.io"], ["gatewayclasses"], ["create", "update", "patch", "delete"]),
    rule(["inference.networking.k8s.io"], ["inferencepools"], readAlt),
    rule(["inference.networking.k8s.io"], ["inferencepools/status"], ["update", "patch"]),
    rule([""], ["secrets"], readAlt),
    rule([mcs], ["serviceexports"], ["get", "watch", "list", "create", "delete"]),
    rule([mcs], ["serviceimports"], readAlt),
  ];
}

const gatewayControllerRules: Rule[] = [
  rule(["apps"], ["deployments"], crud),
  rule(["autoscaling"], ["horizontalpodautoscalers"], crud),
  rule(["policy"], ["poddisruptionbudgets"], crud),
  rule([""], ["services"], crud),
  rule([""], ["serviceaccounts"], crud),
];

/** The reader role remote-secret workflows use; a remote istiod's reader also manages webhooks and ConfigMaps. */
function readerRules(context: IstiodContext): Rule[] {
  const mcs = mcsApiGroup(context);
  return [
    rule(istioConfigGroups, ["*"], read),
    rule([""], ["endpoints", "pods", "services", "nodes", "replicationcontrollers", "namespaces", "secrets", "configmaps"], read),
    rule(["networking.istio.io"], ["workloadentries"], readAlt),
    rule(["networking.x-k8s.io", "gateway.networking.k8s.io"], ["gateways"], readAlt),
    rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], read),
    rule(["discovery.k8s.io"], ["endpointslices"], read),
    rule([mcs], ["serviceexports"], ["get", "list", "watch", "create", "delete"]),
    rule([mcs], ["serviceimports"], read),
    rule(["apps"], ["replicasets"], read),
    rule(["authentication.k8s.io"], ["tokenreviews"], ["create"]),
    rule(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
    ...(helmTruthy(value(context, "istiodRemote.enabled"))
      ? [
          rule([""], ["configmaps"], ["create", "get", "list", "watch", "update"]),
          rule(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations"], ["get", "list", "watch", "update", "patch"]),
          rule(["admissionregistration.k8s.io"], ["validatingwebhookconfigurations"], ["get", "list", "watch", "update"]),
        ]
      : []),
  ];
}

/** pilot.env.MCS_API_GROUP, else the Multi-Cluster Services API's own group. */
function mcsApiGroup(context: IstiodContext): string {
  return stringAt(context.values, "pilot.env.MCS_API_GROUP") || "multicluster.x-k8s.io";
}

export function gatewayControllerEnabled(context: IstiodContext): boolean {
  return String(value(context, "pilot.env.PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER") ?? "") !== "false";
}

export function readerRbacEnabled(context: { values: Record<string, unknown> }): boolean {
  return value(context, "global.enableReaderRBAC") !== false;
}

const rbacApi = "rbac.authorization.k8s.io/v1";

function clusterRolePair(
  context: IstiodContext,
  base: string,
  app: "istiod" | "istio-reader",
  rules: Rule[],
  account: string,
): KubeObject[] {
  const name = clusterScopedName(context, base);
  const labels = rbacLabels(app);
  return [
    object(rbacApi, "ClusterRole", { name, labels }, { rules }),
    object(
      rbacApi,
      "ClusterRoleBinding",
      { name, labels },
      {
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
        subjects: [{ kind: "ServiceAccount", name: account, namespace: context.istioNamespace }],
      },
    ),
  ];
}

/** istiod's ServiceAccount, ClusterRoles/Bindings and Role/RoleBinding (docs/design/install.md §7.2.4). */
export function istiodRbac(context: IstiodContext): KubeObject[] {
  const account = revisioned(context, "istiod");
  const pullSecrets = value<string[]>(context, "global.imagePullSecrets") ?? [];
  const annotations = value<Record<string, string>>(context, "pilot.serviceAccountAnnotations") ?? {};
  const labels = rbacLabels("istiod");
  const objects: KubeObject[] = [
    object(
      "v1",
      "ServiceAccount",
      {
        name: account,
        namespace: context.istioNamespace,
        labels,
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {},
    ),
    ...clusterRolePair(context, "istiod-clusterrole", "istiod", istiodRules(context), account),
  ];
  if (gatewayControllerEnabled(context))
    objects.push(...clusterRolePair(context, "istiod-gateway-controller", "istiod", gatewayControllerRules, account));
  if (readerRbacEnabled(context))
    objects.push(
      ...clusterRolePair(context, "istio-reader-clusterrole", "istio-reader", readerRules(context), "istio-reader-service-account"),
    );
  objects.push(
    object(
      rbacApi,
      "Role",
      { name: account, namespace: context.istioNamespace, labels },
      {
        rules: [
          rule(["networking.istio.io"], ["gateways"], ["create"]),
          rule([""], ["secrets"], ["create", "get", "watch", "list", "update", "delete"]),
          rule([""], ["configmaps"], ["delete"]),
          rule(["coordination.k8s.io"], ["leases"], ["get", "update", "patch", "create"]),
        ],
      },
    ),
    object(
      rbacApi,
      "RoleBinding",
      { name: account, namespace: context.istioNamespace, labels },
      {
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: account },
        subjects: [{ kind: "ServiceAccount", name: account, namespace: context.istioNamespace }],
      },
    ),
  );
  return objects;
}
