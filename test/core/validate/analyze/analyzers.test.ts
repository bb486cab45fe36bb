/** One table per analyser: small inputs, the messages Istio's analyser gives for them (code, resource, text, path). */
import { describe, expect, it } from "vitest";
import { allAnalyzers } from "../../../../src/core/validate/analyze/all.js";
import type { Analyzer } from "../../../../src/core/validate/analyze/analyzer.js";
import { messageTypes } from "../../../../src/core/validate/analyze/messages.js";
import { authorizationPolicies } from "../../../../src/core/validate/analyze/analyzers/authorization-policies.js";
import { deprecation } from "../../../../src/core/validate/analyze/analyzers/deprecation.js";
import { destinationRuleCaCertificates } from "../../../../src/core/validate/analyze/analyzers/destinationrule-ca-certificates.js";
import { destinationRuleSubsetPods } from "../../../../src/core/validate/analyze/analyzers/destinationrule-subset-pods.js";
import { gatewayApi } from "../../../../src/core/validate/analyze/analyzers/gateway-api.js";
import { gatewayCertificate } from "../../../../src/core/validate/analyze/analyzers/gateway-certificate.js";
import { gatewayConflicting } from "../../../../src/core/validate/analyze/analyzers/gateway-conflicting.js";
import { gatewayPorts } from "../../../../src/core/validate/analyze/analyzers/gateway-ports.js";
import { gatewaySecret } from "../../../../src/core/validate/analyze/analyzers/gateway-secret.js";
import { serviceEntryAddresses } from "../../../../src/core/validate/analyze/analyzers/serviceentry-addresses.js";
import { servicePortNames } from "../../../../src/core/validate/analyze/analyzers/service-port-names.js";
import { sidecarDefaultSelector } from "../../../../src/core/validate/analyze/analyzers/sidecar-default-selector.js";
import { sidecarSelector } from "../../../../src/core/validate/analyze/analyzers/sidecar-selector.js";
import { virtualServiceConflictingMeshHosts } from "../../../../src/core/validate/analyze/analyzers/virtualservice-conflicting-mesh-hosts.js";
import { virtualServiceDestinationHosts } from "../../../../src/core/validate/analyze/analyzers/virtualservice-destination-hosts.js";
import { virtualServiceDestinationRules } from "../../../../src/core/validate/analyze/analyzers/virtualservice-destination-rules.js";
import { virtualServiceGateways } from "../../../../src/core/validate/analyze/analyzers/virtualservice-gateways.js";
import { virtualServiceUnreachableRules } from "../../../../src/core/validate/analyze/analyzers/virtualservice-unreachable-rules.js";
import { runAnalyzers, type Reported } from "./harness.js";

const run = (analyzer: Analyzer, text: string, settings: Parameters<typeof runAnalyzers>[2] = {}) =>
  runAnalyzers([{ file: "in.yaml", text }], [analyzer], settings);
const brief = (reported: Reported[]) => reported.map((entry) => `${entry.code} ${entry.resource} ${entry.path}`);

const gateway = (name: string, servers: string, selector = "{istio: ingressgateway}", namespace = "default") => `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: ${selector}
  servers:
${servers}
---`;
const server = (port: number, hosts: string, tls = "") => `  - port: {number: ${port}, name: p${port}, protocol: HTTP}
    hosts: ${hosts}${tls ? `\n    tls: ${tls}` : ""}`;
const virtualService = (name: string, body: string, namespace = "default") => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${body}
---`;
const service = (name: string, ports: string, namespace = "default", extra = "") => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${namespace}${extra}}
spec:
  selector: {app: ${name}}
  ports: ${ports}
---`;

describe("the analyser list", () => {
  it("registers each analyser once, each declaring codes and inputs, every IST code in the catalogue", () => {
    const names = allAnalyzers.map((analyzer) => analyzer.name);
    expect(new Set(names).size).toBe(names.length);
    const catalogue = new Set(messageTypes.map((type) => type.code));
    for (const analyzer of allAnalyzers) {
      expect(analyzer.codes.length, analyzer.name).toBeGreaterThan(0);
      expect(analyzer.inputs.length, analyzer.name).toBeGreaterThan(0);
      for (const code of analyzer.codes) if (code.startsWith("IST")) expect(catalogue.has(code), code).toBe(true);
    }
  });
});

