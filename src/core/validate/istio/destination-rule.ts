import type { FieldPath } from "../../findings.js";
import type { FieldError } from "../field-errors.js";
import type { ValidateOptions } from "../options.js";
import { isIP } from "../formats.js";
import {
  collector,
  durationProblem,
  exportToProblems,
  fqdnProblem,
  isPort,
  labelMapProblems,
  wildcardDomainProblem,
  type Reporter,
} from "./webhook-rules.js";
import { isIstioDnsLabel } from "../../dns-names.js";
import { recordsOf, type JsonObject } from "../../json.js";

/** networking.istio.io DestinationRule (docs/design/validation.md §3.4, the parts that decide most verdicts). */
export function validateIstioDestinationRule(object: JsonObject, options: ValidateOptions): FieldError[] {
  const { errors, report } = collector("ISTIO_DESTINATIONRULE");
  const spec = (object.spec ?? {}) as JsonObject;
  const namespace = ((object.metadata as JsonObject | undefined)?.namespace as string | undefined) ?? options.defaultNamespace;
  if (typeof spec.host === "string") {
    const problem = wildcardDomainProblem(spec.host);
    if (problem) report(["spec", "host"], problem, { value: spec.host });
  } else {
    report(["spec", "host"], "host is required");
  }
  if (spec.trafficPolicy) checkTrafficPolicy(spec.trafficPolicy as JsonObject, ["spec", "trafficPolicy"], report, namespace, true);
  const names = new Set<string>();
  recordsOf(spec.subsets).forEach((subset, index) => {
    const at = ["spec", "subsets", index];
    const name = subset.name;
    if (typeof name !== "string" || !isIstioDnsLabel(name))
      report([...at, "name"], "subset name must be a non-empty DNS label", { value: name ?? null });
    else if (names.has(name)) report([...at, "name"], `duplicate subset name ${JSON.stringify(name)}`);
    if (typeof name === "string") names.add(name);
    for (const problem of labelMapProblems(subset.labels)) report([...at, "labels"], problem);
    if (subset.trafficPolicy) checkTrafficPolicy(subset.trafficPolicy as JsonObject, [...at, "trafficPolicy"], report, namespace, true);
  });
  for (const problem of exportToProblems(spec.exportTo, namespace, false)) report(["spec", "exportTo"], problem);
  if (spec.workloadSelector && Array.isArray(spec.exportTo) && spec.exportTo.some((entry) => entry !== "." && entry !== namespace)) {
    report(["spec", "exportTo"], "exportTo with a workloadSelector may only include the current namespace");
  }
  return errors;
}

