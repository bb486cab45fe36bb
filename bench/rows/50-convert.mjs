// `mesh convert` on a generated file of 1,000 Istio Gateways and 1,000 VirtualServices (goal: ≤ 0.5 s wall).
import { writeFileSync } from "node:fs";
import path from "node:path";

/** apiVersion, kind and metadata of a generated document. */
function head(apiVersion, kind, name, namespace) {
  return `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${namespace}
`;
}

function corpus(count) {
  const documents = [];
  for (let i = 0; i < count; i++) {
    const namespace = `team-${i % 25}`;
    documents.push(`${head("networking.istio.io/v1", "Gateway", `gw-${i}`, namespace)}spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["./app-${i}.example.com"]
    tls: {httpsRedirect: true}
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["./app-${i}.example.com", "shared/api-${i}.example.com"]
    tls: {mode: SIMPLE, credentialName: cert-${i}}
`);
    documents.push(`${head("networking.istio.io/v1", "VirtualService", `app-${i}`, namespace)}spec:
  hosts: [app-${i}.example.com]
  gateways: [gw-${i}]
  http:
  - name: api
    match:
    - uri: {prefix: /api/}
      headers: {x-canary: {exact: "true"}}
    rewrite: {uri: /}
    route:
    - destination: {host: api-v2, port: {number: 8080}}
  - name: split
    match:
    - uri: {prefix: /}
    route:
    - destination: {host: web-v1, port: {number: 8080}}
      weight: 90
    - destination: {host: web-v2.other.svc.cluster.local, port: {number: 8080}}
      weight: 10
    timeout: 1.5s
`);
  }
  return documents.join("---\n");
}

/** Mesh routes without ports, as most VirtualServices are written, with the Services they need. */
function routesWithServices(count) {
  const documents = [];
  for (let i = 0; i < count; i++) {
    const namespace = `team-${i % 25}`;
    documents.push(`${head("v1", "Service", `svc-${i}`, namespace)}spec:
  selector: {app: svc-${i}}
  ports:
  - {name: http, port: 8080}
`);
    documents.push(`${head("networking.istio.io/v1", "VirtualService", `svc-${i}`, namespace)}spec:
  hosts: [svc-${i}]
  http:
  - match:
    - uri: {prefix: /api/}
    route:
    - destination: {host: svc-${i}}
    timeout: 3s
  - route:
    - destination: {host: svc-${i}}
`);
  }
  return documents.join("---\n");
}

export function rows({ mesh, node, workDir }) {
  const file = path.join(workDir, "convert-1000.yaml");
  writeFileSync(file, corpus(1000));
  const withServices = path.join(workDir, "convert-1000-services.yaml");
  writeFileSync(withServices, routesWithServices(1000));
  return [
    {
      name: "mesh convert 1,000 VirtualServices + their Services",
      goalMs: 500,
      command: node,
      args: [mesh, "convert", "gateway-to-httproute", "-f", withServices],
      baseline: { name: "node -e 0", command: node, args: ["-e", "0"] },
      items: 2000,
      itemName: "objects",
    },
    {
      name: "mesh convert 1,000 Gateways + 1,000 VirtualServices",
      goalMs: 500,
      command: node,
      args: [mesh, "convert", "gateway-to-httproute", "-f", file],
      items: 2000,
      itemName: "objects",
    },
  ];
}