describe("virtualservice.GatewayAnalyzer", () => {
  const gw = gateway("gw", server(80, '["a.example.com", "team/b.example.com", "./c.example.com"]'), undefined, "edge");
  it.each([
    ["a served host", `${gw}${virtualService("vs", "  hosts: [a.example.com]\n  gateways: [edge/gw]")}`, []],
    ["`mesh` alone", `${virtualService("vs", "  hosts: [a]\n  gateways: [mesh]")}`, []],
    [
      "a missing gateway (IST0101 and IST0132, as Istio)",
      `${virtualService("vs", "  hosts: [a.example.com]\n  gateways: [nope]")}`,
      ["IST0101 VirtualService default/vs spec.gateways[0]", "IST0132 VirtualService default/vs spec.gateways[0]"],
    ],
    [
      "a host exported to another namespace",
      `${gw}${virtualService("vs", "  hosts: [b.example.com]\n  gateways: [edge/gw]")}`,
      ["IST0132 VirtualService default/vs spec.gateways[0]"],
    ],
    ["a host exported to its namespace", `${gw}${virtualService("vs", "  hosts: [b.example.com]\n  gateways: [edge/gw]", "team")}`, []],
    ["`./` from the gateway's namespace", `${gw}${virtualService("vs", "  hosts: [c.example.com]\n  gateways: [gw]", "edge")}`, []],
    [
      "`./` from elsewhere",
      `${gw}${virtualService("vs", "  hosts: [c.example.com]\n  gateways: [edge/gw]")}`,
      ["IST0132 VirtualService default/vs spec.gateways[0]"],
    ],
    ["a wildcard VirtualService host", `${gw}${virtualService("vs", '  hosts: ["*.example.com"]\n  gateways: [edge/gw]')}`, []],
  ])("%s", (_name, text, expected) => expect(brief(run(virtualServiceGateways, text))).toEqual(expected));

  it("words the messages as Istio does", () => {
    const reported = run(virtualServiceGateways, virtualService("vs", "  hosts: [a.example.com]\n  gateways: [nope]"));
    expect(reported.map((entry) => entry.message)).toEqual([
      'Referenced gateway not found: "nope"',
      "one or more host [a.example.com] defined in VirtualService default/vs not found in Gateway default/nope.",
    ]);
    expect(reported[0]!.severity).toBe("error");
  });
});

describe("virtualservice.DestinationHostAnalyzer", () => {
  const services = `${service("reviews", "[{port: 9080, name: http}]")}${service("multi", "[{port: 80, name: http}, {port: 443, name: https}]")}`;
  it.each([
    ["a short name", `${services}${virtualService("vs", "  hosts: [x]\n  http:\n  - route:\n    - destination: {host: reviews}")}`, []],
    [
      "an FQDN from another namespace",
      `${services}${virtualService("vs", "  hosts: [x]\n  http:\n  - route:\n    - destination: {host: reviews.default.svc.cluster.local}", "other")}`,
      [],
    ],
    [
      "a short name from another namespace",
      `${services}${virtualService("vs", "  hosts: [x]\n  http:\n  - route:\n    - destination: {host: reviews}", "other")}`,
      ["IST0101 VirtualService other/vs spec.http[0].route[0].destination.host"],
    ],
    [
      "a port the service lacks",
      `${services}${virtualService("vs", "  hosts: [x]\n  tcp:\n  - route:\n    - destination: {host: reviews, port: {number: 1}}")}`,
      ["IST0101 VirtualService default/vs spec.tcp[0].route[0].destination.port.number"],
    ],
    [
      "no port for a multi-port service",
      `${services}${virtualService("vs", "  hosts: [x]\n  http:\n  - route:\n    - destination: {host: multi}")}`,
      ["IST0112 VirtualService default/vs spec.http[0].route[0].destination.host"],
    ],
    [
      "a bogus mirror",
      `${services}${virtualService("vs", "  hosts: [x]\n  http:\n  - route:\n    - destination: {host: reviews}\n    mirror: {host: nope}")}`,
      ["IST0101 VirtualService default/vs spec.http[0].mirror.host"],
    ],
    [
      "nothing without Services among the inputs",
      `${virtualService("vs", "  hosts: [x]\n  http:\n  - route:\n    - destination: {host: nope}")}`,
      [],
    ],
  ])("%s", (_name, text, expected) => expect(brief(run(virtualServiceDestinationHosts, text))).toEqual(expected));

  it("uses the mesh's cluster domain", () => {
    const text = `${services}${virtualService("vs", "  hosts: [x]\n  http:\n  - route:\n    - destination: {host: reviews.default.svc.corp.internal}", "other")}`;
    expect(brief(run(virtualServiceDestinationHosts, text, { meshConfig: { clusterDomain: "corp.internal" } }))).toEqual([]);
    expect(run(virtualServiceDestinationHosts, text)).toHaveLength(1);
  });

  it("lists the ports in IST0112", () => {
    const text = `${services}${virtualService("vs", "  hosts: [x]\n  http:\n  - route:\n    - destination: {host: multi}")}`;
    expect(run(virtualServiceDestinationHosts, text)[0]!.message).toBe(
      'This VirtualService routes to a service "multi" that exposes multiple ports [80 443]. Specifying a port in the destination is required to disambiguate.',
    );
  });
});

