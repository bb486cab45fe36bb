import type { Analyzer } from "../analyzer.js";
import { GatewayDuplicateCertificate } from "../messages.js";
import { fullName, type AnalyzedResource } from "../resource.js";
import { labelsOf, record, records, specOf, text, type Json } from "../values.js";

/**
 * Two Gateways on the same workloads serving the same certificate invite HTTP/2 connection reuse across them, which
 * ends in 404s (IST0138, on each Gateway whose selector is contained in the other's).
 */
export const gatewayCertificate: Analyzer = {
  name: "gateway.CertificateAnalyzer",
  description: "Checks a gateway certificate",
  codes: [GatewayDuplicateCertificate.code],
  inputs: ["networking.istio.io/Gateway"],
  analyze(context) {
    const gateways = context.of("networking.istio.io/Gateway").map((gateway) => ({
      gateway,
      selector: labelsOf(specOf(gateway.object).selector),
      tls: records(specOf(gateway.object).servers)
        .filter((server) => server.tls !== undefined && server.tls !== null)
        .map((server) => record(server.tls)),
    }));
    // Only Gateways sharing a credentialName or certificate file can match; group to avoid comparing all pairs.
    const byCertificate = new Map<string, typeof gateways>();
    for (const entry of gateways)
      for (const key of new Set(entry.tls.map(certificateKey).filter((key): key is string => key !== undefined))) {
        const group = byCertificate.get(key);
        if (group) {
          if (!group.includes(entry)) group.push(entry);
        } else byCertificate.set(key, [entry]);
      }
    const candidates = new Map<AnalyzedResource, Set<(typeof gateways)[number]>>();
    for (const group of byCertificate.values())
      for (const entry of group) {
        let set = candidates.get(entry.gateway);
        if (!set) candidates.set(entry.gateway, (set = new Set()));
        for (const other of group) if (other !== entry) set.add(other);
      }
    for (const current of gateways) {
      for (const other of candidates.get(current.gateway) ?? []) {
        if (!Object.entries(current.selector).every(([key, value]) => other.selector[key] === value)) continue;
        for (const mine of current.tls)
          for (const theirs of other.tls)
            if (sameCertificate(mine, theirs))
              context.report(
                current.gateway,
                GatewayDuplicateCertificate,
                ["metadata", "name"],
                [fullName(current.gateway), fullName(other.gateway)],
              );
      }
    }
  },
};

function certificateKey(tls: Json): string | undefined {
  const credential = text(tls.credentialName);
  if (credential) return `credential:${credential}`;
  const certificate = text(tls.serverCertificate);
  return certificate ? `file:${certificate}` : undefined;
}

function sameCertificate(a: Json, b: Json): boolean {
  const aCredential = text(a.credentialName) ?? "";
  const bCredential = text(b.credentialName) ?? "";
  if (aCredential && bCredential) return aCredential === bCredential;
  if (aCredential || bCredential) return false;
  const aCert = text(a.serverCertificate) ?? "";
  const bCert = text(b.serverCertificate) ?? "";
  if (!aCert || !bCert || aCert !== bCert) return false;
  const aKey = text(a.privateKey) ?? "";
  const bKey = text(b.privateKey) ?? "";
  return aKey !== "" && bKey !== "" && aKey === bKey;
}
