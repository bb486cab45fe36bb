import type { KubeObject } from "../../../src/core/objects.js";
import { seededChoices } from "../../support/seeded-random.js";

/**
 * Seeded random Istio input near the line the contract draws: mostly convertible routes (Services with
 * one or two ports, DestinationRules with subsets, destinations with and without port), plus now and
 * then something that cannot be carried faithfully (a missing Service or subset, sourceLabels, a
 * file-mounted certificate, a TCP route). Each input either converts cleanly or must fail loudly.
 */
export function randomContractInput(seed: number): KubeObject[] {
  const { random, pick, chance } = seededChoices(seed);
  const namespace = pick(["shop", "edge"]);
  const objects: KubeObject[] = [];
  const apps = ["web", "api", "cart"];
  const portsOf: Record<string, { name: string; port: number }[]> = {
    web: [{ name: "http", port: 8080 }],
    api: chance(0.3)
      ? [
          { name: "http", port: 8080 },
          { name: "grpc", port: 9090 },
        ]
      : [{ name: "http", port: 8080 }],
    cart: [{ name: "http", port: 80 }],
  };
  for (const app of apps) {
    if (chance(0.1)) continue;
    objects.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: app, namespace },
      spec: { selector: { app }, ports: portsOf[app] },
    });
    if (chance(0.85))
      objects.push({
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: { name: app, namespace },
        spec: {
          host: app,
          subsets: ["v1", "v2", ...(chance(0.5) ? ["v3"] : [])].map((name) => ({ name, labels: { version: name } })),
          ...(chance(0.1) ? { trafficPolicy: { loadBalancer: { simple: "LEAST_REQUEST" } } } : {}),
        },
      });
  }
  const servers: Record<string, unknown>[] = [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["*.example.com"] }];
  if (chance(0.4)) {
    const fileMounted = chance(0.2);
    servers.push({
      port: { number: 443, name: "https", protocol: "HTTPS" },
      hosts: ["shop.example.com"],
      tls: fileMounted
        ? { mode: "SIMPLE", serverCertificate: "/etc/certs/tls.crt", privateKey: "/etc/certs/tls.key" }
        : { mode: "SIMPLE", credentialName: "shop-cert" },
    });
  }
  if (chance(0.15)) servers.push({ port: { number: 9000, name: "tcp", protocol: "TCP" }, hosts: ["*"] });
  objects.push({ apiVersion: "networking.istio.io/v1", kind: "Gateway", metadata: { name: "gw", namespace }, spec: { servers } });

  const destination = () => {
    const host = pick(apps);
    return {
      host,
      ...(chance(0.5) ? {} : { port: { number: portsOf[host]![0]!.port } }),
      ...(chance(0.4) ? { subset: pick(["v1", "v2", "v3"]) } : {}),
    };
  };
  const http = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, index) => {
    const entry: Record<string, unknown> = {};
    if (index > 0 || chance(0.5)) {
      const match: Record<string, unknown> = { uri: { [pick(["exact", "prefix"])]: `/p${index}` } };
      if (chance(0.2)) match.headers = { "x-tier": { exact: "gold" } };
      if (chance(0.05)) match.sourceLabels = { app: "legacy" };
      entry.match = [match];
    }
    const split = 1 + Math.floor(random() * 3);
    entry.route = Array.from({ length: split }, (_, position) => ({
      destination: destination(),
      ...(split > 1 ? { weight: position === 0 ? 100 - (split - 1) * 10 : 10 } : {}),
    }));
    if (chance(0.2)) entry.timeout = "3s";
    return entry;
  });
  // The catch-all entry last, so Istio's first-match order and Gateway API's precedence agree.
  http.sort((a, b) => Number(a.match === undefined) - Number(b.match === undefined));
  const spec: Record<string, unknown> = { hosts: [`shop${seed}.example.com`], gateways: ["gw"], http };
  if (chance(0.1)) spec.tcp = [{ route: [{ destination: { host: "cart", port: { number: 80 } } }] }];
  objects.push({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: `vs-${seed}`, namespace }, spec });
  return objects;
}