describe("virtualservice.DestinationRuleAnalyzer", () => {
  const rule = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets: [{name: v1, labels: {version: v1}}]
---`;
  it.each([
    [
      "a defined subset",
      `${rule}${virtualService("vs", "  hosts: [x]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}")}`,
      [],
    ],
    [
      "the FQDN of a defined subset",
      `${rule}${virtualService("vs", "  hosts: [x]\n  http:\n  - route:\n    - destination: {host: reviews.default.svc.cluster.local, subset: v1}", "o")}`,
      [],
    ],
    [
      "an undefined subset",
      `${rule}${virtualService("vs", "  hosts: [x]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v2}")}`,
      ["IST0101 VirtualService default/vs spec.http[0].route[0].destination.subset"],
    ],
    [
      "nothing without DestinationRules among the inputs",
      `${virtualService("vs", "  hosts: [x]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v2}")}`,
      [],
    ],
  ])("%s", (_name, text, expected) => expect(brief(run(virtualServiceDestinationRules, text))).toEqual(expected));
});

describe("virtualservice.ConflictingMeshGatewayHostsAnalyzer", () => {
  it.each([
    [
      "short name and FQDN of one host",
      `${virtualService("a", "  hosts: [r]\n  http: []")}${virtualService("b", "  hosts: [r.default.svc.cluster.local]\n  http: []")}`,
      ["IST0109 VirtualService default/a metadata.name", "IST0109 VirtualService default/b metadata.name"],
    ],
    [
      "one bound to a gateway only",
      `${virtualService("a", "  hosts: [r]\n  http: []")}${virtualService("b", "  hosts: [r]\n  gateways: [gw]\n  http: []")}`,
      [],
    ],
    [
      "each exported to its own namespace",
      `${virtualService("a", '  hosts: [r.x.svc.cluster.local]\n  exportTo: ["."]\n  http: []')}${virtualService("b", '  hosts: [r.x.svc.cluster.local]\n  exportTo: ["."]\n  http: []', "other")}`,
      [],
    ],
  ])("%s", (_name, text, expected) => expect(brief(run(virtualServiceConflictingMeshHosts, text))).toEqual(expected));

  it("scales to many VirtualServices (an index, not pairwise comparison)", () => {
    const text = Array.from({ length: 20_000 }, (_, i) =>
      virtualService(`vs${i}`, `  hosts: [h${i}.example.com]\n  exportTo: ["."]\n  http: []`),
    ).join("");
    expect(run(virtualServiceConflictingMeshHosts, text)).toEqual([]);
  });
});

describe("schema.ValidationAnalyzer.VirtualService (rule order)", () => {
  it.each([
    [
      "http after a catch-all",
      "  hosts: [x]\n  http:\n  - route: []\n  - match: [{uri: {exact: /a}}, {uri: {exact: /b}}]",
      ["IST0130 VirtualService default/vs spec.http[1].match[0]", "IST0130 VirtualService default/vs spec.http[1].match[1]"],
    ],
    ["two catch-alls", "  hosts: [x]\n  http:\n  - route: []\n  - route: []", ["IST0130 VirtualService default/vs spec.http[1]"]],
    [
      "a repeated match, key order aside",
      "  hosts: [x]\n  http:\n  - match: [{uri: {exact: /a}, port: 80}]\n  - match: [{port: 80, uri: {exact: /a}}]",
      ["IST0130 VirtualService default/vs spec.http[1]", "IST0131 VirtualService default/vs spec.http[1].match[0]"],
    ],
    [
      "same match, different name",
      "  hosts: [x]\n  http:\n  - match: [{name: one, uri: {exact: /a}}]\n  - match: [{name: two, uri: {exact: /a}}]",
      ["IST0130 VirtualService default/vs spec.http[1]", "IST0131 VirtualService default/vs spec.http[1].match[0]"],
    ],
    [
      "a covered prefix",
      "  hosts: [x]\n  http:\n  - match: [{uri: {prefix: /a}}]\n  - match: [{uri: {prefix: /ab}}]",
      ["IST0131 VirtualService default/vs spec.http[1].match[0]"],
    ],
    [
      "a prefix with an extra header",
      "  hosts: [x]\n  http:\n  - match: [{uri: {prefix: /a}}]\n  - match: [{uri: {prefix: /ab}, headers: {h: {exact: v}}}]",
      [],
    ],
    [
      "tcp repeated",
      "  hosts: [x]\n  tcp:\n  - match: [{port: 1}]\n  - match: [{port: 1}]",
      ["IST0130 VirtualService default/vs spec.tcp[1]", "IST0131 VirtualService default/vs spec.tcp[1].match[0]"],
    ],
    [
      "tls repeated",
      '  hosts: [x]\n  tls:\n  - match: [{sniHosts: ["x"]}]\n  - match: [{sniHosts: ["x"]}]',
      ["IST0130 VirtualService default/vs spec.tls[1]", "IST0131 VirtualService default/vs spec.tls[1].match[0]"],
    ],
  ])("%s", (_name, body, expected) =>
    expect(brief(run(virtualServiceUnreachableRules, virtualService("vs", body))).sort()).toEqual([...expected].sort()),
  );

  it("names rules and matches as Istio does", () => {
    const reported = run(
      virtualServiceUnreachableRules,
      virtualService(
        "vs",
        "  hosts: [x]\n  http:\n  - name: first\n    match: [{uri: {exact: /a}}]\n  - name: second\n    match: [{name: m, uri: {exact: /a}}]",
      ),
    );
    expect(reported.map((entry) => `${entry.severity} ${entry.message}`).sort()).toEqual([
      'info VirtualService rule "second" match "m" is not used (duplicate/overlapping match in rule "first").',
      'warning VirtualService rule "second" not used (all matches used by prior rules).',
    ]);
  });
});

describe("gateway.ConflictingGatewayAnalyzer", () => {
  it.each([
    [
      "same selector, port and host",
      `${gateway("a", server(80, "[x.example.com]"))}${gateway("b", server(80, '["*.example.com"]'))}`,
      ["IST0145 Gateway default/a spec.servers[0].hosts", "IST0145 Gateway default/b spec.servers[0].hosts"],
    ],
    [
      "namespace prefixes aside",
      `${gateway("a", server(80, "[./x.example.com]"))}${gateway("b", server(80, '["*/x.example.com"]'))}`,
      ["IST0145 Gateway default/a spec.servers[0].hosts", "IST0145 Gateway default/b spec.servers[0].hosts"],
    ],
    ["other port", `${gateway("a", server(80, "[x.example.com]"))}${gateway("b", server(81, "[x.example.com]"))}`, []],
    [
      "other workloads",
      `${gateway("a", server(80, "[x.example.com]"))}${gateway("b", server(80, "[x.example.com]"), "{istio: other}")}`,
      [],
    ],
    ["disjoint hosts", `${gateway("a", server(80, "[x.example.com]"))}${gateway("b", server(80, "[y.example.com]"))}`, []],
  ])("%s", (_name, text, expected) => expect(brief(run(gatewayConflicting, text))).toEqual(expected));

  it("scales to many servers", () => {
    const text = Array.from({ length: 5_000 }, (_, i) => gateway(`g${i}`, server(443, `[h${i}.example.com]`))).join("");
    expect(run(gatewayConflicting, text)).toEqual([]);
  });
});

describe("gateway.CertificateAnalyzer", () => {
  it.each([
    [
      "one credential on two gateways",
      `${gateway("a", server(443, "[a]", "{mode: SIMPLE, credentialName: c}"))}${gateway("b", server(443, "[b]", "{mode: SIMPLE, credentialName: c}"))}`,
      ["IST0138 Gateway default/a metadata.name", "IST0138 Gateway default/b metadata.name"],
    ],
    [
      "different credentials",
      `${gateway("a", server(443, "[a]", "{mode: SIMPLE, credentialName: c}"))}${gateway("b", server(443, "[b]", "{mode: SIMPLE, credentialName: d}"))}`,
      [],
    ],
  ])("%s", (_name, text, expected) => expect(brief(run(gatewayCertificate, text))).toEqual(expected));
});

describe("gateway.IngressGatewayPortAnalyzer and gateway.SecretAnalyzer", () => {
  const workload = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  template:
    metadata: {labels: {istio: ingressgateway}}
    spec: {containers: [{name: proxy, image: proxy}]}
---${service("ingress", "[{port: 80, name: http}]", "istio-system").replace("app: ingress", "istio: ingressgateway")}`;
  it.each([
    ["an exposed port", `${workload}${gateway("g", server(80, "[x]"))}`, []],
    [
      "a port the Service lacks",
      `${workload}${gateway("g", server(8080, "[x]"))}`,
      ["IST0162 Gateway default/g spec.servers[0].port.number"],
    ],
    [
      "a selector no workload has (next to one that has)",
      `${workload}${gateway("ok", server(80, "[x]"))}${gateway("g", server(80, "[x]"), "{istio: nope}")}`,
      ["IST0101 Gateway default/g spec.selector.istio"],
    ],
    ["nothing when no gateway workload is among the inputs", `${workload}${gateway("g", server(80, "[x]"), "{istio: nope}")}`, []],
    ["nothing without workloads among the inputs", `${gateway("g", server(8080, "[x]"), "{istio: nope}")}`, []],
  ])("ports: %s", (_name, text, expected) => expect(brief(run(gatewayPorts, text))).toEqual(expected));

  const secret = (name: string, namespace: string) => `
apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: ${namespace}}
stringData: {tls.crt: not-a-certificate, tls.key: k}
---`;
  it.each([
    [
      "a credential in the workload's namespace, unreadable",
      `${workload}${secret("c", "istio-system")}${gateway("g", server(443, "[x]", "{mode: SIMPLE, credentialName: c}"))}`,
      ["IST0161 Gateway default/g spec.servers[0].tls.credentialName"],
    ],
    [
      "a credential in the Gateway's namespace only",
      `${workload}${secret("c", "default")}${gateway("g", server(443, "[x]", "{mode: SIMPLE, credentialName: c}"))}`,
      ["IST0101 Gateway default/g spec.servers[0].tls.credentialName"],
    ],
    ["no Secrets among the inputs", `${workload}${gateway("g", server(443, "[x]", "{mode: SIMPLE, credentialName: c}"))}`, []],
  ])("secrets: %s", (_name, text, expected) => expect(brief(run(gatewaySecret, text))).toEqual(expected));
});

