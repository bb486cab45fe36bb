import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import { InvalidGatewayCredential, ReferencedResourceNotFound } from "../messages.js";
import type { AnalyzedResource } from "../resource.js";
import { labelsOf, record, records, selectorMatches, specOf, text } from "../values.js";

/**
 * A server's `credentialName` must name a Secret in the namespace of the gateway workload (IST0101 credentialName),
 * holding a certificate and key (`tls.crt`/`tls.key` or `cert`/`key`) that parse and have not expired (IST0161).
 * Runs when Secrets are among the inputs; without workloads among them, any namespace counts.
 */
export const gatewaySecret: Analyzer = {
  name: "gateway.SecretAnalyzer",
  description: "Checks a gateway's referenced secrets for correctness",
  codes: [ReferencedResourceNotFound.code, InvalidGatewayCredential.code],
  inputs: ["networking.istio.io/Gateway", "Pod", "Secret"],
  analyze(context) {
    if (!context.known("Secret")) return;
    const secretsByName = new Map<string, AnalyzedResource[]>();
    for (const secret of context.of("Secret")) {
      const name = secret.identity.name ?? "";
      const list = secretsByName.get(name);
      if (list) list.push(secret);
      else secretsByName.set(name, [secret]);
    }
    for (const gateway of context.of("networking.istio.io/Gateway")) {
      const selector = labelsOf(specOf(gateway.object).selector);
      let namespaces: string[] | undefined;
      if (context.gatewayWorkloadsKnown()) {
        const workload = context.workloads().find((candidate) => selectorMatches(selector, candidate.labels));
        // No workload: gateway.IngressGatewayPortAnalyzer reports the selector.
        if (!workload) continue;
        namespaces = [workload.namespace];
      }
      records(specOf(gateway.object).servers).forEach((server, index) => {
        const credential = text(record(server.tls).credentialName);
        if (!credential) return;
        const [namespace, name] = credential.includes("/") ? credential.split("/", 2) : [undefined, credential];
        const found = (secretsByName.get(name ?? "") ?? []).find((secret) =>
          namespace !== undefined
            ? namespaceOf(secret) === namespace
            : namespaces === undefined || namespaces.includes(namespaceOf(secret)),
        );
        const path = ["spec", "servers", index, "tls", "credentialName"];
        if (!found) context.report(gateway, ReferencedResourceNotFound, path, "credentialName", credential);
        else if (!validCredential(found))
          context.report(gateway, InvalidGatewayCredential, path, gateway.identity.name ?? "", namespaceOf(gateway));
      });
    }
  },
};

function secretValue(secret: AnalyzedResource, key: string): string | undefined {
  const data = text(record(secret.object.data)[key]);
  if (data !== undefined) return Buffer.from(data, "base64").toString("utf8");
  return text(record(secret.object.stringData)[key]);
}

function validCredential(secret: AnalyzedResource): boolean {
  const pairs = [
    ["tls.crt", "tls.key"],
    ["cert", "key"],
  ];
  const pair = pairs.find(([cert, key]) => secretValue(secret, cert!) !== undefined && secretValue(secret, key!) !== undefined);
  if (!pair) return false;
  const pem = secretValue(secret, pair[0]!)!;
  try {
    // node:crypto loads on the first certificate, not with every validate run.
    const { X509Certificate } = process.getBuiltinModule("node:crypto");
    const certificate = new X509Certificate(pem);
    return new Date(certificate.validTo).getTime() > Date.now();
  } catch {
    return false;
  }
}
