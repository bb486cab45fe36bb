import { isIP } from "node:net";
import { isDns1123Label, isWildcardDnsSubdomain } from "../dns-names.js";

/** Gateway API listener/route hostname: lower-case RFC 1123 name with an optional leading `*.`. */
export function isValidHostname(host: string): boolean {
  return isWildcardDnsSubdomain(host);
}

export function isIpAddress(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  // Every IPv4 address starts with a digit and every IPv6 address has a colon: hostnames, the common case, skip
  // node:net's patterns (a few percent of a 1,000-route conversion).
  if (!bare.includes(":") && !(bare.charCodeAt(0) >= 48 && bare.charCodeAt(0) <= 57)) return false;
  return isIP(bare) !== 0;
}

/** An Istio Gateway server host `[namespace/]dnsName`; without a `/` any namespace may bind. */
export interface ServerHost {
  namespace: string;
  dnsName: string;
  /** The host had no namespace part. */
  implicitNamespace: boolean;
}

export function parseServerHost(host: string): ServerHost {
  const slash = host.indexOf("/");
  if (slash === -1) return { namespace: "*", dnsName: host.toLowerCase(), implicitNamespace: true };
  return { namespace: host.slice(0, slash), dnsName: host.slice(slash + 1).toLowerCase(), implicitNamespace: false };
}

/** A destination host as a Service reference. `name` may be invalid in the i2gw reading. */
export interface ServiceHost {
  name: string;
  namespace: string;
}

/**
 * i2gw's reading of `destination.host`: the text before the first `.svc`; its first label is the name,
 * the rest the namespace. `reviews.prod` therefore becomes a Service named `reviews.prod`.
 */
export function serviceHostLenient(host: string, defaultNamespace: string): ServiceHost {
  const svc = host.indexOf(".svc");
  if (svc === -1) return { name: host, namespace: defaultNamespace };
  const before = host.slice(0, svc);
  const dot = before.indexOf(".");
  if (dot === -1) return { name: before, namespace: defaultNamespace };
  return { name: before.slice(0, dot), namespace: before.slice(dot + 1) };
}

/**
 * The strict reading (`full` profile): a Kubernetes Service only when the host is a bare name,
 * `name.ns.svc` or `name.ns.svc.<cluster domain>`; anything else is an external host.
 */
export function serviceHostStrict(host: string, defaultNamespace: string, clusterDomain: string): ServiceHost | undefined {
  const lower = host.toLowerCase();
  if (!lower.includes(".")) return isDns1123Label(lower) ? { name: lower, namespace: defaultNamespace } : undefined;
  const parts = lower.split(".");
  const isSvc = parts.length >= 3 && parts[2] === "svc";
  const suffix = parts.slice(3).join(".");
  if (!isSvc || (suffix !== "" && suffix !== clusterDomain)) return undefined;
  const [name, namespace] = parts as [string, string];
  return isDns1123Label(name) && isDns1123Label(namespace) ? { name, namespace } : undefined;
}