describe("destinationrule.CaCertificateAnalyzer", () => {
  const rule = (spec: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: d, namespace: default}
spec:
  host: db.example.com
${spec}`;
  it.each([
    ["SIMPLE without CA", "  trafficPolicy:\n    tls: {mode: SIMPLE}", ["IST0128 DestinationRule default/d spec.trafficPolicy.tls"]],
    ["with CA", "  trafficPolicy:\n    tls: {mode: SIMPLE, caCertificates: /ca.pem}", []],
    ["insecureSkipVerify", "  trafficPolicy:\n    tls: {mode: SIMPLE, insecureSkipVerify: true}", []],
    ["ISTIO_MUTUAL", "  trafficPolicy:\n    tls: {mode: ISTIO_MUTUAL}", []],
    [
      "port-level MUTUAL",
      "  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 443}\n      tls: {mode: MUTUAL}",
      ["IST0129 DestinationRule default/d spec.trafficPolicy.portLevelSettings[0].tls"],
    ],
  ])("%s", (_name, spec, expected) => expect(brief(run(destinationRuleCaCertificates, rule(spec)))).toEqual(expected));

  it("words IST0129 with the port as Istio prints it", () => {
    const [reported] = run(
      destinationRuleCaCertificates,
      rule("  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 443}\n      tls: {mode: SIMPLE}"),
    );
    expect(reported!.message).toBe(
      "DestinationRule d in namespace default has TLS mode set to SIMPLE but no caCertificates are set to validate server identity for host: db.example.com at port number:443",
    );
  });
});

describe("serviceentry.Analyzer", () => {
  const entry = (spec: string) => `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: se, namespace: default}
spec:
  hosts: [db.example.com]
${spec}`;
  it.each([
    ["TCP without addresses", "  ports: [{number: 5432, name: tcp, protocol: TCP}]", ["IST0134 ServiceEntry default/se spec.ports[0]"]],
    ["no protocol", "  ports: [{number: 5432, name: db}]", ["IST0134 ServiceEntry default/se spec.ports[0]"]],
    ["HTTP", "  ports: [{number: 80, name: http, protocol: HTTP}]", []],
    ["with addresses", "  addresses: [240.0.0.1]\n  ports: [{number: 5432, name: tcp, protocol: TCP}]", []],
  ])("%s", (_name, spec, expected) => expect(brief(run(serviceEntryAddresses, entry(spec)))).toEqual(expected));
});

describe("sidecar analysers", () => {
  const sidecar = (name: string, selector?: string, namespace = "default") => `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${selector ? `  workloadSelector: {labels: ${selector}}\n` : ""}  egress: [{hosts: ["./*"]}]
---`;
  const pod = `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default, labels: {app: a}}