function checkTrafficPolicy(policy: JsonObject, at: FieldPath, report: Reporter, namespace: string, allowPortLevel: boolean): void {
  if (Object.keys(policy).length === 0) report(at, "trafficPolicy must have at least one field");
  if (policy.tunnel && policy.proxyProtocol) report(at, "tunnel and proxyProtocol cannot be set together");
  const pool = policy.connectionPool as JsonObject | undefined;
  if (pool) {
    if (!pool.http && !pool.tcp) report([...at, "connectionPool"], "connection pool must have at least one field (http or tcp)");
    const http = (pool.http ?? {}) as JsonObject;
    const tcp = (pool.tcp ?? {}) as JsonObject;
    for (const [field, value] of [...Object.entries(http), ...Object.entries(tcp)]) {
      if (typeof value === "number" && value < 0)
        report([...at, "connectionPool", field in http ? "http" : "tcp", field], `${field} must be non-negative`, { value });
    }
    for (const field of ["idleTimeout"])
      if (http[field] !== undefined) durationAt(http[field], [...at, "connectionPool", "http", field], report);
    for (const field of ["connectTimeout", "maxConnectionDuration", "idleTimeout"])
      if (tcp[field] !== undefined) durationAt(tcp[field], [...at, "connectionPool", "tcp", field], report);
    if (http.useClientProtocol && http.h2UpgradePolicy === "UPGRADE")
      report([...at, "connectionPool", "http"], "useClientProtocol cannot be used with h2UpgradePolicy UPGRADE");
  }
  const outlier = policy.outlierDetection as JsonObject | undefined;
  if (outlier) {
    for (const field of ["maxEjectionPercent", "minHealthPercent"]) {
      const value = outlier[field];
      if (typeof value === "number" && (value < 0 || value > 100))
        report([...at, "outlierDetection", field], `${field} must be in the range [0, 100]`, { value });
    }
    for (const field of ["interval", "baseEjectionTime"])
      if (outlier[field] !== undefined) durationAt(outlier[field], [...at, "outlierDetection", field], report);
    if (outlier.consecutiveLocalOriginFailures !== undefined && !outlier.splitExternalLocalOriginErrors) {
      report(
        [...at, "outlierDetection", "consecutiveLocalOriginFailures"],
        "consecutiveLocalOriginFailures requires splitExternalLocalOriginErrors: true",
      );
    }
  }
  const loadBalancer = policy.loadBalancer as JsonObject | undefined;
  const hash = loadBalancer?.consistentHash as JsonObject | undefined;
  if (hash) {
    const cookie = hash.httpCookie as JsonObject | undefined;
    if (cookie && !cookie.name) report([...at, "loadBalancer", "consistentHash", "httpCookie", "name"], "cookie name is required");
    if (hash.minimumRingSize !== undefined) {
      report([...at, "loadBalancer", "consistentHash", "minimumRingSize"], "minimumRingSize is deprecated; use ringHash.minimumRingSize", {
        warning: true,
      });
      if (hash.ringHash || hash.maglev)
        report([...at, "loadBalancer", "consistentHash"], "minimumRingSize cannot be combined with ringHash or maglev");
    }
    const maglev = hash.maglev as JsonObject | undefined;
    if (maglev) {
      const size = maglev.tableSize;
      if (typeof size !== "number" || size === 0)
        report([...at, "loadBalancer", "consistentHash", "maglev", "tableSize"], "maglev tableSize must be set");
      else if (!isPrime(size) || size >= 5000011)
        report([...at, "loadBalancer", "consistentHash", "maglev", "tableSize"], "maglev tableSize must be a prime number below 5000011", {
          value: size,
        });
    }
  }
  const warmup = loadBalancer?.warmup as JsonObject | undefined;
  if (warmup) {
    if (warmup.duration === undefined) report([...at, "loadBalancer", "warmup", "duration"], "warmup duration is required");
    else durationAt(warmup.duration, [...at, "loadBalancer", "warmup", "duration"], report);
  }
  checkClientTls(policy.tls as JsonObject | undefined, [...at, "tls"], report, namespace);
  const proxyProtocol = policy.proxyProtocol as JsonObject | undefined;
  if (proxyProtocol && proxyProtocol.version !== undefined && proxyProtocol.version !== "V1" && proxyProtocol.version !== "V2") {
    report([...at, "proxyProtocol", "version"], "proxyProtocol version must be V1 or V2", { value: proxyProtocol.version });
  }
  const tunnel = policy.tunnel as JsonObject | undefined;
  if (tunnel) {
    if (tunnel.protocol !== undefined && tunnel.protocol !== "CONNECT" && tunnel.protocol !== "POST")
      report([...at, "tunnel", "protocol"], "tunnel protocol must be CONNECT or POST", { value: tunnel.protocol });
    if (typeof tunnel.targetHost === "string" && !isIP(tunnel.targetHost) && fqdnProblem(tunnel.targetHost))
      report([...at, "tunnel", "targetHost"], "tunnel targetHost must be an FQDN or IP address", { value: tunnel.targetHost });
    if (!isPort(tunnel.targetPort))
      report([...at, "tunnel", "targetPort"], "tunnel targetPort must be in the range 1..65535", { value: tunnel.targetPort ?? null });
  }
  if (allowPortLevel) {
    recordsOf(policy.portLevelSettings).forEach((setting, index) => {
      const where = [...at, "portLevelSettings", index];
      const port = setting.port as JsonObject | undefined;
      if (!port) report([...at, "portLevelSettings", index, "port"], "port is required in portLevelSettings");
      else if (port.number !== undefined && !isPort(port.number))
        report([...where, "port", "number"], "port number must be in the range 1..65535", { value: port.number });
      const { port: _port, ...rest } = setting;
      checkTrafficPolicy(rest, where, report, namespace, false);
    });
  }
}

function checkClientTls(tls: JsonObject | undefined, at: FieldPath, report: Reporter, namespace: string): void {
  if (!tls) return;
  const mode = tls.mode ?? "DISABLE";
  const skipVerify = tls.insecureSkipVerify === true;
  if (skipVerify && (tls.caCertificates || tls.subjectAltNames))
    report(at, "insecureSkipVerify cannot be combined with caCertificates or subjectAltNames");
  if ((mode === "SIMPLE" || mode === "MUTUAL") && tls.credentialName && (tls.clientCertificate || tls.privateKey || tls.caCertificates)) {
    report(at, "credentialName cannot be combined with clientCertificate, privateKey or caCertificates");
  }
  if (mode === "MUTUAL" && !tls.credentialName) {
    if (!tls.clientCertificate)
      report([...at, "clientCertificate"], "client certificate required for mutual tls", { hint: "or set credentialName" });
    if (!tls.privateKey) report([...at, "privateKey"], "private key required for mutual tls", { hint: "or set credentialName" });
  }
  if (typeof tls.credentialName === "string" && tls.credentialName.startsWith("configmap://")) {
    const reference = tls.credentialName.slice("configmap://".length);
    if (reference.includes("/") && !reference.startsWith(`${namespace}/`))
      report([...at, "credentialName"], "configmap:// credentials must be in the DestinationRule's namespace");
  }
}

function durationAt(value: unknown, at: FieldPath, report: Reporter): void {
  const problem = durationProblem(value);
  if (problem) report(at, problem, { value });
}

function isPrime(value: number): boolean {
  if (!Number.isInteger(value) || value < 2) return false;
  for (let divisor = 2; divisor * divisor <= value; divisor++) if (value % divisor === 0) return false;
  return true;
}
