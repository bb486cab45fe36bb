// Conformance of mesh's injection templates with istiod 1.30.3's contract (docs/design/injection.md §3, §7): the
// sidecar template. Templates are executed by Go's text/template + sprig, as istiod executes them, through the
// harness in ./injection-harness; istiod's webhook around them (selection, merge, post-processing) is
// modelled in ./injection-harness/istiod-injector.ts, so the assertions are on the final injected pod.
//
// Needs a Go toolchain and sprig from Debian (no network beyond Debian's mirror):
//   apt-get install -y golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev
// The harness builds in GOPATH mode against /usr/share/gocode (see injection-harness/harness.ts). Without
// `go` on PATH this file is skipped with a warning; any other failure (build, render) fails.
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { generateManifest } from "../../src/core/render/index.js";
import { injectionConfigDefaults } from "../../src/core/render/injection/index.js";
import { scanInjectionTemplate } from "../../src/core/render/injection/template-syntax.js";
import syntaxCases from "../fixtures/injection/syntax-cases.json" with { type: "json" };
import { injectPods, type Pod } from "./injection-harness/istiod-injector.js";
import {
  argAfter,
  args,
  cartContainersByNative,
  container,
  envOf,
  envValue,
  expectGolden,
  names,
  readPod,
  describeWithInjector,
  proxyVolumeNames,
  restrictedProxySecurityContext,
  proxyReadinessProbe,
  withAnnotations,
} from "./injection-harness/support.js";

