import type { KubeObject } from "../../../src/core/objects.js";
import { seededChoices } from "../../support/seeded-random.js";

/**
 * Seeded random Istio Gateways and VirtualServices over the whole surface `full` claims to handle
 * (every server protocol and TLS mode, host forms, match and filter kinds), for the property that
 * `full` output is always accepted by the API server.
 */
export function randomIstioInput(seed: number): KubeObject[] {
  const { random, pick, chance } = seededChoices(seed);
  const count = (max: number) => 1 + Math.floor(random() * max);
  const namespaces = ["edge", "team-a", "team-b"];
  const dnsNames = ["*", "a.example.com", "*.example.com", "b.example.com", "*.b.example.com"];
  const objects: KubeObject[] = [];

  const gatewayNames: string[] = [];
  for (let g = 0; g < count(2); g++) {
    const namespace = pick(namespaces);
    const name = `gw-${g}`;
    gatewayNames.push(`${namespace}/${name}`);
    const servers = Array.from({ length: count(4) }, (_, index) => {
      const protocol = pick(["HTTP", "HTTPS", "TLS", "TCP", "GRPC", "HTTP2", "MONGO"]);
      const server: Record<string, unknown> = {
        port: { number: pick([80, 443, 8080, 8443, 9000 + index]), name: `port-${index}`, protocol },
        hosts: Array.from({ length: count(3) }, () => `${pick(["", "./", "*/", "team-a/", "team-b/"])}${pick(dnsNames)}`),
      };
      if (protocol === "HTTPS" || (protocol !== "HTTP" && protocol !== "TCP" && protocol !== "MONGO" && chance(0.4))) {
        const mode = pick(["SIMPLE", "PASSTHROUGH", "MUTUAL", "AUTO_PASSTHROUGH"]);
        server.tls = { mode, ...(mode === "SIMPLE" || mode === "MUTUAL" ? { credentialName: `cert-${index}` } : {}) };
      }
      if (protocol === "HTTP" && chance(0.3)) server.tls = { httpsRedirect: true };
      return server;
    });
    objects.push({
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name, namespace },
      spec: { selector: { istio: "ingressgateway" }, servers },
    });
  }

  for (let v = 0; v < count(3); v++) {
    const namespace = pick(namespaces);
    const hosts = Array.from({ length: count(3) }, () =>
      pick(["a.example.com", "x.example.com", "b.example.com", "*", "web", "10.0.0.1", "reviews.prod"]),
    );
    const gateways = chance(0.2) ? [] : Array.from({ length: count(2) }, () => pick([...gatewayNames, "mesh", "missing-gw"]));
    const destination = () => ({
      host: pick(["web", "api", "reviews.prod.svc.cluster.local", "ext.example.org"]),
      port: { number: pick([80, 8080]) },
      ...(chance(0.2) ? { subset: "v1" } : {}),
    });
    const http = Array.from({ length: count(5) }, (_, index) => {
      const entry: Record<string, unknown> = {};
      if (chance(0.5)) entry.name = pick(["api", "Main_Route", "v2", "default"]) + index;
      if (chance(0.8)) {
        entry.match = Array.from({ length: count(3) }, () => {
          const match: Record<string, unknown> = {};
          const uriKind = pick(["exact", "prefix", "regex", "none"]);
          if (uriKind !== "none")
            match.uri = {
              [uriKind]:
                uriKind === "regex"
                  ? "/r/[0-9]+"
                  : pick(["/", "/api", "/api/", "/static/x", "/with space", "/a//b", "/shop.Cart/Get", "/shop.Cart/"]),
            };
          if (chance(0.3) && uriKind === "none") match.uri = { exact: "/shop.Cart/Get" };
          if (chance(0.3)) match.headers = { [pick(["x-env", "X-User"])]: pick([{ exact: "v" }, { prefix: "ca" }, { regex: "a.*" }, {}]) };
          if (chance(0.2)) match.queryParams = { q: pick([{ exact: "1" }, { regex: "[0-9]+" }]) };
          if (chance(0.2)) match.method = pick([{ exact: "get" }, { regex: "GET|HEAD" }, { exact: "BREW" }]);
          if (chance(0.1)) match.ignoreUriCase = true;
          if (chance(0.1)) match.port = 80;
          return match;
        });
      }
      const shape = pick(["route", "route", "redirect", "redirect+route", "direct"]);
      if (shape.includes("route")) {
        const n = count(3);
        entry.route = Array.from({ length: n }, () => ({
          destination: destination(),
          ...(n > 1 ? { weight: pick([0, 10, 50]) } : {}),
          ...(chance(0.1) ? { headers: { request: { set: { "x-b": "1" } } } } : {}),
        }));
      }
      if (shape.includes("redirect"))
        entry.redirect = {
          ...(chance(0.5) ? { uri: "/new" } : {}),
          ...(chance(0.3) ? { scheme: "https" } : {}),
          ...(chance(0.3) ? { redirectCode: pick([301, 302, 305]) } : {}),
          ...(chance(0.2) ? { authority: "new.example.com" } : {}),
        };
      if (shape === "direct") entry.directResponse = { status: 503 };
      if (chance(0.3) && !shape.includes("redirect"))
        entry.rewrite = {
          ...(chance(0.7) ? { uri: pick(["/", "/v2", "/v2/"]) } : {}),
          ...(chance(0.3) ? { authority: "internal.example" } : {}),
        };
      if (chance(0.2)) entry.mirror = { host: "shadow", port: { number: 80 } };
      if (chance(0.15)) entry.mirrorPercentage = { value: pick([25, 0.5, 12.5]) };
      if (chance(0.15) && !entry.mirror) entry.mirrors = [{ destination: destination(), percentage: { value: pick([10, 33.3]) } }];
      if (chance(0.2)) entry.timeout = pick(["1.5s", "90s", "0.0005s", "3600s"]);
      if (chance(0.2))
        entry.retries = { attempts: 3, perTryTimeout: pick(["1s", "100s"]), retryOn: pick(["gateway-error,503", "connect-failure"]) };
      if (chance(0.2)) entry.headers = { request: { set: { "x-a": "1" }, remove: ["x-b"] }, response: { add: { "x-c": "2" } } };
      if (chance(0.15))
        entry.corsPolicy = {
          allowOrigins: [pick([{ exact: "https://a.example.com" }, { regex: ".*" }, { prefix: "https://" }])],
          allowMethods: ["GET", "POST"],
          maxAge: "1.5s",
        };
      return entry;
    });
    const spec: Record<string, unknown> = { hosts, gateways, http };
    if (chance(0.3))
      spec.tls = [
        { match: [{ sniHosts: [pick(["a.example.com", "*.example.com"])], port: 443 }], route: [{ destination: destination() }] },
      ];
    if (chance(0.2)) spec.tls = [{ match: [{ port: 443 }], route: [{ destination: destination() }] }];
    if (chance(0.3)) spec.tcp = [{ match: [{ port: 9000 }], route: [{ destination: destination() }] }];
    objects.push({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: `vs-${v}`, namespace }, spec });
  }
  if (chance(0.3)) {
    objects.push({
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "web-affinity", namespace: pick(namespaces) },
      spec: { host: "web", trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: "session", ttl: "0s" } } } } },
    });
  }
  if (chance(0.5)) {
    objects.push({
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "ext-tls", namespace: "edge" },
      spec: {
        host: pick(["api.edge.svc.cluster.local", "web", "ext.example.org"]),
        trafficPolicy: { tls: { mode: "SIMPLE", ...(chance(0.5) ? { sni: "api.example.com" } : {}) } },
      },
    });
  }
  return objects;
}
