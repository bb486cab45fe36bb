import type { ValidateOptions } from "../options.js";
import { groupOf, warning, type AnalyzedResource } from "./resource.js";
import { istioHostsOverlap } from "./hostnames.js";

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/** The offline `istioctl analyze` checks for gateways and routes (docs/design/validation.md §4), as warnings. */
export function analyzeIstio(resources: readonly AnalyzedResource[], options: ValidateOptions): void {
  const istio = resources.filter((resource) => groupOf(resource) === "networking.istio.io");
  const gateways = istio.filter((resource) => resource.identity.kind === "Gateway");
  const gatewayByKey = new Map(gateways.map((gateway) => [`${gateway.identity.namespace}/${gateway.identity.name}`, gateway]));
  const meshHosts = new Map<string, AnalyzedResource>();

  for (const vs of istio.filter((resource) => resource.identity.kind === "VirtualService")) {
    const spec = (vs.object.spec ?? {}) as Json;
    const namespace = vs.identity.namespace ?? options.defaultNamespace;
    const hosts = Array.isArray(spec.hosts) ? (spec.hosts as string[]) : [];
    const references = Array.isArray(spec.gateways) ? (spec.gateways as string[]) : [];
    references.forEach((reference, index) => {
      if (reference === "mesh") return;
      const key = reference.includes("/") ? reference : `${namespace}/${reference}`;
      const gateway = gatewayByKey.get(key);
      if (!gateway) {
        vs.report(
          warning("IST0101", ["spec", "gateways", index], `Referenced gateway not found: ${JSON.stringify(key)} (not among the inputs)`),
        );
        return;
      }
      const served = list(((gateway.object.spec ?? {}) as Json).servers).flatMap((server) =>
        (Array.isArray(server.hosts) ? (server.hosts as string[]) : []).map((host) =>
          host.includes("/") ? host.slice(host.indexOf("/") + 1) : host,
        ),
      );
      if (hosts.length > 0 && !hosts.some((host) => served.some((candidate) => istioHostsOverlap(candidate, host)))) {
        vs.report(
          warning(
            "IST0132",
            ["spec", "hosts"],
            `none of the hosts [${hosts.join(", ")}] is served by gateway ${key} (hosts: ${served.join(", ")})`,
          ),
        );
      }
    });
    if (references.length === 0 || references.includes("mesh")) {
      hosts.forEach((host, index) => {
        const other = meshHosts.get(host);
        if (other && other !== vs) {
          vs.report(
            warning(
              "IST0109",
              ["spec", "hosts", index],
              `the VirtualServices ${other.identity.namespace}/${other.identity.name} and ${namespace}/${vs.identity.name} bound to mesh define the same host ${JSON.stringify(host)}`,
            ),
          );
        } else meshHosts.set(host, vs);
      });
    }
    checkUnreachableRules(vs);
  }

  const seen: { gateway: AnalyzedResource; selector: string; port: number; host: string }[] = [];
  for (const gateway of gateways) {
    const spec = (gateway.object.spec ?? {}) as Json;
    const selector = JSON.stringify(Object.entries((spec.selector ?? {}) as Json).sort());
    list(spec.servers).forEach((server, serverIndex) => {
      const port = Number((server.port as Json | undefined)?.number);
      for (const host of Array.isArray(server.hosts) ? (server.hosts as string[]) : []) {
        const dnsName = host.includes("/") ? host.slice(host.indexOf("/") + 1) : host;
        const conflict = seen.find(
          (entry) =>
            entry.gateway !== gateway && entry.selector === selector && entry.port === port && istioHostsOverlap(entry.host, dnsName),
        );
        if (conflict) {
          gateway.report(
            warning(
              "IST0145",
              ["spec", "servers", serverIndex, "hosts"],
              `Gateways ${conflict.gateway.identity.namespace}/${conflict.gateway.identity.name} and ${gateway.identity.namespace}/${gateway.identity.name} select the same workload and port ${port} with overlapping hosts (${conflict.host}, ${dnsName})`,
            ),
          );
        }
        seen.push({ gateway, selector, port, host: dnsName });
      }
    });
  }

  for (const rule of istio.filter((resource) => resource.identity.kind === "DestinationRule")) {
    const tls = ((((rule.object.spec ?? {}) as Json).trafficPolicy ?? {}) as Json).tls as Json | undefined;
    if (
      tls &&
      (tls.mode === "SIMPLE" || tls.mode === "MUTUAL") &&
      !tls.caCertificates &&
      !tls.credentialName &&
      tls.insecureSkipVerify !== true
    ) {
      rule.report(
        warning(
          "IST0128",
          ["spec", "trafficPolicy", "tls"],
          `DestinationRule ${rule.identity.namespace}/${rule.identity.name} sets tls mode ${String(tls.mode)} without caCertificates; the server certificate is not verified`,
        ),
      );
    }
  }
}

/**
 * IST0130: an HTTP rule after a rule without matches, or whose matches all repeat earlier ones, is never
 * reached. IST0131 (info): a single match that repeats an earlier one has no effect.
 */
function checkUnreachableRules(vs: AnalyzedResource): void {
  const http = list(((vs.object.spec ?? {}) as Json).http);
  const catchAll = http.findIndex((route) => list(route.match).length === 0);
  const seen = new Map<string, number>();
  http.forEach((route, index) => {
    if (catchAll !== -1 && index > catchAll) {
      vs.report(
        warning(
          "IST0130",
          ["spec", "http", index],
          `VirtualService rule http[${index}] is not used (http[${catchAll}] has no match and takes all traffic)`,
        ),
      );
      return;
    }
    const matches = list(route.match).map((match) => JSON.stringify(withoutName(match)));
    const repeated = matches.map((key) => seen.get(key));
    if (matches.length > 0 && repeated.every((earlier) => earlier !== undefined)) {
      vs.report(
        warning(
          "IST0130",
          ["spec", "http", index],
          `VirtualService rule http[${index}] is not used (its matches repeat those of http[${repeated[0]}])`,
        ),
      );
    } else {
      repeated.forEach((earlier, matchIndex) => {
        if (earlier !== undefined) {
          vs.report({
            ...warning(
              "IST0131",
              ["spec", "http", index, "match", matchIndex],
              `match ${matchIndex} of http[${index}] repeats a match of http[${earlier}] and has no effect`,
            ),
            severity: "info",
          });
        }
      });
    }
    matches.forEach((key) => {
      if (!seen.has(key)) seen.set(key, index);
    });
  });
}

function withoutName(match: Json): Json {
  const { name: _name, ...rest } = match;
  return rest;
}
