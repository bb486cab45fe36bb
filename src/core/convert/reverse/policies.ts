import type { KubeObject } from "../../objects.js";
import { objectMeta, type Emitted } from "../context.js";
import type { InputObject } from "../input.js";
import { sanitizeName } from "../names.js";
import { gatewayDurationToIstio } from "../durations.js";
import { listOf, recordOf, stringOf, type PlainRecord } from "../plain-data.js";
import { istioApiVersion, type ReverseContext } from "./context.js";

interface HostPolicy {
  namespace: string;
  name: string;
  from: InputObject;
  trafficPolicy: PlainRecord;
}

/**
 * Backend policies → one DestinationRule per Service host (Istio uses only one DestinationRule per host):
 * BackendTLSPolicy → TLS origination, XBackendTrafficPolicy and rule sessionPersistence → cookie affinity.
 */
export function destinationRules(
  tlsPolicies: readonly InputObject[],
  trafficPolicies: readonly InputObject[],
  context: ReverseContext,
): Emitted[] {
  const byHost = new Map<string, HostPolicy>();
  const policyFor = (host: string, namespace: string, name: string, from: InputObject) => {
    let policy = byHost.get(host);
    if (!policy) {
      policy = { namespace, name, from, trafficPolicy: {} };
      byHost.set(host, policy);
    }
    return policy;
  };
  for (const policy of tlsPolicies) {
    const validation = recordOf(policy.spec.validation) ?? {};
    const tls: PlainRecord = { mode: "SIMPLE" };
    const hostname = stringOf(validation.hostname);
    if (hostname) tls.sni = hostname;
    const names = listOf(validation.subjectAltNames)
      .map((item) => recordOf(item) ?? {})
      .map((item) => stringOf(item.hostname) ?? stringOf(item.uri))
      .filter((item): item is string => item !== undefined);
    if (names.length > 0) tls.subjectAltNames = names;
    else if (hostname) tls.subjectAltNames = [hostname];
    const caRefs = listOf(validation.caCertificateRefs).map((ref) => recordOf(ref) ?? {});
    if (caRefs.length > 0) {
      const ref = caRefs[0]!;
      tls.credentialName = stringOf(ref.name) ?? "";
      context.notes.warning(
        "CONV616",
        `caCertificateRefs: the DestinationRule reads the CA from credentialName ${tls.credentialName as string}; Istio expects a Secret with ca.crt there (istiod reads the ${stringOf(ref.kind) ?? "ConfigMap"} itself)`,
        policy.source,
        ["spec", "validation", "caCertificateRefs"],
      );
    }
    for (const target of serviceTargets(policy)) {
      const host = `${target}.${policy.namespace}.svc.${context.options.clusterDomain}`;
      policyFor(host, policy.namespace, `${target}-backend-tls`, policy).trafficPolicy.tls = tls;
    }
  }
  for (const policy of trafficPolicies) {
    const persistence = recordOf(policy.spec.sessionPersistence);
    if (recordOf(policy.spec.retryConstraint))
      context.notes.warning("CONV616", "retryConstraint has no Istio form (istiod ignores it): dropped", policy.source, [
        "spec",
        "retryConstraint",
      ]);
    if (!persistence) continue;
    const cookie = cookieAffinity(persistence);
    if (!cookie) {
      context.notes.warning("CONV616", "sessionPersistence without a cookie name (or by header) is not converted", policy.source, [
        "spec",
        "sessionPersistence",
      ]);
      continue;
    }
    for (const target of serviceTargets(policy)) {
      const host = `${target}.${policy.namespace}.svc.${context.options.clusterDomain}`;
      policyFor(host, policy.namespace, `${target}-session-affinity`, policy).trafficPolicy.loadBalancer = cookie;
    }
  }
  for (const [host, { namespace, cookie, route }] of context.sessionCookies) {
    const policy = policyFor(host, namespace, `${host.split(".")[0]}-session-affinity`, route);
    policy.trafficPolicy.loadBalancer ??= { consistentHash: { httpCookie: { name: cookie, ttl: "0s" } } };
  }
  return [...byHost].map(([host, policy]) => {
    const object: KubeObject = {
      apiVersion: istioApiVersion,
      kind: "DestinationRule",
      metadata: objectMeta(sanitizeName(policy.name), policy.namespace),
      spec: { host, trafficPolicy: policy.trafficPolicy },
    };
    return { object, from: policy.from };
  });
}

function serviceTargets(policy: InputObject): string[] {
  return listOf(policy.spec.targetRefs)
    .map((ref) => recordOf(ref) ?? {})
    .filter((ref) => (stringOf(ref.kind) ?? "") === "Service" && (stringOf(ref.group) ?? "") === "")
    .map((ref) => stringOf(ref.name) ?? "");
}

/** Cookie session persistence → consistent hashing on that cookie (a session cookie without absoluteTimeout). */
export function cookieAffinity(persistence: PlainRecord): PlainRecord | undefined {
  if ((stringOf(persistence.type) ?? "Cookie") !== "Cookie") return undefined;
  const name = stringOf(persistence.sessionName);
  if (!name) return undefined;
  const timeout = stringOf(persistence.absoluteTimeout);
  const lifetime = stringOf(recordOf(persistence.cookieConfig)?.lifetimeType) ?? "Session";
  const ttl = lifetime === "Permanent" && timeout ? (gatewayDurationToIstio(timeout) ?? "0s") : "0s";
  return { consistentHash: { httpCookie: { name, ttl } } };
}
