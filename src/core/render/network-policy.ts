/**
 * NetworkPolicies the charts add when `values.global.networkPolicy.enabled` is true: each component's pods accept
 * the ports they serve (webhook, xDS, health, metrics, traffic) and may reach anywhere.
 */
import type { KubeObject } from "../objects.js";
import { valueAt } from "../operator/merge.js";
import type { JsonMap } from "../operator/types.js";
import { helmLabels, operatorLabels, type ChartName } from "./labels.js";
import { stringAt } from "./values.js";

type Port = { port: number | string; protocol: string };
const tcp = (port: number): Port => ({ port, protocol: "TCP" });

export function networkPolicyEnabled(values: JsonMap): boolean {
  return valueAt(values, "global.networkPolicy.enabled") === true;
}

function policy(input: {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  podSelector: Record<string, unknown>;
  /** Each entry is one ingress rule (ports accepted together). */
  ingress: Port[][];
}): KubeObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: input.name, namespace: input.namespace, labels: input.labels },
    spec: {
      podSelector: { matchLabels: input.podSelector },
      policyTypes: ["Ingress", "Egress"],
      ingress: input.ingress.map((ports) => ({ ports })),
      // Egress stays open: JWKS fetches, external services and the API server's address depend on the cluster.
      egress: [{}],
    },
  };
}

const suffixed = (name: string, revision: string) => (revision ? `${name}-${revision}` : name);

/** istiod: webhooks (15017) and xDS/monitoring ports. */
export function istiodNetworkPolicy(namespace: string, revision: string, ownerName: string): KubeObject {
  const rev = revision || "default";
  return policy({
    name: suffixed("istiod", revision),
    namespace,
    labels: {
      app: "istiod",
      ...operatorLabels("Pilot", revision, ownerName),
      istio: "pilot",
      release: "istio",
      "app.kubernetes.io/name": "istiod",
      ...helmLabels("istiod"),
    },
    podSelector: { app: "istiod", "istio.io/rev": rev },
    ingress: [[tcp(15017)], [tcp(15010), tcp(15011), tcp(15012), tcp(8080), tcp(15014)]],
  });
}

/** An ingress or egress gateway: health, metrics and each service port's target port. */
export function gatewayNetworkPolicy(input: {
  kind: "ingress" | "egress";
  name: string;
  namespace: string;
  revision: string;
  ownerName: string;
  selector: Record<string, string>;
  ports: JsonMap[];
}): KubeObject {
  const ingress = input.kind === "ingress";
  const chart: ChartName = ingress ? "istio-ingress" : "istio-egress";
  return policy({
    name: suffixed(input.name, input.revision),
    namespace: input.namespace,
    labels: {
      app: input.name,
      ...operatorLabels(ingress ? "IngressGateways" : "EgressGateways", input.revision, input.ownerName),
      istio: ingress ? "ingressgateway" : "egressgateway",
      release: "istio",
      "app.kubernetes.io/name": ingress ? "istio-ingressgateway" : "istio-egressgateway",
      ...helmLabels(chart),
    },
    podSelector: input.selector,
    ingress: [
      [tcp(15021)],
      [tcp(15020), tcp(15090)],
      ...input.ports.map((port) => [
        { protocol: stringAt(port, "protocol", "TCP"), port: (port.targetPort || port.port) as number | string },
      ]),
    ],
  });
}

/** The CNI node agent: metrics and readiness. */
export function cniNetworkPolicy(namespace: string, revision: string, ownerName: string): KubeObject {
  return policy({
    name: suffixed("istio-cni", revision),
    namespace,
    labels: {
      "k8s-app": "istio-cni-node",
      release: "istio",
      ...operatorLabels("Cni", revision, ownerName),
      "app.kubernetes.io/name": "istio-cni",
      ...helmLabels("cni"),
    },
    podSelector: { "k8s-app": "istio-cni-node" },
    ingress: [[tcp(15014)], [tcp(8000)]],
  });
}

/** ztunnel: readiness, metrics, admin, HBONE, redirected traffic and DNS capture. */
export function ztunnelNetworkPolicy(name: string, namespace: string, revision: string, ownerName: string): KubeObject {
  return policy({
    name: suffixed(name, revision),
    namespace,
    labels: {
      app: "ztunnel",
      "app.kubernetes.io/name": "ztunnel",
      ...operatorLabels("Ztunnel", revision, ownerName),
      release: "istio",
      ...helmLabels("ztunnel"),
    },
    podSelector: { app: "ztunnel" },
    ingress: [
      [tcp(15021)],
      [tcp(15020)],
      [tcp(15000)],
      [tcp(15008)],
      [tcp(15001)],
      [tcp(15006)],
      [tcp(15053), { port: 15053, protocol: "UDP" }],
    ],
  });
}
