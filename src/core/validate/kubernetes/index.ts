import type { FieldError } from "../field-errors.js";
import {
  customResourceDefinitionErrors,
  mutatingWebhookErrors,
  validatingAdmissionPolicyBindingErrors,
  validatingAdmissionPolicyErrors,
  validatingWebhookErrors,
} from "./admission.js";
import { configMapErrors, secretErrors } from "./config.js";
import {
  endpointSliceErrors,
  endpointsErrors,
  ingressClassErrors,
  ingressErrors,
  networkPolicyErrors,
  serviceErrors,
} from "./networking.js";
import {
  horizontalPodAutoscalerErrors,
  limitRangeErrors,
  persistentVolumeClaimErrors,
  podDisruptionBudgetErrors,
  priorityClassErrors,
  resourceQuotaErrors,
  storageClassErrors,
} from "./policy.js";
import { clusterRoleBindingErrors, clusterRoleErrors, roleBindingErrors, roleErrors } from "./rbac.js";
import {
  cronJobErrors,
  daemonSetErrors,
  deploymentErrors,
  jobErrors,
  podErrors,
  podTemplateObjectErrors,
  replicaSetErrors,
  statefulSetErrors,
} from "./workloads.js";

type KindCheck = (object: Record<string, unknown>) => FieldError[];

/** `group/Kind` → the API server's built-in validation (pkg/apis/<group>/validation) for that kind, the cheap part. */
const checksByKind: Record<string, KindCheck> = {
  "/Pod": podErrors,
  "/PodTemplate": podTemplateObjectErrors,
  "/Service": serviceErrors,
  "/Endpoints": endpointsErrors,
  "/ConfigMap": configMapErrors,
  "/Secret": secretErrors,
  "/PersistentVolumeClaim": persistentVolumeClaimErrors,
  "/ResourceQuota": resourceQuotaErrors,
  "/LimitRange": limitRangeErrors,
  "apps/Deployment": deploymentErrors,
  "apps/ReplicaSet": replicaSetErrors,
  "apps/DaemonSet": daemonSetErrors,
  "apps/StatefulSet": statefulSetErrors,
  "batch/Job": jobErrors,
  "batch/CronJob": cronJobErrors,
  "autoscaling/HorizontalPodAutoscaler": horizontalPodAutoscalerErrors,
  "policy/PodDisruptionBudget": podDisruptionBudgetErrors,
  "networking.k8s.io/Ingress": ingressErrors,
  "networking.k8s.io/IngressClass": ingressClassErrors,
  "networking.k8s.io/NetworkPolicy": networkPolicyErrors,
  "discovery.k8s.io/EndpointSlice": endpointSliceErrors,
  "rbac.authorization.k8s.io/Role": roleErrors,
  "rbac.authorization.k8s.io/ClusterRole": clusterRoleErrors,
  "rbac.authorization.k8s.io/RoleBinding": roleBindingErrors,
  "rbac.authorization.k8s.io/ClusterRoleBinding": clusterRoleBindingErrors,
  "scheduling.k8s.io/PriorityClass": priorityClassErrors,
  "storage.k8s.io/StorageClass": storageClassErrors,
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration": validatingWebhookErrors,
  "admissionregistration.k8s.io/MutatingWebhookConfiguration": mutatingWebhookErrors,
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy": validatingAdmissionPolicyErrors,
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding": validatingAdmissionPolicyBindingErrors,
  "apiextensions.k8s.io/CustomResourceDefinition": customResourceDefinitionErrors,
};

/**
 * The API server's validation of a built-in kind beyond its OpenAPI schema (selectors that must match, port
 * ranges, unique names, enums, …), run like a webhook on objects whose schema checks passed.
 */
export function builtinKindErrors(object: Record<string, unknown>, group: string, kind: string): FieldError[] {
  return checksByKind[`${group}/${kind}`]?.(object) ?? [];
}
