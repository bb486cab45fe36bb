import type { Analyzer } from "../analyzer.js";
import { namespaceOf } from "../analyzer.js";
import { NoServerCertificateVerificationDestinationLevel, NoServerCertificateVerificationPortLevel } from "../messages.js";
import { integer, record, records, specOf, text, type Json } from "../values.js";

/**
 * Client TLS (SIMPLE or MUTUAL) without `caCertificates` does not verify the server (IST0128 for the rule's traffic
 * policy, IST0129 per port). A `credentialName` supplies the CA only for a rule with a workloadSelector (a gateway's
 * own rule); `insecureSkipVerify: true` says the lack of verification is intended.
 */
export const destinationRuleCaCertificates: Analyzer = {
  name: "destinationrule.CaCertificateAnalyzer",
  description: "Checks if caCertificates is set when TLS mode is SIMPLE/MUTUAL",
  codes: [NoServerCertificateVerificationDestinationLevel.code, NoServerCertificateVerificationPortLevel.code],
  inputs: ["networking.istio.io/DestinationRule"],
  analyze(context) {
    for (const rule of context.of("networking.istio.io/DestinationRule")) {
      const spec = specOf(rule.object);
      const selected = Object.keys(record(spec.workloadSelector)).length > 0;
      const host = text(spec.host) ?? "";
      const name = rule.identity.name ?? "";
      const namespace = namespaceOf(rule);
      const policy = record(spec.trafficPolicy);
      const tls = record(policy.tls);
      if (unverified(tls, selected))
        context.report(
          rule,
          NoServerCertificateVerificationDestinationLevel,
          ["spec", "trafficPolicy", "tls"],
          name,
          namespace,
          String(tls.mode),
          host,
        );
      records(policy.portLevelSettings).forEach((settings, index) => {
        const portTls = record(settings.tls);
        if (!unverified(portTls, selected)) return;
        const port = integer(record(settings.port).number);
        context.report(
          rule,
          NoServerCertificateVerificationPortLevel,
          ["spec", "trafficPolicy", "portLevelSettings", index, "tls"],
          name,
          namespace,
          String(portTls.mode),
          host,
          port === undefined ? "" : `number:${port}`,
        );
      });
    }
  },
};

function unverified(tls: Json, selected: boolean): boolean {
  if (tls.mode !== "SIMPLE" && tls.mode !== "MUTUAL") return false;
  if (text(tls.caCertificates)) return false;
  if (selected && text(tls.credentialName)) return false;
  return tls.insecureSkipVerify !== true;
}