---`;
  it.each([
    [
      "two without selector",
      `${sidecar("x")}${sidecar("z")}`,
      ["IST0111 Sidecar default/x metadata.name", "IST0111 Sidecar default/z metadata.name"],
    ],
    ["one per namespace", `${sidecar("x")}${sidecar("z", undefined, "other")}`, []],
  ])("default selector: %s", (_name, text, expected) => expect(brief(run(sidecarDefaultSelector, text))).toEqual(expected));
  it.each([
    ["a selector matching a pod", `${pod}${sidecar("x", "{app: a}")}`, []],
    [
      "two selecting one pod",
      `${pod}${sidecar("x", "{app: a}")}${sidecar("z", "{app: a}")}`,
      ["IST0110 Sidecar default/x metadata.name", "IST0110 Sidecar default/z metadata.name"],
    ],
    ["a selector matching nothing", `${pod}${sidecar("x", "{app: b}")}`, ["IST0101 Sidecar default/x spec.workloadSelector.labels.app"]],
  ])("selector: %s", (_name, text, expected) => expect(brief(run(sidecarSelector, text))).toEqual(expected));
});

describe("auth.AuthorizationPoliciesAnalyzer", () => {
  const policy = (spec: string, namespace = "default") => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: p, namespace: ${namespace}}
spec:
${spec}
---`;
  const inputs = `
apiVersion: v1
kind: Namespace
metadata: {name: default}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default, labels: {app: a}}
---`;
  it.each([
    ["a matching selector", policy("  selector: {matchLabels: {app: a}}"), []],
    ["a selector matching nothing", policy("  selector: {matchLabels: {app: b}}"), ["IST0127 AuthorizationPolicy default/p spec.selector"]],
    [
      "an unknown source namespace",
      policy("  rules:\n  - from:\n    - source: {namespaces: [nope, def*]}"),
      ["IST0101 AuthorizationPolicy default/p spec.rules[0].from[0].source.namespaces[0]"],
    ],
    ["a targetRef policy", policy("  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: g}]", "other"), []],
  ])("%s", (_name, text, expected) => expect(brief(run(authorizationPolicies, `${inputs}${text}`))).toEqual(expected));
});

