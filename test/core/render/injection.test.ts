// Static properties of mesh's injection templates (no Go toolchain needed; executing them is the job of
// test/conformance/injection.test.ts).
import { describe, expect, it } from "vitest";
import { generateManifest } from "../../../src/core/render/index.js";
import { injectionConfigDefaults, injectionTemplates } from "../../../src/core/render/injection/index.js";
import { scanInjectionTemplate } from "../../../src/core/render/injection/template-syntax.js";
import syntaxCases from "../../fixtures/injection/syntax-cases.json" with { type: "json" };

const templates = injectionTemplates();

describe("the template checker", () => {
  it.each(syntaxCases.rejected)("reports %s", (_, source, message) => {
    const problems = scanInjectionTemplate(source).problems.map((p) => p.message);
    expect(problems.join("\n")).toContain(message);
  });

  it.each(syntaxCases.accepted)("accepts %s", (_, source) => {
    expect(scanInjectionTemplate(source).problems).toEqual([]);
  });
});

describe("mesh's injection templates", () => {
  it("ship every template the istiod chart ships: sidecar, gateway, kube-gateway, waypoint, grpc-simple, grpc-agent, agentgateway", () => {
    expect(Object.keys(templates)).toEqual(["sidecar", "gateway", "kube-gateway", "waypoint", "grpc-simple", "grpc-agent", "agentgateway"]);
  });

  it.each(Object.keys(templates))("%s parses with istiod's function set and scoping rules", (name) => {
    const scan = scanInjectionTemplate(templates[name]!);
    expect(scan.problems).toEqual([]);
    expect(scan.actionCount).toBeGreaterThan(20);
  });

  it.each(Object.keys(templates))("%s is YAML-safe text: no tabs, ends with a newline, no interpolation left over", (name) => {
    const text = templates[name]!;
    expect(text).not.toContain("\t");
    expect(text.endsWith("\n")).toBe(true);
    expect(text).not.toContain("${");
  });

  const sidecar = scanInjectionTemplate(templates.sidecar!);

  // docs/design/injection.md §5.1: annotations the sidecar template itself must implement.
  it.each([
    "sidecar.istio.io/proxyCPU",
    "sidecar.istio.io/proxyMemory",
    "sidecar.istio.io/proxyCPULimit",
    "sidecar.istio.io/proxyMemoryLimit",
    "sidecar.istio.io/proxyImage",
    "sidecar.istio.io/logLevel",
    "sidecar.istio.io/componentLogLevel",
    "sidecar.istio.io/agentLogLevel",
    "sidecar.istio.io/interceptionMode",
    "sidecar.istio.io/nativeSidecar",
    "sidecar.istio.io/capNetBindService",
    "traffic.sidecar.istio.io/includeOutboundIPRanges",
    "traffic.sidecar.istio.io/excludeOutboundIPRanges",
    "traffic.sidecar.istio.io/includeInboundPorts",
    "traffic.sidecar.istio.io/excludeInboundPorts",
    "traffic.sidecar.istio.io/includeOutboundPorts",
    "traffic.sidecar.istio.io/excludeOutboundPorts",
    "istio.io/reroute-virtual-interfaces",
    "traffic.sidecar.istio.io/kubevirtInterfaces",
    "traffic.sidecar.istio.io/excludeInterfaces",
    "status.sidecar.istio.io/port",
    "readiness.status.sidecar.istio.io/initialDelaySeconds",
    "readiness.status.sidecar.istio.io/periodSeconds",
    "readiness.status.sidecar.istio.io/failureThreshold",
    "sidecar.istio.io/bootstrapOverride",
    "sidecar.istio.io/userVolume",
    "sidecar.istio.io/userVolumeMount",
    "kubectl.kubernetes.io/default-container",
    "kubectl.kubernetes.io/default-logs-container",
    "apm.datadoghq.com/env",
    "k8s.v1.cni.cncf.io/networks",
  ])("the sidecar template reads annotation %s", (key) => {
    expect(sidecar.strings).toContain(key);
  });

  it.each([
    "security.istio.io/tlsMode",
    "service.istio.io/canonical-name",
    "service.istio.io/canonical-revision",
    "app.kubernetes.io/name",
    "app",
    "app.kubernetes.io/version",
    "version",
    "service.istio.io/workload-name",
    "networking.istio.io/tunnel",
  ])("the sidecar template reads label %s", (key) => {
    expect(sidecar.strings).toContain(key);
  });

  // docs/design/injection.md §3.5 and §0.5: the numeric contract between istio-init, Envoy and the agent.
  describe("port consistency (§3.5)", () => {
    const text = templates.sidecar!;
    it("captures to the mesh's listen ports, defaulting to 15001/15006", () => {
      expect(text).toContain("{{ .MeshConfig.ProxyListenPort | default 15001 | quote }}");
      expect(text).toContain("{{ .MeshConfig.ProxyInboundListenPort | default 15006 | quote }}");
    });
    it("never captures Envoy's stats and health ports and appends the status port", () => {
      expect(text).toMatch(/printf "15090,15021,%s" \$excludeInbound/);
      expect(text).toMatch(/excludeInboundPort \$statusPort/);
      expect(text).toMatch(/valueOrDefault \$p\.statusPort 15020/);
    });
    it("exempts the proxy's own uid from capture and runs the proxy as that uid", () => {
      expect(text).toMatch(/- "-u"\n\s+- \{\{ if \$tproxy \}\}"1337"\{\{ else \}\}\{\{ \.ProxyUID \| quote \}\}/);
      expect(text).toMatch(/runAsUser: \{\{ \.ProxyUID \}\}/);
    });
    const envoyTemplates = Object.keys(templates).filter((name) => !["grpc-simple", "grpc-agent", "agentgateway"].includes(name));
    it.each(envoyTemplates)("%s probes Envoy's health listener on 15021 and declares 15090 for stats", (name) => {
      const t = templates[name]!;
      expect(t).toMatch(/path: \/healthz\/ready\n\s+port: 15021/);
      expect(t).toMatch(/name: http-envoy-prom\n\s+containerPort: 15090/);
    });
  });

  it("grpc-agent runs the agent without Envoy and points the application at the agent's bootstrap", () => {
    const text = templates["grpc-agent"]!;
    expect(text).toMatch(/name: DISABLE_ENVOY\n\s+value: "true"/);
    expect(text).toMatch(/name: GRPC_XDS_BOOTSTRAP\n\s+value: \/etc\/istio\/proxy\/grpc-bootstrap.json/);
    expect(text).not.toContain("istio-iptables");
  });

  it("grpc-simple writes a bootstrap for istiod's plaintext XDS port and runs nothing of Istio in the pod", () => {
    const text = templates["grpc-simple"]!;
    expect(text).toMatch(/printf "%s\.%s\.svc:15010" \$istiodName/);
    expect(text).toMatch(/name: GRPC_XDS_BOOTSTRAP\n\s+value: \/var\/lib\/grpc\/data\/bootstrap.json/);
    expect(text).not.toContain("istio-proxy");
    expect(text).not.toContain("istio-iptables");
  });

  it("agentgateway runs the agentgateway proxy, not Envoy, and is found by istiod through its managed label", () => {
    const text = templates.agentgateway!;
    expect(text).toContain("- name: agentgateway");
    expect(text).toContain('"gateway.istio.io/managed" "istio.io-agentgateway-controller"');
    expect(text).not.toContain("proxyv2");
    expect(text).not.toContain("istio-proxy");
  });

  // A misspelt values path does not fail in Go templates: it silently renders the default. So every path the
  // templates read must exist in the values mesh writes into the injector ConfigMap, or be a known optional
  // setting whose absence means the default.
  it("read only values paths that mesh's injector ConfigMap carries (or known optional settings)", () => {
    const optional = new Set([
      "global.proxy.capNetBindService",
      "global.proxy.holdApplicationUntilProxyStarts",
      "global.proxy.lifecycle",
      "global.proxy.seccompProfile",
      "global.trustDomain",
      // The istiod chart has no default for it; absent means the istio-ca-root-cert bundle.
      "global.trustBundleName",
      // Neither: absent means the agentgateway image istiod's controller hands the template.
      "global.agentgateway",
    ]);
    const prefixes: Record<string, string> = {
      ".Values": "",
      $g: "global",
      $p: "global.proxy",
      $pi: "global.proxy_init",
      $gateways: "gateways",
    };
    const read = new Set<string>();
    for (const text of Object.values(templates)) {
      for (const m of text.matchAll(/(\.Values|\$gateways|\$pi|\$p|\$g)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
        read.add(`${prefixes[m[1]!]}${m[2]}`.replace(/^\./, ""));
      }
    }
    const objects = generateManifest({ files: [], sets: ["profile=default"], components: ["istiod"] }).components.flatMap((c) => c.objects);
    const injector = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "istio-sidecar-injector") as
      { data: { values: string } } | undefined;
    const values = JSON.parse(injector!.data.values) as Record<string, unknown>;
    const lookup = (path: string) =>
      path
        .split(".")
        .reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), values);
    const missing = [...read].filter((path) => lookup(path) === undefined && !optional.has(path));
    expect(read.size).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });

  it("the injector defaults select the sidecar template, which is shipped", () => {
    const defaults = injectionConfigDefaults();
    expect(defaults).toEqual({
      policy: "enabled",
      defaultTemplates: ["sidecar"],
      alwaysInjectSelector: [],
      neverInjectSelector: [],
      injectedAnnotations: {},
    });
    for (const name of defaults.defaultTemplates) expect(templates).toHaveProperty(name);
  });
});
