/**
 * The fields of live API objects that the cluster layer reads, as the Kubernetes API defines them. Every field is
 * optional: the API server omits unset fields, and a controller may not have written a status yet.
 */
import type { KubeObject, ObjectMeta } from "../core/objects.js";

export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** Deployment, StatefulSet and DaemonSet: what readiness and status read. */
export interface LiveWorkload extends KubeObject {
  metadata: ObjectMeta & { generation?: number };
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: { spec?: { containers?: { name?: string; env?: { name?: string; value?: unknown }[] }[] } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberReady?: number;
    /** Namespaces. */
    phase?: string;
    /** CustomResourceDefinitions. */
    conditions?: Condition[];
  };
}

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  state?: {
    waiting?: { reason?: string; message?: string };
    terminated?: { reason?: string; exitCode?: number };
  };
}

export interface LivePod extends KubeObject {
  status?: { phase?: string; initContainerStatuses?: ContainerStatus[]; containerStatuses?: ContainerStatus[] };
}

export interface LiveEvent extends KubeObject {
  type?: string;
  message?: string;
  lastTimestamp?: string;
  eventTime?: string;
}

export interface LiveEndpointSlice extends KubeObject {
  endpoints?: { conditions?: { ready?: boolean } }[];
}

export interface LiveEndpoints extends KubeObject {
  subsets?: { addresses?: unknown[] }[];
}

export interface LiveService extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    ports?: { port?: number; nodePort?: number; protocol?: string }[];
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/** One webhook of a Mutating- or ValidatingWebhookConfiguration; other fields are kept as they are. */
export interface Webhook {
  name?: string;
  failurePolicy?: string;
  reinvocationPolicy?: string;
  clientConfig?: { url?: string; caBundle?: string; service?: { name?: string; namespace?: string; path?: string } };
  [field: string]: unknown;
}

export interface WebhookConfiguration extends KubeObject {
  webhooks?: Webhook[];
}

/** One entry of metadata.managedFields. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  fieldsV1?: unknown;
}

/**
 * An object of a kind the caller has checked (by `kind`, or by listing that kind), read with that kind's fields.
 * The API server returns objects that follow their kind's schema, so this is where a decoded body meets its type.
 */
export function asLive<T extends KubeObject>(object: KubeObject): T {
  return object as T;
}

/** An object the API server returned, with apiVersion and kind filled in from the request when the answer omits them. */
export function withTypeOf(answer: KubeObject, request: { apiVersion: string; kind: string }): KubeObject {
  return { ...answer, apiVersion: answer.apiVersion ?? request.apiVersion, kind: answer.kind ?? request.kind };
}