describe("deprecation.DeprecationAnalyzer", () => {
  it("reports fault.delay.percent and Sidecar egressProxy", () => {
    const text = `${virtualService("vs", "  hosts: [x]\n  http:\n  - fault: {delay: {percent: 10, fixedDelay: 1s}}\n    route: []")}
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: s, namespace: default}
spec:
  outboundTrafficPolicy: {mode: REGISTRY_ONLY, egressProxy: {host: e}}`;
    expect(run(deprecation, text).map((entry) => `${entry.code} ${entry.path} ${entry.message}`)).toEqual([
      "IST0002 spec.http[0].fault.delay.percent Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage",
      "IST0002 spec.outboundTrafficPolicy.egressProxy Deprecated: OutboundTrafficPolicy.EgressProxy ignored",
    ]);
  });
});

describe("gatewayapi.RouteAnalyzer", () => {
  const route = (parentRefs: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: apps}
spec:
  parentRefs: ${parentRefs}
  rules:
  - backendRefs: [{name: svc, namespace: data, port: 80}]`;
  it.each([
    ["a mesh (GAMMA) route needs no ReferenceGrant", route('[{group: "", kind: Service, name: front}]'), []],
    [
      "a gateway route does",
      route("[{name: gw, namespace: apps}]"),
      [
        "GWAPI_NO_MATCHING_PARENT HTTPRoute apps/r spec.parentRefs[0]",
        "GWAPI_REF_NOT_PERMITTED HTTPRoute apps/r spec.rules[0].backendRefs[0]",
      ],
    ],
  ])("%s", (_name, text, expected) => expect(brief(run(gatewayApi, text))).toEqual(expected));
});

describe("service.PortNameAnalyzer", () => {
  const ports = (text: string, extra = "", namespace = "default") => service("web", text, namespace, extra);
  it.each([
    [
      "protocol prefixes, any case, with a suffix",
      ports("[{name: http, port: 80}, {name: HTTP2-web, port: 81}, {name: grpc-web-x, port: 82}, {name: tcp-db, port: 83}]"),
      [],
    ],
    [
      "appProtocol wins over the name",
      ports("[{name: web, port: 80, appProtocol: http}, {name: h2, port: 81, appProtocol: kubernetes.io/h2c}]"),
      [],
    ],
    ["UDP and well-known ports need no name", ports("[{name: dns, port: 5353, protocol: UDP}, {name: db, port: 3306}]"), []],
    [
      "an unknown prefix or no name",
      ports("[{name: web, port: 8080, targetPort: 9090}, {port: 8081}]"),
      [
        "IST0118 Service default/web spec.ports[0] Port name web (port: 8080, targetPort: 9090) doesn't follow the naming convention of Istio port.",
        "IST0118 Service default/web spec.ports[1] Port name  (port: 8081, targetPort: 0) doesn't follow the naming convention of Istio port.",
      ],
    ],
    [
      "Istio's own Services and system namespaces are skipped",
      ports("[{name: web, port: 80}]", ", labels: {istio: ingressgateway}") + ports("[{name: web, port: 80}]", "", "kube-system"),
      [],
    ],
  ])("%s", (_name, text, expected) =>
    expect(run(servicePortNames, text).map((entry) => `${entry.code} ${entry.resource} ${entry.path} ${entry.message}`)).toEqual(expected),
  );

  it("an ExternalName Service with a tcp or unknown port name is IST0150", () => {
    const text = `
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: default}
spec:
  type: ExternalName
  externalName: db.example.com
  ports: [{name: tcp, port: 5432}, {name: db, port: 5433}, {name: tls-db, port: 5434}]`;
    expect(brief(run(servicePortNames, text))).toEqual([
      "IST0150 Service default/ext spec.ports[0]",
      "IST0150 Service default/ext spec.ports[1]",
    ]);
  });
});

describe("destinationrule.SubsetSelectPodAnalyzer", () => {
  const rule = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: default}
spec:
  host: web
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
---`;
  const pod = (labels: string, extra = "") => `
apiVersion: v1
kind: Pod
metadata: {name: web-${Math.abs(labels.length)}, namespace: default, labels: ${labels}}
spec:
  containers: [{name: c, image: i}]${extra}
---`;
  it.each([
    [
      "a subset no pod carries",
      rule + service("web", "[{name: http, port: 80}]") + pod("{app: web, version: v1}"),
      ["IST0173 DestinationRule default/web spec.subsets[1]"],
    ],
    [
      "the Service selector counts too",
      rule + service("web", "[{name: http, port: 80}]") + pod("{app: other, version: v2}") + pod("{app: web, version: v1}"),
      ["IST0173 DestinationRule default/web spec.subsets[1]"],
    ],
    ["no workloads among the inputs: nothing concluded", rule + service("web", "[{name: http, port: 80}]"), []],
    ["an unknown host: left to other analysers", rule + pod("{app: web, version: v1}"), []],
  ])("%s", (_name, text, expected) => expect(brief(run(destinationRuleSubsetPods, text))).toEqual(expected));

  it("says what Istio says", () => {
    const reported = run(destinationRuleSubsetPods, rule + service("web", "[{name: http, port: 80}]") + pod("{app: web, version: v1}"));
    expect(reported[0]?.message).toBe(
      "The Subset v2 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).",
    );
  });
});
