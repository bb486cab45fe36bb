/**
 * A remote cluster (values.istiodRemote.enabled) with values.global.remotePilotAddress: a local Service
 * `istiod[-rev]` that leads to the remote istiod — an ExternalName for a host name, or a selector-less Service
 * plus an EndpointSlice holding the address when it is an IP.
 */
import type { KubeObject } from "../objects.js";
import { helmLabels } from "./labels.js";
import { revisioned, value, type IstiodContext } from "./istiod-context.js";

const ipv4 = /^([0-9]*\.){3}[0-9]*$/;
const ipv6 = /^([0-9a-fA-F]*:)+[0-9a-fA-F]*$/;

export function remoteIstiodEndpoints(context: IstiodContext): KubeObject[] {
  const address = value<string>(context, "global.remotePilotAddress");
  if (!address || value(context, "istiodRemote.enabled") !== true) return [];
  const localInjector = value<boolean>(context, "istiodRemote.enabledLocalInjectorIstiod") === true;
  const name = `${revisioned(context, "istiod")}${localInjector ? "-remote" : ""}`;
  const isIp = ipv4.test(address) || ipv6.test(address);
  const labels = { "istio.io/rev": context.revision || "default", "app.kubernetes.io/name": "istiod", ...helmLabels("istiod") };
  const ipFamilies = value<string[]>(context, "global.ipFamilies") ?? [];
  const ipFamilyPolicy = value<string>(context, "global.ipFamilyPolicy");
  const service: KubeObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: context.namespace, labels },
    spec: {
      ports: [
        { port: 15012, name: "tcp-istiod", protocol: "TCP" },
        { port: 443, targetPort: 15017, name: "tcp-webhook", protocol: "TCP" },
      ],
      ...(isIp ? {} : { type: "ExternalName", externalName: address }),
      ...(ipFamilyPolicy ? { ipFamilyPolicy } : {}),
      ...(ipFamilies.length > 0 ? { ipFamilies } : {}),
    },
  };
  if (!isIp) return [service];
  const slice: KubeObject = {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name,
      namespace: context.namespace,
      labels: {
        "kubernetes.io/service-name": name,
        "endpointslice.kubernetes.io/managed-by": "Helm",
        "app.kubernetes.io/name": "istiod",
        ...helmLabels("istiod"),
      },
    },
    addressType: ipv4.test(address) ? "IPv4" : "IPv6",
    endpoints: [{ addresses: [address] }],
    ports: [
      { port: 15012, name: "tcp-istiod", protocol: "TCP" },
      { port: 15017, name: "tcp-webhook", protocol: "TCP" },
    ],
  };
  return [service, slice];
}
