/** A small stand-in for a rendered Istio: the same component structure and kinds, a handful of objects each. */
import type { KubeObject } from "../../src/core/objects.js";
import type { ComponentPlan, InstallPlan } from "../../src/kube/install.js";

const ns = "istio-system";

function crd(plural: string, kind: string): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.networking.istio.io`, labels: { "app.kubernetes.io/part-of": "istio" } },
    spec: {
      group: "networking.istio.io",
      scope: "Namespaced",
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
        },
      ],
    },
  };
}

function deployment(name: string, image: string, replicas?: number): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      ...(replicas !== undefined ? { replicas } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: name === "istiod" ? "discovery" : "istio-proxy", image }] },
      },
    },
  };
}

function service(name: string, type: string, ports: { name: string; port: number; targetPort: number }[]): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: { type, selector: { app: name }, ports },
  };
}

const serviceAccount = (name: string): KubeObject => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: ns } });

export function syntheticComponents(options: { egress?: boolean } = {}): ComponentPlan[] {
  const components: ComponentPlan[] = [
    {
      component: "Base",
      displayName: "Istio core",
      objects: [crd("gateways", "Gateway"), crd("virtualservices", "VirtualService"), serviceAccount("istio-reader-service-account")],
    },
    {
      component: "Pilot",
      displayName: "Istiod",
      objects: [
        serviceAccount("istiod"),
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "istio", namespace: ns }, data: { mesh: "defaultConfig: {}\n" } },
        {
          apiVersion: "admissionregistration.k8s.io/v1",
          kind: "MutatingWebhookConfiguration",
          metadata: { name: "istio-sidecar-injector" },
          webhooks: [
            {
              name: "sidecar-injector.istio.io",
              clientConfig: { service: { name: "istiod", namespace: ns, path: "/inject", port: 443 } },
              sideEffects: "None",
              admissionReviewVersions: ["v1"],
            },
          ],
        },
        deployment("istiod", "docker.io/istio/pilot:1.30.3", 1),
        service("istiod", "ClusterIP", [
          { name: "grpc-xds", port: 15010, targetPort: 15010 },
          { name: "https-webhook", port: 443, targetPort: 15017 },
        ]),
      ],
    },
    {
      component: "IngressGateways",
      displayName: "Ingress gateways",
      gatewayName: "istio-ingressgateway",
      objects: [
        serviceAccount("istio-ingressgateway-service-account"),
        deployment("istio-ingressgateway", "docker.io/istio/proxyv2:1.30.3"),
        service("istio-ingressgateway", "LoadBalancer", [{ name: "http2", port: 80, targetPort: 8080 }]),
      ],
    },
  ];
  if (options.egress !== false) {
    components.push({
      component: "EgressGateways",
      displayName: "Egress gateways",
      gatewayName: "istio-egressgateway",
      objects: [
        serviceAccount("istio-egressgateway-service-account"),
        deployment("istio-egressgateway", "docker.io/istio/proxyv2:1.30.3"),
        service("istio-egressgateway", "ClusterIP", [{ name: "http2", port: 80, targetPort: 8080 }]),
      ],
    });
  }
  return components;
}

export function syntheticPlan(options: { egress?: boolean } = {}): InstallPlan {
  return { namespace: ns, revision: "default", version: "1.30.3", components: syntheticComponents(options) };
}

export const syntheticObjectCount = (options: { egress?: boolean } = {}) =>
  syntheticComponents(options).reduce((sum, component) => sum + component.objects.length, 0);