await describeWithInjector("the sidecar template executed as istiod executes it", ({ templates, run, inject }) => {
  it("mesh's static template checker agrees with Go's parser on accept/reject", async () => {
    // A case with a fourth element "execute" passes Go's parser but fails when executed (still an error).
    const cases = [
      ...syntaxCases.rejected.map(([, source, , stage]) => ({ source: source!, expected: stage ?? "parse" })),
      ...syntaxCases.accepted.map(([, source]) => ({ source: source!, expected: "ok" })),
    ];
    const results = await run(
      cases.map((c, i) => ({
        id: String(i),
        template: c.source,
        context: c.expected === "execute" ? ("pod" as const) : ("parse-only" as const),
        data: {},
      })),
    );
    cases.forEach((c, i) => {
      const stage = results.get(String(i))!.stage;
      const goStage = stage === "parse" || stage === "execute" ? stage : "ok";
      expect({ source: c.source, goStage }).toEqual({ source: c.source, goStage: c.expected });
      expect({ source: c.source, meshRejects: scanInjectionTemplate(c.source).problems.length > 0 }).toEqual({
        source: c.source,
        meshRejects: c.expected !== "ok",
      });
    });
  });

  it("parses every template with istiod's function set", async () => {
    const results = await run(Object.entries(templates).map(([id, template]) => ({ id, template, context: "parse-only" })));
    for (const [name, result] of results)
      expect({ name, stage: result.stage, error: result.error }).toEqual({ name, stage: "ok", error: undefined });
  });

  it("matches the reviewed injected pods and gateway objects (golden files)", async () => {
    const [classic, native, gateway, grpc] = [
      await inject(readPod("pod-cart.yaml")),
      await inject(readPod("pod-cart.yaml"), { native: true }),
      await inject(readPod("pod-gateway.yaml")),
      await inject(withAnnotations(readPod("pod-cart.yaml"), { "inject.istio.io/templates": "grpc-agent" })),
    ];
    expectGolden("sidecar-classic", [classic]);
    expectGolden("sidecar-native", [native]);
    expectGolden("gateway", [gateway]);
    expectGolden("grpc-agent", [grpc]);
  });

  describe("with the injector ConfigMap `mesh manifest generate` renders", () => {
    function rendered(sets: string[]) {
      const manifest = generateManifest({ files: [], sets, components: ["istiod"] });
      const objects = manifest.components.flatMap((c) => c.objects) as {
        kind: string;
        metadata: { name: string };
        data?: Record<string, string>;
      }[];
      const injector = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("istio-sidecar-injector"));
      const mesh = objects.find(
        (o) => o.kind === "ConfigMap" && /^istio(-[a-z0-9-]+)?$/.test(o.metadata.name) && o.data?.mesh !== undefined,
      );
      if (!injector?.data || !mesh?.data) throw new Error("istiod rendered no injector or mesh ConfigMap");
      return {
        config: parseYaml(injector.data.config!) as ReturnType<typeof injectionConfigDefaults> & { templates: Record<string, string> },
        values: JSON.parse(injector.data.values!) as Record<string, unknown>,
        meshConfig: parseYaml(mesh.data.mesh!) as Record<string, unknown>,
      };
    }

    it.each([
      ["pod-cart.yaml", false, "sidecar-classic"],
      ["pod-cart.yaml", true, "sidecar-native"],
      ["pod-gateway.yaml", false, "gateway"],
    ])("%s (native %s) is injected exactly as the golden %s", async (podFile, native, golden) => {
      const { config, values, meshConfig } = rendered(["profile=default"]);
      const [outcome] = await injectPods(run, config, { values, meshConfig, revision: "default", nativeSidecars: native }, [
        readPod(podFile),
      ]);
      if (outcome?.kind !== "injected") throw new Error(JSON.stringify(outcome));
      expectGolden(golden, [outcome.pod]);
    });

    it("a revision points the proxy at its own istiod", async () => {
      const { config, values, meshConfig } = rendered(["profile=default", "revision=canary"]);
      const [outcome] = await injectPods(run, config, { values, meshConfig, revision: "canary", nativeSidecars: false }, [
        readPod("pod-cart.yaml"),
      ]);
      if (outcome?.kind !== "injected") throw new Error(JSON.stringify(outcome));
      expect(envValue(container(outcome.pod, "istio-proxy"), "CA_ADDR")).toBe("istiod-canary.istio-system.svc:15012");
      expect(outcome.pod.metadata.annotations?.["istio.io/rev"]).toBe("canary");
    });
  });

  describe("Example A: a Deployment's pod, classic mode, default values (§3, §7.2)", () => {
    let pod: Pod;
    beforeAll(async () => {
      pod = await inject(readPod("pod-cart.yaml"));
    });

    it("adds the template labels and the annotations istiod and the template write", () => {
      expect(pod.metadata.labels).toEqual({
        app: "cart",
        version: "v3",
        "pod-template-hash": "6b8d7c",
        "security.istio.io/tlsMode": "istio",
        "service.istio.io/canonical-name": "cart",
        "service.istio.io/canonical-revision": "v3",
      });
      const annotations = pod.metadata.annotations!;
      expect(annotations).toMatchObject({
        "istio.io/rev": "default",
        "kubectl.kubernetes.io/default-container": "api",
        "kubectl.kubernetes.io/default-logs-container": "api",
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "15020",
        "prometheus.io/path": "/stats/prometheus",
      });
      expect(JSON.parse(annotations["sidecar.istio.io/status"]!)).toEqual({
        initContainers: ["istio-init"],
        containers: ["istio-proxy"],
        volumes: [...proxyVolumeNames, "istio-ca-crl"],
        imagePullSecrets: null,
        revision: "default",
      });
    });

    it("runs istio-init as root with NET_ADMIN/NET_RAW and the exact istio-iptables arguments", () => {
      expect(names(pod.spec.initContainers)).toEqual(["istio-init"]);
      const init = container(pod, "istio-init");
      expect(init.image).toBe("docker.io/istio/proxyv2:1.30.3");
      expect(init.command).toBeUndefined();
      expect(init.args).toEqual([
        "istio-iptables",
        "-p",
        "15001",
        "-z",
        "15006",
        "-u",
        "1337",
        "-m",
        "REDIRECT",
        "-i",
        "*",
        "-x",
        "",
        "-b",
        "*",
        "-d",
        "15090,15021,15020",
        "--log_output_level=default:info",
      ]);
      expect(init.env).toBeUndefined();
      expect(init.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "2000m", memory: "1024Mi" } });
      expect(init.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { add: ["NET_ADMIN", "NET_RAW"], drop: ["ALL"] },
        readOnlyRootFilesystem: false,
        runAsUser: 0,
        runAsGroup: 0,
        runAsNonRoot: false,
      });
    });

    it("puts istio-proxy last, with the proxy's ports, args, probes and security", () => {
      expect(names(pod.spec.containers)).toEqual(["api", "istio-proxy"]);
      const proxy = container(pod, "istio-proxy");
      expect(proxy.image).toBe("docker.io/istio/proxyv2:1.30.3");
      expect(proxy.restartPolicy).toBeUndefined();
      expect(proxy.lifecycle).toBeUndefined();
      expect(proxy.ports).toEqual([{ name: "http-envoy-prom", containerPort: 15090, protocol: "TCP" }]);
      expect(proxy.args).toEqual([
        "proxy",
        "sidecar",
        "--domain",
        "$(POD_NAMESPACE).svc.cluster.local",
        "--proxyLogLevel=warning",
        "--proxyComponentLogLevel=misc:error",
        "--log_output_level=default:info",
      ]);
      expect(proxy.readinessProbe).toEqual(proxyReadinessProbe);
      expect(proxy.startupProbe).toEqual({
        httpGet: { path: "/healthz/ready", port: 15021 },
        initialDelaySeconds: 0,
        periodSeconds: 1,
        timeoutSeconds: 3,
        failureThreshold: 600,
      });
      expect(proxy.securityContext).toEqual(restrictedProxySecurityContext);
      expect(proxy.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "2000m", memory: "1024Mi" } });
    });

    it("gives istio-proxy the environment of §3.3, in order", () => {
      const proxy = container(pod, "istio-proxy");
      expect(envOf(proxy).map((e) => e.name)).toEqual([
        "PILOT_CERT_PROVIDER",
        "CA_ADDR",
        "POD_NAME",
        "POD_NAMESPACE",
        "INSTANCE_IP",
        "SERVICE_ACCOUNT",
        "HOST_IP",
        "ISTIO_CPU_LIMIT",
        "PROXY_CONFIG",
        "ISTIO_META_POD_PORTS",
        "ISTIO_META_APP_CONTAINERS",
        "GOMEMLIMIT",
        "GOMAXPROCS",
        "ISTIO_META_CLUSTER_ID",
        "ISTIO_META_NODE_NAME",
        "ISTIO_META_INTERCEPTION_MODE",
        "ISTIO_META_WORKLOAD_NAME",
        "ISTIO_META_OWNER",
        "ISTIO_META_MESH_ID",
        "TRUST_DOMAIN",
        "ISTIO_KUBE_APP_PROBERS",
      ]);
      const fieldRef = (name: string) =>
        (envOf(proxy).find((e) => e.name === name)?.valueFrom as { fieldRef?: { fieldPath: string } }).fieldRef?.fieldPath;
      expect(["POD_NAME", "POD_NAMESPACE", "INSTANCE_IP", "SERVICE_ACCOUNT", "HOST_IP", "ISTIO_META_NODE_NAME"].map(fieldRef)).toEqual([
        "metadata.name",
        "metadata.namespace",
        "status.podIP",
        "spec.serviceAccountName",
        "status.hostIP",
        "spec.nodeName",
      ]);
      for (const [name, resource] of [
        ["ISTIO_CPU_LIMIT", "limits.cpu"],
        ["GOMEMLIMIT", "limits.memory"],
        ["GOMAXPROCS", "limits.cpu"],
      ]) {
        expect(envOf(proxy).find((e) => e.name === name)?.valueFrom).toEqual({ resourceFieldRef: { resource, divisor: "1" } });
      }
      expect(
        Object.fromEntries(
          envOf(proxy)
            .filter((e) => e.value !== undefined)
            .map((e) => [e.name, e.value]),
        ),
      ).toEqual({
        PILOT_CERT_PROVIDER: "istiod",
        CA_ADDR: "istiod.istio-system.svc:15012",
        PROXY_CONFIG: "{}",
        ISTIO_META_POD_PORTS: '[{"name":"http","containerPort":9080,"protocol":"TCP"}]',
        ISTIO_META_APP_CONTAINERS: "api",
        ISTIO_META_CLUSTER_ID: "Kubernetes",
        ISTIO_META_INTERCEPTION_MODE: "REDIRECT",
        ISTIO_META_WORKLOAD_NAME: "cart",
        ISTIO_META_OWNER: "kubernetes://apis/apps/v1/namespaces/shop/deployments/cart",
        ISTIO_META_MESH_ID: "cluster.local",
        TRUST_DOMAIN: "cluster.local",
        ISTIO_KUBE_APP_PROBERS: expect.any(String),
      });
      expect(JSON.parse(envValue(proxy, "ISTIO_KUBE_APP_PROBERS")!)).toEqual({
        "/app-health/api/readyz": { httpGet: { path: "/ready", port: 9080, scheme: "HTTP" }, timeoutSeconds: 1 },
      });
    });

    it("rewrites the app's readiness probe to the agent's status port", () => {
      expect(container(pod, "api").readinessProbe).toEqual({
        httpGet: { path: "/app-health/api/readyz", port: 15020, scheme: "HTTP" },
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      });
    });

    it("mounts and declares the volumes of §3.3/§3.4", () => {
      const proxy = container(pod, "istio-proxy");
      expect((proxy.volumeMounts as { name: string; mountPath: string }[]).map((m) => [m.name, m.mountPath])).toEqual([
        ["workload-socket", "/var/run/secrets/workload-spiffe-uds"],
        ["credential-socket", "/var/run/secrets/credential-uds"],
        ["workload-certs", "/var/run/secrets/workload-spiffe-credentials"],
        ["istiod-ca-cert", "/var/run/secrets/istio"],
        ["istio-ca-crl", "/var/run/secrets/istio/crl"],
        ["istio-data", "/var/lib/istio/data"],
        ["istio-envoy", "/etc/istio/proxy"],
        ["istio-token", "/var/run/secrets/tokens"],
        ["istio-podinfo", "/etc/istio/pod"],
      ]);
      expect(pod.spec.volumes).toEqual([
        { name: "workload-socket", emptyDir: {} },
        { name: "credential-socket", emptyDir: {} },
        { name: "workload-certs", emptyDir: {} },
        { name: "istio-envoy", emptyDir: { medium: "Memory" } },
        { name: "istio-data", emptyDir: {} },
        {
          name: "istio-podinfo",
          downwardAPI: {
            items: [
              { path: "labels", fieldRef: { fieldPath: "metadata.labels" } },
              { path: "annotations", fieldRef: { fieldPath: "metadata.annotations" } },
            ],
          },
        },
        {
          name: "istio-token",
          projected: { sources: [{ serviceAccountToken: { path: "istio-token", expirationSeconds: 43200, audience: "istio-ca" } }] },
        },
        { name: "istiod-ca-cert", configMap: { name: "istio-ca-root-cert" } },
        { name: "istio-ca-crl", configMap: { name: "istio-ca-crl", optional: true } },
      ]);
      expect(pod.spec.imagePullSecrets).toBeUndefined();
      expect(pod.spec.securityContext).toBeUndefined();
    });
  });

  describe("Example B: native sidecars (§3.6, §7.3)", () => {
    it("puts istio-proxy in initContainers with restartPolicy Always, a drain preStop and a startupProbe", async () => {
      const pod = await inject(readPod("pod-cart.yaml"), { native: true });
      expect(names(pod.spec.initContainers)).toEqual(["istio-init", "istio-proxy"]);
      expect(names(pod.spec.containers)).toEqual(["api"]);
      const proxy = container(pod, "istio-proxy");
      expect(proxy.restartPolicy).toBe("Always");
      expect(proxy.lifecycle).toEqual({
        preStop: { exec: { command: ["pilot-agent", "request", "--debug-port=15020", "POST", "drain"] } },
      });
      expect(proxy.startupProbe).toMatchObject({
        httpGet: { path: "/healthz/ready", port: 15021 },
        periodSeconds: 1,
        failureThreshold: 600,
      });
      const status = JSON.parse(pod.metadata.annotations!["sidecar.istio.io/status"]!);
      expect(status).toMatchObject({ initContainers: ["istio-init", "istio-proxy"], containers: null });
    });

    it("orders a user init container after the proxy (native) and before istio-init (classic)", async () => {
      const withMigrate = readPod("pod-cart.yaml");
      withMigrate.spec.initContainers = [{ name: "migrate", image: "example.org/migrate:1" }];
      const native = await inject(withMigrate, { native: true });
      const classic = await inject(withMigrate, { native: false });
      expect(names(native.spec.initContainers)).toEqual(["istio-init", "istio-proxy", "migrate"]);
      expect(names(classic.spec.initContainers)).toEqual(["migrate", "istio-init"]);
    });

    it.each([
      ["false", false, ["istio-init"]],
      ["true", true, ["istio-init", "istio-proxy"]],
    ])("honours sidecar.istio.io/nativeSidecar=%s over the cluster-wide decision", async (value, clusterNative, init) => {
      const pod = await inject(withAnnotations(readPod("pod-cart.yaml"), { "sidecar.istio.io/nativeSidecar": value }), {
        native: !clusterNative,
      });
      expect(names(pod.spec.initContainers)).toEqual(init);
    });
  });

  describe("Example C: annotations (§5.1, §7.4)", () => {
    const annotated = () =>
      withAnnotations(readPod("pod-cart.yaml"), {
        "sidecar.istio.io/proxyCPU": "250m",
        "sidecar.istio.io/proxyMemoryLimit": "512Mi",
        "traffic.sidecar.istio.io/excludeOutboundPorts": "5432,6379",
        "traffic.sidecar.istio.io/excludeInboundPorts": "9000",
        "readiness.status.sidecar.istio.io/periodSeconds": "5",
        "sidecar.istio.io/logLevel": "debug",
      });

    it("applies capture, resource, log-level and readiness annotations", async () => {
      const pod = await inject(annotated());
      const init = container(pod, "istio-init");
      const proxy = container(pod, "istio-proxy");
      expect(argAfter(init, "-d")).toBe("15090,15021,9000,15020");
      expect(argAfter(init, "-o")).toBe("5432,6379");
      expect(args(init)).not.toContain("-q");
      for (const c of [init, proxy]) expect(c.resources).toEqual({ requests: { cpu: "250m" }, limits: { memory: "512Mi" } });
      expect(args(proxy)).toContain("--proxyLogLevel=debug");
      expect(proxy.readinessProbe).toMatchObject({ periodSeconds: 5, initialDelaySeconds: 0, failureThreshold: 4, timeoutSeconds: 3 });
      expect(pod.metadata.annotations).toMatchObject(annotated().metadata.annotations!);
    });

    it("with status port 0 excludes no status port and drops the proxy's probes", async () => {
      const pod = await inject(withAnnotations(annotated(), { "status.sidecar.istio.io/port": "0" }));
      expect(argAfter(container(pod, "istio-init"), "-d")).toBe("15090,15021,9000");
      expect(container(pod, "istio-proxy").readinessProbe).toBeUndefined();
      expect(container(pod, "istio-proxy").startupProbe).toBeUndefined();
    });

    it.each([
      [{ "traffic.sidecar.istio.io/includeOutboundIPRanges": "10.0.0.0/8" }, "-i", "10.0.0.0/8"],
      [{ "traffic.sidecar.istio.io/includeOutboundIPRanges": "" }, "-i", ""],
      [{ "traffic.sidecar.istio.io/excludeOutboundIPRanges": "169.254.169.254/32" }, "-x", "169.254.169.254/32"],
      [{ "traffic.sidecar.istio.io/includeInboundPorts": "" }, "-b", ""],
      [{ "traffic.sidecar.istio.io/includeOutboundPorts": "443" }, "-q", "443"],
      [{ "istio.io/reroute-virtual-interfaces": "net1" }, "-k", "net1"],
      [{ "traffic.sidecar.istio.io/kubevirtInterfaces": "net2" }, "-k", "net2"],
      [{ "traffic.sidecar.istio.io/excludeInterfaces": "eth9" }, "-c", "eth9"],
      [{ "sidecar.istio.io/interceptionMode": "TPROXY" }, "-m", "TPROXY"],
    ])("maps %j to istio-iptables %s", async (annotations, flag, value) => {
      const pod = await inject(withAnnotations(readPod("pod-cart.yaml"), annotations));
      expect(argAfter(container(pod, "istio-init"), flag)).toBe(value);
    });

    it("uses an image annotation with a registry path verbatim for both injected containers", async () => {
      const pod = await inject(
        withAnnotations(readPod("pod-cart.yaml"), { "sidecar.istio.io/proxyImage": "registry.example/istio/proxyv2:custom" }),
      );
      expect(container(pod, "istio-init").image).toBe("registry.example/istio/proxyv2:custom");
      expect(container(pod, "istio-proxy").image).toBe("registry.example/istio/proxyv2:custom");
    });

    it("adds NET_BIND_SERVICE and runs as root (gid 1337) with capNetBindService", async () => {
      const pod = await inject(withAnnotations(readPod("pod-cart.yaml"), { "sidecar.istio.io/capNetBindService": "true" }));
      expect(container(pod, "istio-proxy").securityContext).toMatchObject({
        capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] },
        runAsUser: 0,
        runAsGroup: 1337,
        runAsNonRoot: false,
      });
    });

    it("wires a bootstrap override and user volumes", async () => {
      const pod = await inject(
        withAnnotations(readPod("pod-cart.yaml"), {
          "sidecar.istio.io/bootstrapOverride": "my-bootstrap",
          "sidecar.istio.io/userVolume": '{"extra":{"configMap":{"name":"extra-cm"}}}',
          "sidecar.istio.io/userVolumeMount": '{"extra":{"mountPath":"/etc/extra","readOnly":true}}',
        }),
      );
      const proxy = container(pod, "istio-proxy");
      expect(envValue(proxy, "ISTIO_BOOTSTRAP_OVERRIDE")).toBe("/etc/istio/custom-bootstrap/custom_bootstrap.json");
      expect(proxy.volumeMounts).toEqual(
        expect.arrayContaining([
          { name: "custom-bootstrap-volume", mountPath: "/etc/istio/custom-bootstrap" },
          { name: "extra", mountPath: "/etc/extra", readOnly: true },
        ]),
      );
      expect(pod.spec.volumes).toEqual(
        expect.arrayContaining([
          { name: "custom-bootstrap-volume", configMap: { name: "my-bootstrap" } },
          { name: "extra", configMap: { name: "extra-cm" } },
        ]),
      );
    });
  });

  describe("variants (§3.7)", () => {
    it("TPROXY mesh-wide: init -m TPROXY, proxy root with NET_ADMIN, PROXY_CONFIG carries the mode", async () => {
      const pod = await inject(readPod("pod-cart.yaml"), { mesh: { defaultConfig: { interceptionMode: "TPROXY" } } });
      const proxy = container(pod, "istio-proxy");
      expect(argAfter(container(pod, "istio-init"), "-m")).toBe("TPROXY");
      expect(argAfter(container(pod, "istio-init"), "-u")).toBe("1337");
      expect(envValue(proxy, "ISTIO_META_INTERCEPTION_MODE")).toBe("TPROXY");
      expect(JSON.parse(envValue(proxy, "PROXY_CONFIG")!)).toEqual({ interceptionMode: "TPROXY" });
      expect(proxy.securityContext).toMatchObject({
        capabilities: { add: ["NET_ADMIN"], drop: ["ALL"] },
        runAsUser: 0,
        runAsGroup: 1337,
        runAsNonRoot: false,
      });
    });

    it("CNI: istio-validation runs unprivileged with --run-validation and the pod carries the capture annotations", async () => {
      const pod = await inject(withAnnotations(readPod("pod-cart.yaml"), { "traffic.sidecar.istio.io/excludeInboundPorts": "9000" }), {
        values: { pilot: { cni: { enabled: true } } },
      });
      expect(names(pod.spec.initContainers)).toEqual(["istio-validation"]);
      const validation = container(pod, "istio-validation");
      expect(args(validation).slice(-2)).toEqual(["--run-validation", "--skip-rule-apply"]);
      expect(validation.securityContext).toEqual(restrictedProxySecurityContext);
      expect(pod.metadata.annotations).toMatchObject({
        "sidecar.istio.io/interceptionMode": "REDIRECT",
        "traffic.sidecar.istio.io/includeOutboundIPRanges": "*",
        "traffic.sidecar.istio.io/excludeOutboundIPRanges": "",
        "traffic.sidecar.istio.io/includeInboundPorts": "*",
        "traffic.sidecar.istio.io/excludeInboundPorts": "9000,15020",
      });
    });

    it("hold-application (classic): proxy first with a pilot-agent wait postStart", async () => {
      const pod = await inject(readPod("pod-cart.yaml"), { values: { global: { proxy: { holdApplicationUntilProxyStarts: true } } } });
      expect(names(pod.spec.containers)).toEqual(["istio-proxy", "api"]);
      expect(container(pod, "istio-proxy").lifecycle).toEqual({ postStart: { exec: { command: ["pilot-agent", "wait"] } } });
    });

    it("global.network: ISTIO_META_NETWORK and the topology label", async () => {
      const pod = await inject(readPod("pod-cart.yaml"), { values: { global: { network: "net-a" } } });
      expect(envValue(container(pod, "istio-proxy"), "ISTIO_META_NETWORK")).toBe("net-a");
      expect(pod.metadata.labels?.["topology.istio.io/network"]).toBe("net-a");
    });

    it("inbound policy LOCALHOST: REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION first", async () => {
      const pod = await inject(readPod("pod-cart.yaml"), { mesh: { inboundTrafficPolicy: { mode: "LOCALHOST" } } });
      expect(envOf(container(pod, "istio-proxy"))[0]).toEqual({ name: "REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION", value: "true" });
    });

    it.each(cartContainersByNative)("interception NONE (native %s): no capture init container", async (native, init, containers) => {
      const pod = await inject(withAnnotations(readPod("pod-cart.yaml"), { "sidecar.istio.io/interceptionMode": "NONE" }), { native });
      expect(names(pod.spec.initContainers)).toEqual(init);
      expect(names(pod.spec.containers)).toEqual(containers);
    });

    it("revision canary: CA address and istio.io/rev follow the revision", async () => {
      const pod = await inject(readPod("pod-cart.yaml"), { revision: "canary", values: { revision: "canary" } });
      expect(envValue(container(pod, "istio-proxy"), "CA_ADDR")).toBe("istiod-canary.istio-system.svc:15012");
      expect(pod.metadata.annotations?.["istio.io/rev"]).toBe("canary");
      expect(JSON.parse(pod.metadata.annotations!["sidecar.istio.io/status"]!).revision).toBe("canary");
    });

    it("pull settings: image pull policy on both containers, pull secrets merged with the pod's and recorded in the status", async () => {
      const input = readPod("pod-cart.yaml");
      input.spec.imagePullSecrets = [{ name: "app-registry" }];
      const pod = await inject(input, { values: { global: { imagePullPolicy: "Always", imagePullSecrets: ["mesh-registry"] } } });
      for (const name of ["istio-init", "istio-proxy"]) expect(container(pod, name).imagePullPolicy).toBe("Always");
      expect(pod.spec.imagePullSecrets).toEqual([{ name: "mesh-registry" }, { name: "app-registry" }]);
      expect(JSON.parse(pod.metadata.annotations!["sidecar.istio.io/status"]!).imagePullSecrets).toEqual(["mesh-registry"]);
    });

    it("a full image reference in values replaces the computed image for both containers; a variant comes from istiod's ProxyImage", async () => {
      const custom = await inject(readPod("pod-cart.yaml"), {
        values: { global: { proxy: { image: "mirror.example/istio/proxyv2:1.30.3" } } },
      });
      expect(container(custom, "istio-proxy").image).toBe("mirror.example/istio/proxyv2:1.30.3");
      expect(container(custom, "istio-init").image).toBe("mirror.example/istio/proxyv2:1.30.3");
      const distroless = await inject(readPod("pod-cart.yaml"), { values: { global: { variant: "distroless" } } });
      expect(container(distroless, "istio-proxy").image).toBe("docker.io/istio/proxyv2:1.30.3-distroless");
    });

    it("proxyMetadata reaches both injected containers' env; HBONE adds the tunnel label", async () => {
      const pod = await inject(readPod("pod-cart.yaml"), {
        mesh: { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true", ISTIO_META_ENABLE_HBONE: "true" } } },
      });
      for (const name of ["istio-init", "istio-proxy"]) expect(envValue(container(pod, name), "ISTIO_META_DNS_CAPTURE")).toBe("true");
      expect(pod.metadata.labels?.["networking.istio.io/tunnel"]).toBe("http");
    });
  });
});
