import type { KubeObject } from "../../../src/core/objects.js";
import { seededChoices } from "../../support/seeded-random.js";

/**
 * Seeded random Istio input inside the subset both directions map exactly: segment prefixes written as
 * `{exact: P}` + `{prefix: P/}`, entries already in Gateway API precedence order, rewrites on exact paths.
 */
export function randomVirtualServiceInput(seed: number): KubeObject[] {
  const { random, pick, chance } = seededChoices(seed);
  const entries: { rank: number[]; entry: Record<string, unknown> }[] = [];
  const count = 1 + Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    const kind = pick(["exact", "segment", "root"] as const);
    const path = kind === "exact" ? pick(["/login", "/api", "/a/b"]) : kind === "segment" ? pick(["/api", "/static", "/v1/items"]) : "/";
    const conditions: Record<string, unknown> = {};
    if (chance(0.3)) conditions.headers = { "x-env": { exact: "canary" } };
    if (chance(0.2)) conditions.method = { exact: "GET" };
    const uriMatches =
      kind === "exact"
        ? [{ uri: { exact: path } }]
        : kind === "segment"
          ? [{ uri: { exact: path } }, { uri: { prefix: `${path}/` } }]
          : [{ uri: { prefix: "/" } }];
    const entry: Record<string, unknown> = { match: uriMatches.map((uri) => ({ ...uri, ...conditions })) };
    if (chance(0.4)) entry.name = `rule-${i}`;
    if (kind === "exact" && chance(0.2)) {
      entry.redirect = { uri: "/moved", redirectCode: pick([301, 302, 308]) };
    } else {
      const hosts = ["web", "api", "static", "reviews.other.svc.cluster.local"];
      const destinations = 1 + Math.floor(random() * 3);
      const weights = destinations === 1 ? [undefined] : destinations === 2 ? [80, 20] : [50, 30, 20];
      entry.route = weights.map((weight, index) => ({
        destination: { host: hosts[(i + index) % hosts.length], port: { number: 8080 } },
        ...(weight === undefined ? {} : { weight }),
      }));
      if (kind === "exact" && chance(0.3)) entry.rewrite = { uri: "/internal" };
      if (chance(0.3)) entry.headers = { request: { set: { "x-mesh": "yes" } }, response: { remove: ["server"] } };
      if (chance(0.3)) entry.timeout = pick(["5s", "1.5s", "90s"]);
      if (chance(0.2))
        entry.mirrors = [{ destination: { host: "shadow", port: { number: 8080 } }, percentage: { value: pick([10, 50, 100]) } }];
    }
    const typeRank = kind === "exact" ? 0 : 1;
    const length = kind === "segment" ? -path.length : 0;
    entries.push({ rank: [typeRank, length, conditions.method ? 0 : 1, conditions.headers ? -1 : 0, i], entry });
  }
  entries.sort((a, b) => a.rank.reduce((result, value, index) => result || value - b.rank[index]!, 0));
  return [
    {
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name: "gw", namespace: "edge" },
      spec: { servers: [{ port: { number: 80, protocol: "HTTP" }, hosts: ["*/*.example.com"] }] },
    },
    {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: `vs-${seed}`, namespace: "app" },
      spec: { hosts: [`app${seed}.example.com`], gateways: ["edge/gw"], http: entries.map(({ entry }) => entry) },
    },
  ];
}
