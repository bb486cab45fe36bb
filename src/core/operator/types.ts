/** The IstioOperator document (install.istio.io/v1alpha1) as mesh reads it: plain data, typed where rendering needs it. */
export interface IstioOperator {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [field: string]: unknown };
  spec?: IstioOperatorSpec;
}

export interface IstioOperatorSpec {
  profile?: string;
  hub?: string;
  tag?: string | number;
  namespace?: string;
  revision?: string;
  compatibilityVersion?: string;
  meshConfig?: Record<string, unknown>;
  components?: Components;
  values?: Record<string, unknown>;
  unvalidatedValues?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface Components {
  base?: ComponentSpec;
  pilot?: ComponentSpec;
  cni?: ComponentSpec;
  ztunnel?: ComponentSpec;
  istiodRemote?: ComponentSpec;
  ingressGateways?: GatewayComponentSpec[];
  egressGateways?: GatewayComponentSpec[];
}

export interface ComponentSpec {
  enabled?: boolean;
  namespace?: string;
  hub?: string;
  tag?: string | number;
  k8s?: KubernetesSettings;
}

export interface GatewayComponentSpec extends ComponentSpec {
  name?: string;
  label?: Record<string, string>;
}

/** `components.<c>.k8s`: post-render patches of a component's main objects (docs/design/install.md §3.3). */
export interface KubernetesSettings {
  affinity?: Record<string, unknown>;
  env?: Record<string, unknown>[];
  hpaSpec?: Record<string, unknown>;
  imagePullPolicy?: string;
  nodeSelector?: Record<string, string>;
  podDisruptionBudget?: Record<string, unknown>;
  podAnnotations?: Record<string, string>;
  priorityClassName?: string;
  readinessProbe?: Record<string, unknown>;
  replicaCount?: number;
  resources?: Record<string, unknown>;
  service?: Record<string, unknown>;
  strategy?: Record<string, unknown>;
  tolerations?: Record<string, unknown>[];
  serviceAnnotations?: Record<string, string>;
  securityContext?: Record<string, unknown>;
  volumes?: unknown[];
  volumeMounts?: unknown[];
  overlays?: K8sObjectOverlay[];
}

export interface K8sObjectOverlay {
  apiVersion?: string;
  kind?: string;
  name?: string;
  patches?: { path?: string; value?: unknown }[];
}

export type JsonMap = Record<string, unknown>;

export function isMap(value: unknown): value is JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
