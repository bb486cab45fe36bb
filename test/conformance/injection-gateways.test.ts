// Conformance of mesh's gateway-side templates with istiod 1.30.3 (docs/design/injection.md §4, §1.12): `gateway`
// (injected into gateway-chart Deployments), `kube-gateway`, `waypoint` and `agentgateway` (rendered by istiod's
// Gateway API deployment controller), `grpc-agent` and `grpc-simple` (proxyless gRPC).
// Where the Istio 1.30.3 reference charts are present (../shared/reference, read at test time, never copied), the
// chart's own `agentgateway` and `grpc-simple` templates are executed with the same data and the outputs compared.
//
// Needs a Go toolchain and sprig from Debian (no network beyond Debian's mirror):
//   apt-get install -y golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev
// The harness builds in GOPATH mode against /usr/share/gocode (see injection-harness/harness.ts). Without
// `go` on PATH this file is skipped with a warning; any other failure (build, render) fails.
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { injectionConfigDefaults } from "../../src/core/render/injection/index.js";
import { injectPods, type Container, type Pod } from "./injection-harness/istiod-injector.js";
import {
  args,
  cartContainersByNative,
  container,
  deepMerge,
  envOf,
  envValue,
  environment,
  expectGolden,
  names,
  readJson,
  readPod,
  describeWithInjector,
  proxyVolumeNames,
  restrictedProxySecurityContext,
  proxyReadinessProbe,
  withAnnotations,
  type Options,
} from "./injection-harness/support.js";

const chartFiles = fileURLToPath(
  new URL("../../../shared/reference/istio/1.30.3/charts/istio-control/istio-discovery/files/", import.meta.url),
);
/** The istiod chart's own template `name`, or undefined (the differential checks are then skipped) without the reference. */
const chartTemplate = (name: string): string | undefined => {
  const file = path.join(chartFiles, `${name}.yaml`);
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
};
const chartGrpcSimple = chartTemplate("grpc-simple");
const chartAgentgateway = chartTemplate("agentgateway");
const chartKubeGateway = chartTemplate("kube-gateway");
const chartWaypoint = chartTemplate("waypoint");
const chartGatewayInjection = chartTemplate("gateway-injection-template");

/** What istiod's Gateway API deployment controller hands a template for Gateway `web` (class `istio`). */
const gatewayData = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: "Gateway",
  apiVersion: "gateway.networking.k8s.io/v1",
  metadata: {
    name: "web",
    namespace: "edge",
    uid: "3f0c2b8e-1d5a-4b7e-9c61-7a2d8e4f5b90",
    labels: { team: "a" },
    annotations: { "gateway.istio.io/controller-version": "5", owner: "web-team" },
  },
  spec: { gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] },
  DeploymentName: "web-istio",
  ServiceAccount: "web-istio",
  Ports: [
    { name: "status-port", port: 15021, appProtocol: "tcp" },
    { name: "http", port: 80, appProtocol: "http" },
  ],
  ServiceType: "LoadBalancer",
  ClusterID: "Kubernetes",
  KubeVersion: 133,
  Revision: "",
  ProxyUID: 1337,
  ProxyGID: 1337,
  InfrastructureLabels: { team: "a" },
  InfrastructureAnnotations: { "gateway.istio.io/controller-version": "5", owner: "web-team" },
  GatewayNameLabel: "gateway.networking.k8s.io/gateway-name",
  GatewayClass: "istio",
  ControllerLabel: "istio.io-gateway-controller",
  ProxyImage: "docker.io/istio/proxyv2:1.30.3",
  ProxyConfig: { discoveryAddress: "istiod.istio-system.svc:15012", statusPort: 15020 },
  MeshConfig: { trustDomain: "cluster.local", proxyListenPort: 15001, proxyInboundListenPort: 15006 },
  Values: readJson("values.json"),
  ...overrides,
});

/** The LoadBalancer Service a controller template renders for `gatewayData`'s Gateway (status port + its listener). */
const webServiceSpec = {
  type: "LoadBalancer",
  ipFamilyPolicy: "PreferDualStack",
  selector: { "gateway.networking.k8s.io/gateway-name": "web" },
  ports: [
    { name: "status-port", port: 15021, protocol: "TCP", appProtocol: "tcp" },
    { name: "http", port: 80, protocol: "TCP", appProtocol: "http" },
  ],
};

/**
 * A controller template's documents for `gatewayData`'s Gateway: ServiceAccount, Deployment, Service, HPA and PDB
 * named `name` in its namespace, each owned by the Gateway and carrying its labels, class and annotations; the
 * Deployment labelled `managedBy`, by which istiod's controller finds the Deployments it manages.
 */
function expectControllerObjects(
  docs: { kind: string; metadata: Record<string, any> }[],
  expected: { name: string; gatewayClass: string; managedBy: string },
): void {
  expect(docs.map((d) => [d.kind, d.metadata.name, d.metadata.namespace])).toEqual(
    ["ServiceAccount", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"].map((kind) => [
      kind,
      expected.name,
      "edge",
    ]),
  );
  for (const d of docs) {
    expect(d.metadata.ownerReferences).toEqual([
      { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", name: "web", uid: "3f0c2b8e-1d5a-4b7e-9c61-7a2d8e4f5b90" },
    ]);
    expect(d.metadata.labels).toMatchObject({
      team: "a",
      "gateway.networking.k8s.io/gateway-name": "web",
      "gateway.networking.k8s.io/gateway-class-name": expected.gatewayClass,
    });
    expect(d.metadata.annotations).toEqual({ owner: "web-team" });
  }
  expect(docs[1]!.metadata.labels["gateway.istio.io/managed"]).toBe(expected.managedBy);
}

await describeWithInjector("gateway-side templates executed as istiod executes them", ({ templates, run, inject }) => {
  describe("Example D: the gateway template (§4, §7.5)", () => {
    let pod: Pod;
    beforeAll(async () => {
      pod = await inject(readPod("pod-gateway.yaml"));
    });

    it("turns the chart's istio-proxy into a router proxy and keeps the user's container settings", () => {
      expect(names(pod.spec.containers)).toEqual(["istio-proxy"]);
      expect(pod.spec.initContainers ?? []).toEqual([]);
      const proxy = container(pod, "istio-proxy");
      expect(proxy.image).toBe("docker.io/istio/proxyv2:1.30.3");
      expect(args(proxy).slice(0, 4)).toEqual(["proxy", "router", "--domain", "$(POD_NAMESPACE).svc.cluster.local"]);
      expect(proxy.securityContext).toEqual(restrictedProxySecurityContext);
      expect(proxy.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" } });
      expect(proxy.ports).toEqual([{ name: "http-envoy-prom", containerPort: 15090, protocol: "TCP" }]);
      expect(proxy.readinessProbe).toEqual(proxyReadinessProbe);
      expect(proxy.startupProbe).toBeUndefined();
      expect(envValue(proxy, "ISTIO_META_APP_CONTAINERS")).toBe("");
      expect(envValue(proxy, "ISTIO_META_POD_PORTS")).toBe("[]");
      expect(envValue(proxy, "ISTIO_META_WORKLOAD_NAME")).toBe("ingress");
    });

    it("lets uid 1337 bind low ports and labels the pod without tlsMode", () => {
      expect(pod.spec.securityContext).toEqual({ sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }] });
      expect(pod.metadata.labels).toMatchObject({
        "service.istio.io/canonical-name": "ingress",
        "service.istio.io/canonical-revision": "latest",
      });
      expect(pod.metadata.labels?.["security.istio.io/tlsMode"]).toBeUndefined();
    });

    it("records the status without init containers or the CRL volume, and the user's overrides without the image", () => {
      const status = JSON.parse(pod.metadata.annotations!["sidecar.istio.io/status"]!);
      expect(status).toMatchObject({ initContainers: null, containers: ["istio-proxy"] });
      expect(status.volumes).toHaveLength(8);
      expect(status.volumes).not.toContain("istio-ca-crl");
      const overrides = JSON.parse(pod.metadata.annotations!["proxy.istio.io/overrides"]!);
      expect(overrides.containers[0].name).toBe("istio-proxy");
      expect(overrides.containers[0].image).toBeUndefined();
    });
  });

  it.skipIf(!chartGatewayInjection)("the gateway template injects what the istiod chart's gateway template injects", async () => {
    const injectWith = async (template: string, options: Options) => {
      const config = { ...injectionConfigDefaults(), templates: { ...templates, gateway: template } };
      const [outcome] = await injectPods(run, config, environment(options), [readPod("pod-gateway.yaml")]);
      if (outcome?.kind !== "injected") throw new Error(`not injected: ${JSON.stringify(outcome)}`);
      return outcome.pod;
    };
    // Spellings read alike: env order, the chart's block-scalar newlines in PROXY_CONFIG and ISTIO_META_POD_PORTS,
    // and a volume without a source (the API server defaults it to an empty dir).
    const normalised = (pod: Pod) => {
      const copy = structuredClone(pod);
      for (const c of copy.spec.containers) {
        const env = envOf(c).map((e) => (e.value === undefined ? e : { ...e, value: e.value.replace(/\n/g, "").trimEnd() }));
        c.env = env.sort((a, b) => a.name.localeCompare(b.name));
      }
      copy.spec.volumes = (copy.spec.volumes ?? []).map((v) => (Object.keys(v).length === 1 ? { ...v, emptyDir: {} } : v));
      return copy;
    };
    for (const options of [
      {},
      { revision: "canary", values: { revision: "canary" } },
      {
        values: { global: { network: "east", meshID: "m1", logAsJson: true } },
        mesh: { defaultConfig: { proxyMetadata: { FOO: "bar" } } },
      },
    ] as Options[]) {
      const ours = normalised(await injectWith(templates.gateway!, options));
      const theirs = normalised(await injectWith(chartGatewayInjection!, options));
      expect(ours).toEqual(theirs);
    }
  });

  describe("grpc-agent: proxyless gRPC (§1.12)", () => {
    it.each(cartContainersByNative)(
      "native %s: an Envoy-less agent, no capture, the app pointed at the agent's bootstrap",
      async (native, init, containers) => {
        const pod = await inject(withAnnotations(readPod("pod-cart.yaml"), { "inject.istio.io/templates": "grpc-agent" }), { native });
        expect(names(pod.spec.initContainers)).toEqual(init);
        expect(names(pod.spec.containers)).toEqual(containers);
        const agent = container(pod, "istio-proxy");
        expect(envValue(agent, "DISABLE_ENVOY")).toBe("true");
        expect(envValue(agent, "GRPC_XDS_BOOTSTRAP")).toBe("/etc/istio/proxy/grpc-bootstrap.json");
        expect(envValue(agent, "OUTPUT_CERTS")).toBe("/var/lib/istio/data");
        expect(agent.readinessProbe).toBeUndefined();
        expect(args(agent).slice(0, 2)).toEqual(["proxy", "sidecar"]);
        const app = container(pod, "api");
        expect(app.image).toBe("example.org/cart:3");
        expect(app.readinessProbe).toMatchObject({ httpGet: { path: "/ready", port: "http" } });
        expect(envValue(app, "GRPC_XDS_BOOTSTRAP")).toBe("/etc/istio/proxy/grpc-bootstrap.json");
        expect(app.volumeMounts).toEqual([
          { name: "istio-envoy", mountPath: "/etc/istio/proxy" },
          { name: "istio-data", mountPath: "/var/lib/istio/data" },
        ]);
        expect(pod.metadata.annotations?.["prometheus.io/scrape"]).toBeUndefined();
        expect(pod.metadata.labels?.["security.istio.io/tlsMode"]).toBe("istio");
      },
    );
  });

  describe("grpc-simple: proxyless gRPC without an agent (§1.12)", () => {
    const annotated = () => withAnnotations(readPod("pod-cart.yaml"), { "inject.istio.io/templates": "grpc-simple" });

    async function injectWith(template: string, options: Options = {}): Promise<Pod> {
      const config = { ...injectionConfigDefaults(), templates: { ...templates, "grpc-simple": template } };
      const [outcome] = await injectPods(run, config, environment(options), [annotated()]);
      if (outcome?.kind !== "injected") throw new Error(`not injected: ${JSON.stringify(outcome)}`);
      return outcome.pod;
    }

    /** Runs the init container's script as the kubelet would, writing the bootstrap to a temporary file instead. */
    async function bootstrapOf(pod: Pod): Promise<Record<string, any>> {
      const init = container(pod, "grpc-bootstrap-init");
      const file = path.join(mkdtempSync(path.join(tmpdir(), "mesh-grpc-bootstrap-")), "bootstrap.json");
      const fixed = Object.fromEntries(envOf(init).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]])));
      const [shell, flag, script] = init.command as string[];
      await execa(shell!, [flag!, script!], {
        env: { ...fixed, GRPC_XDS_BOOTSTRAP: file, INSTANCE_IP: "10.0.0.7", POD_NAME: "cart-6b8d7c-x1", POD_NAMESPACE: "shop" },
        extendEnv: false,
      });
      return JSON.parse(readFileSync(file, "utf8"));
    }

    it("adds only the bootstrap init container, points every app container at the bootstrap and skips probe rewriting", async () => {
      const pod = await inject(annotated());
      expect(names(pod.spec.initContainers)).toEqual(["grpc-bootstrap-init"]);
      expect(names(pod.spec.containers)).toEqual(["api"]);
      const app = container(pod, "api");
      expect(app.image).toBe("example.org/cart:3");
      expect(app.readinessProbe).toMatchObject({ httpGet: { path: "/ready", port: "http" } });
      expect(envOf(app)).toEqual([
        { name: "GRPC_XDS_BOOTSTRAP", value: "/var/lib/grpc/data/bootstrap.json" },
        { name: "GRPC_GO_LOG_VERBOSITY_LEVEL", value: "99" },
        { name: "GRPC_GO_LOG_SEVERITY_LEVEL", value: "info" },
      ]);
      expect(app.volumeMounts).toEqual([{ name: "grpc-io-proxyless-bootstrap", mountPath: "/var/lib/grpc/data/" }]);
      expect(pod.spec.volumes).toEqual([{ name: "grpc-io-proxyless-bootstrap", emptyDir: {} }]);
      expect(pod.metadata.annotations?.["sidecar.istio.io/rewriteAppHTTPProbers"]).toBe("false");
      expect(container(pod, "grpc-bootstrap-init").image).toBe("busybox:1.28");
    });

    it("the init script writes an xDS bootstrap for istiod's plaintext port with the pod's node id", async () => {
      const bootstrap = await bootstrapOf(await inject(annotated()));
      expect(bootstrap).toEqual({
        xds_servers: [
          { server_uri: "dns:///istiod.istio-system.svc:15010", channel_creds: [{ type: "insecure" }], server_features: ["xds_v3"] },
        ],
        node: { id: "sidecar~10.0.0.7~cart-6b8d7c-x1.shop~cluster.local", metadata: { GENERATOR: "grpc" } },
      });
    });

    it("follows the istiod namespace and revision", async () => {
      const pod = await inject(annotated(), { values: { revision: "canary", global: { istioNamespace: "mesh" } } });
      expect((await bootstrapOf(pod)).xds_servers[0].server_uri).toBe("dns:///istiod-canary.mesh.svc:15010");
    });

    it.skipIf(!chartGrpcSimple)("injects what the istiod chart's grpc-simple injects, but with a working server URI", async () => {
      for (const options of [{}, { values: { global: { istioNamespace: "mesh" } } }] as Options[]) {
        const ours = await injectWith(templates["grpc-simple"]!, options);
        const theirs = await injectWith(chartGrpcSimple!, options);
        // The chart passes the namespace through a YAML block scalar, so it ends in a newline and the unquoted
        // expansion splits the server URI in two ("dns:///istiod.mesh .svc:15010"); mesh's script differs there.
        const namespace = (options.values?.global as { istioNamespace?: string } | undefined)?.istioNamespace ?? "istio-system";
        expect(envValue(container(theirs, "grpc-bootstrap-init"), "ISTIO_NAMESPACE")).toBe(`${namespace}\n`);
        const withoutScript = (pod: Pod) => {
          const copy = structuredClone(pod);
          for (const init of copy.spec.initContainers ?? []) {
            delete init.env;
            delete init.command;
          }
          return copy;
        };
        expect(withoutScript(ours)).toEqual(withoutScript(theirs));
        expect((await bootstrapOf(ours)).xds_servers[0].server_uri).toBe(`dns:///istiod.${namespace}.svc:15010`);
      }
    });
  });

  describe("kube-gateway: the objects behind a Gateway API Gateway (§1.12)", () => {
    async function render(data: Record<string, unknown>) {
      const result = (await run([{ id: "kg", template: templates["kube-gateway"]!, context: "gateway", data }])).get("kg")!;
      expect({ stage: result.stage, error: result.error }).toEqual({ stage: "ok", error: undefined });
      expect(result.text).not.toMatch(/<no value>|<nil>/);
      return result.documents as {
        kind: string;
        metadata: {
          name: string;
          namespace: string;
          labels: Record<string, string>;
          annotations: Record<string, string>;
          ownerReferences: unknown[];
        };
        spec: Record<string, any>;
      }[];
    }

    it("renders a ServiceAccount, Deployment, Service and the HPA/PDB skeletons, all owned by the Gateway", async () => {
      const docs = await render(gatewayData());
      expectGolden("kube-gateway", docs);
      expectControllerObjects(docs, { name: "web-istio", gatewayClass: "istio", managedBy: "istio.io-gateway-controller" });
    });

    it("selects the gateway pod by the gateway-name label and exposes the listener ports", async () => {
      const [, deployment, service] = await render(gatewayData());
      expect(service!.spec).toEqual(webServiceSpec);
      expect(deployment!.spec.selector).toEqual({ matchLabels: { "gateway.networking.k8s.io/gateway-name": "web" } });
      const podMeta = deployment!.spec.template.metadata;
      expect(podMeta.labels).toMatchObject({
        "gateway.networking.k8s.io/gateway-name": "web",
        "sidecar.istio.io/inject": "false",
        "service.istio.io/canonical-name": "web-istio",
      });
      expect(podMeta.annotations).toMatchObject({ "prometheus.io/port": "15020", "istio.io/rev": "default" });
    });

    it("runs a complete router proxy in the pod: args, env, probes, mounts, unprivileged", async () => {
      const [, deployment] = await render(gatewayData());
      const podSpec = deployment!.spec.template.spec;
      expect(podSpec.serviceAccountName).toBe("web-istio");
      expect(podSpec.securityContext).toEqual({ sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }] });
      const proxy = podSpec.containers[0] as Container;
      expect(proxy.name).toBe("istio-proxy");
      expect(proxy.image).toBe("docker.io/istio/proxyv2:1.30.3");
      expect(args(proxy).slice(0, 4)).toEqual(["proxy", "router", "--domain", "$(POD_NAMESPACE).svc.cluster.local"]);
      expect(proxy.securityContext).toMatchObject({ runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true, readOnlyRootFilesystem: true });
      expect(proxy.readinessProbe).toMatchObject({ httpGet: { path: "/healthz/ready", port: 15021 } });
      expect(envValue(proxy, "ISTIO_META_CLUSTER_ID")).toBe("Kubernetes");
      expect(envValue(proxy, "ISTIO_META_OWNER")).toBe("kubernetes://apis/apps/v1/namespaces/edge/deployments/web-istio");
      expect(envValue(proxy, "CA_ADDR")).toBe("istiod.istio-system.svc:15012");
      expect(envOf(proxy).map((e) => e.name)).toEqual(
        expect.arrayContaining(["POD_NAME", "POD_NAMESPACE", "PROXY_CONFIG", "TRUST_DOMAIN"]),
      );
      expect((podSpec.volumes as { name: string }[]).map((v) => v.name)).toEqual([...proxyVolumeNames]);
    });

    it("waypoint: the same objects with an Envoy in waypoint mode behind an HBONE service port, out of ambient capture", async () => {
      const data = gatewayData({
        metadata: {
          name: "waypoint",
          namespace: "shop",
          uid: "9a1b2c3d-0000-4000-8000-000000000001",
          labels: { "istio.io/waypoint-for": "service" },
        },
        spec: { gatewayClassName: "istio-waypoint", listeners: [{ name: "mesh", port: 15008, protocol: "HBONE" }] },
        DeploymentName: "waypoint",
        ServiceAccount: "waypoint",
        GatewayClass: "istio-waypoint",
        ControllerLabel: "istio.io-mesh-controller",
        Ports: [
          { name: "status-port", port: 15021, appProtocol: "tcp" },
          { name: "mesh", port: 15008, appProtocol: "hbone" },
        ],
        ServiceType: "ClusterIP",
        InfrastructureLabels: { "istio.io/waypoint-for": "service" },
        InfrastructureAnnotations: {},
      });
      const result = (await run([{ id: "wp", template: templates.waypoint!, context: "gateway", data }])).get("wp")!;
      expect({ stage: result.stage, error: result.error }).toEqual({ stage: "ok", error: undefined });
      const docs = result.documents as { kind: string; metadata: { name: string }; spec: Record<string, any> }[];
      expectGolden("waypoint", docs);
      expect(docs.map((d) => d.kind)).toEqual([
        "ServiceAccount",
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
      ]);
      const podTemplate = docs[1]!.spec.template;
      expect(podTemplate.metadata.labels).toMatchObject({
        "istio.io/dataplane-mode": "none",
        "gateway.networking.k8s.io/gateway-name": "waypoint",
        "sidecar.istio.io/inject": "false",
        "gateway.istio.io/managed": "istio.io-mesh-controller",
      });
      const proxy = podTemplate.spec.containers[0] as Container;
      expect(args(proxy).slice(0, 2)).toEqual(["proxy", "waypoint"]);
      expect((proxy.ports as { containerPort: number }[]).map((port) => port.containerPort)).toEqual([15020, 15021, 15090]);
      expect((docs[2] as { metadata: { annotations?: Record<string, string> } }).metadata.annotations).toEqual({
        "networking.istio.io/traffic-distribution": "PreferClose",
      });
      expect(docs[2]!.spec).toMatchObject({
        type: "ClusterIP",
        ports: [
          { name: "status-port", port: 15021 },
          { name: "mesh", port: 15008, appProtocol: "hbone" },
        ],
      });
      expect(proxy.resources).toEqual({ limits: { cpu: "2", memory: "1Gi" }, requests: { cpu: "100m", memory: "128Mi" } });
    });

    it("waypoint: scheduling settings and resources come from values.global.waypoint", async () => {
      const values = readJson("values.json") as { global: Record<string, unknown> };
      values.global.waypoint = {
        resources: { requests: { cpu: "10m", memory: "40Mi" } },
        nodeSelector: { pool: "mesh" },
        tolerations: [{ key: "mesh", operator: "Exists" }],
      };
      const result = (
        await run([{ id: "wp", template: templates.waypoint!, context: "gateway", data: gatewayData({ Values: values }) }])
      ).get("wp")!;
      expect({ stage: result.stage, error: result.error }).toEqual({ stage: "ok", error: undefined });
      const podSpec = (result.documents![1] as { spec: { template: { spec: Record<string, any> } } }).spec.template.spec;
      expect(podSpec.nodeSelector).toEqual({ pool: "mesh" });
      expect(podSpec.tolerations).toEqual([{ key: "mesh", operator: "Exists" }]);
      expect(podSpec.affinity).toBeUndefined();
      expect(podSpec.containers[0].resources).toEqual({ requests: { cpu: "10m", memory: "40Mi" } });
    });

    it("renders with a bare values tree and a ClusterIP service type", async () => {
      const docs = await render(gatewayData({ Values: { global: { hub: "docker.io/istio", tag: "1.30.3" } }, ServiceType: "ClusterIP" }));
      expect(docs[2]!.spec.type).toBe("ClusterIP");
    });

    describe.skipIf(!chartKubeGateway || !chartWaypoint)("against the istiod chart's kube-gateway and waypoint templates", () => {
      type Document = { kind: string; metadata: Record<string, any>; spec: Record<string, any> };
      const podOf = (docs: Document[]) => docs.find((d) => d.kind === "Deployment")!.spec.template;
      /** The proxy's args with each `--flag value` pair joined as `--flag=value` (the agent reads both alike). */
      const joinedArgs = (list: string[]) =>
        list.reduce<string[]>((out, arg, i) => {
          const previous = list[i - 1];
          if (previous?.startsWith("--") && !previous.includes("=") && !arg.startsWith("--") && previous !== "--domain")
            out[out.length - 1] = `${previous}=${arg}`;
          else out.push(arg);
          return out;
        }, []);
      // Two spellings differ and are read alike: the agent's `--flag value` pairs, and the chart's PROXY_CONFIG,
      // which a block scalar ends with a newline.
      const normaliseSpellings = (docs: Document[]) => {
        const proxy = podOf(docs).spec.containers[0] as Container;
        proxy.args = joinedArgs(args(proxy));
        for (const entry of envOf(proxy)) if (entry.name === "PROXY_CONFIG") entry.value = entry.value!.trimEnd();
      };
      async function both(template: string, chart: string, data: Record<string, unknown>) {
        const results = await run([
          { id: "mesh", template, context: "gateway", data },
          { id: "chart", template: chart, context: "gateway", data },
        ]);
        const ours = results.get("mesh")!;
        const theirs = results.get("chart")!;
        expect({ stage: theirs.stage, error: theirs.error }).toEqual({ stage: "ok", error: undefined });
        expect({ stage: ours.stage, error: ours.error }).toEqual({ stage: "ok", error: undefined });
        return { ours: ours.documents as Document[], theirs: theirs.documents as Document[] };
      }

      const kubeGatewayCases: [string, Record<string, unknown>][] = [
        ["defaults", {}],
        [
          "revision and istiod namespace",
          { Revision: "canary", Values: deepMerge(readJson("values.json"), { revision: "canary", global: { istioNamespace: "mesh" } }) },
        ],
        ["an address for a LoadBalancer", { spec: { gatewayClassName: "istio", listeners: [], addresses: [{ value: "10.1.2.3" }] } }],
        ["a Kubernetes older than 1.28 (no owner on the ServiceAccount)", { KubeVersion: 127 }],
        [
          "a priority class in the values, which the chart does not read here",
          { Values: deepMerge(readJson("values.json"), { global: { priorityClassName: "high" } }) },
        ],
        [
          "network label, proxy metadata and mesh id",
          {
            InfrastructureLabels: { team: "a", "topology.istio.io/network": "east" },
            ProxyConfig: { discoveryAddress: "istiod.istio-system.svc:15012", statusPort: 15020, proxyMetadata: { FOO: "bar" } },
            Values: deepMerge(readJson("values.json"), { global: { meshID: "m1" } }),
          },
        ],
      ];
      it.each(kubeGatewayCases)("kube-gateway renders the chart's objects: %s", async (_, overrides) => {
        const { ours, theirs } = await both(templates["kube-gateway"]!, chartKubeGateway!, gatewayData(overrides));
        for (const docs of [ours, theirs]) normaliseSpellings(docs);
        expect(ours).toEqual(theirs);
      });

      const waypointData = (overrides: Record<string, unknown> = {}) =>
        gatewayData({
          spec: { gatewayClassName: "istio-waypoint", listeners: [{ name: "mesh", port: 15008, protocol: "HBONE" }] },
          DeploymentName: "web",
          ServiceAccount: "web",
          GatewayClass: "istio-waypoint",
          ControllerLabel: "istio.io-mesh-controller",
          ServiceType: "ClusterIP",
          Ports: [
            { name: "status-port", port: 15021, appProtocol: "tcp" },
            { name: "mesh", port: 15008, appProtocol: "hbone" },
          ],
          ...overrides,
        });
      const waypointCases: [string, Record<string, unknown>][] = [
        ["defaults", {}],
        [
          "scheduling, resources, cluster name, mesh id and proxy metadata from the values",
          {
            ProxyConfig: { discoveryAddress: "istiod.istio-system.svc:15012", statusPort: 15020, proxyMetadata: { FOO: "bar" } },
            Values: deepMerge(readJson("values.json"), {
              global: {
                meshID: "m1",
                multiCluster: { clusterName: "c1" },
                waypoint: {
                  resources: { requests: { cpu: "10m" } },
                  nodeSelector: { pool: "mesh" },
                  tolerations: [{ key: "mesh", operator: "Exists" }],
                },
              },
            }),
          },
        ],
        ["a network label on a waypoint", { InfrastructureLabels: { "topology.istio.io/network": "east" } }],
        [
          "an east-west gateway asks for its network's view",
          {
            ControllerLabel: "istio.io-eastwest-controller",
            GatewayClass: "istio-east-west",
            InfrastructureLabels: { "topology.istio.io/network": "east" },
          },
        ],
        [
          "JSON logs, an outlier log and a seccomp profile",
          {
            Values: deepMerge(readJson("values.json"), {
              global: { logAsJson: true, proxy: { outlierLogPath: "/dev/stdout" } },
              gateways: { seccompProfile: { type: "RuntimeDefault" } },
            }),
          },
        ],
        ["revision", { Revision: "canary", Values: deepMerge(readJson("values.json"), { revision: "canary" }) }],
      ];
      it.each(waypointCases)("waypoint renders the chart's objects: %s", async (_, overrides) => {
        const { ours, theirs } = await both(templates.waypoint!, chartWaypoint!, waypointData(overrides));
        for (const docs of [ours, theirs]) normaliseSpellings(docs);
        expect(ours).toEqual(theirs);
      });
    });
  });

  describe("agentgateway: the objects behind a Gateway of class istio-agentgateway (§1.12)", () => {
    const agentgatewayImage = "cr.agentgateway.dev/agentgateway:v1.0.1";
    const withValues = (patch: Record<string, unknown>) => deepMerge(readJson("values.json"), patch) as Record<string, unknown>;
    const agentgatewayData = (overrides: Record<string, unknown> = {}) =>
      gatewayData({
        spec: { gatewayClassName: "istio-agentgateway", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] },
        DeploymentName: "web-istio-agentgateway",
        ServiceAccount: "web-istio-agentgateway",
        GatewayClass: "istio-agentgateway",
        AgentgatewayImage: agentgatewayImage,
        ...overrides,
      });

    type Document = { kind: string; metadata: Record<string, any>; spec: Record<string, any> };
    async function renderWith(template: string, data: Record<string, unknown>) {
      return (await run([{ id: "agw", template, context: "gateway", data }])).get("agw")!;
    }
    async function render(data: Record<string, unknown>): Promise<Document[]> {
      const result = await renderWith(templates.agentgateway!, data);
      expect({ stage: result.stage, error: result.error }).toEqual({ stage: "ok", error: undefined });
      expect(result.text).not.toMatch(/<no value>|<nil>/);
      return result.documents as Document[];
    }

    it("renders a ServiceAccount, Deployment, Service, HPA and PDB, labelled with the Gateway and its class", async () => {
      const docs = await render(agentgatewayData());
      expectGolden("agentgateway", docs);
      expectControllerObjects(docs, {
        name: "web-istio-agentgateway",
        gatewayClass: "istio-agentgateway",
        managedBy: "istio.io-agentgateway-controller",
      });
    });

    it("runs the agentgateway proxy with istiod's XDS and CA addresses, tokens and root certificate", async () => {
      const [, deployment, service] = await render(agentgatewayData());
      const pod = deployment!.spec.template;
      expect(pod.metadata.labels).toMatchObject({
        "sidecar.istio.io/inject": "false",
        "gateway.networking.k8s.io/gateway-name": "web",
        "gateway.istio.io/managed": "istio.io-agentgateway-controller",
      });
      const proxy = pod.spec.containers[0] as Container;
      expect(names(pod.spec.containers)).toEqual(["agentgateway"]);
      expect(proxy.image).toBe(agentgatewayImage);
      expect(proxy.args).toEqual(["--config", "{}"]);
      expect(envValue(proxy, "XDS_ADDRESS")).toBe("istiod.istio-system.svc:15012");
      expect(envValue(proxy, "CA_ADDRESS")).toBe("istiod.istio-system.svc:15012");
      expect(envValue(proxy, "GATEWAY")).toBe("web");
      expect(envValue(proxy, "CLUSTER_ID")).toBe("Kubernetes");
      expect(proxy.securityContext).toMatchObject({ runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true, readOnlyRootFilesystem: true });
      expect(proxy.readinessProbe).toMatchObject({ httpGet: { path: "/healthz/ready", port: 15021 } });
      const volumes = (pod.spec.volumes as { name: string }[]).map((v) => v.name);
      expect(volumes).toEqual(["tmp", "xds-token", "istio-token", "istiod-ca-cert"]);
      for (const mount of proxy.volumeMounts as { name: string }[]) expect(volumes).toContain(mount.name);
      expect(service!.spec).toEqual(webServiceSpec);
    });

    it("takes a full image reference from the Gateway's annotation or the values, else the controller's image", async () => {
      const annotated = (
        await render(
          agentgatewayData({
            metadata: {
              name: "web",
              namespace: "edge",
              uid: "u",
              annotations: { "gateway.istio.io/agentgatewayImage": "example.org/agw:2" },
            },
          }),
        )
      )[1]!;
      expect(annotated.spec.template.spec.containers[0].image).toBe("example.org/agw:2");
      const fromValues = (
        await render(agentgatewayData({ Values: withValues({ global: { agentgateway: { image: "example.org/agw:3" } } }) }))
      )[1]!;
      expect(fromValues.spec.template.spec.containers[0].image).toBe("example.org/agw:3");
      const bare = (await render(agentgatewayData({ Values: withValues({ global: { agentgateway: { image: "agw" } } }) })))[1]!;
      expect(bare.spec.template.spec.containers[0].image).toBe(agentgatewayImage);
    });

    it("mounts istiod's root certificate only where the pod has it (another CA provider)", async () => {
      const [, deployment] = await render(agentgatewayData({ Values: withValues({ global: { pilotCertProvider: "custom" } }) }));
      const podSpec = deployment!.spec.template.spec;
      expect((podSpec.volumes as { name: string }[]).map((v) => v.name)).toEqual(["tmp", "xds-token", "istio-token"]);
      expect((podSpec.containers[0].volumeMounts as { name: string }[]).map((m) => m.name)).not.toContain("istiod-ca-cert");
    });

    describe.skipIf(!chartAgentgateway)("against the istiod chart's agentgateway template", () => {
      const cases: [string, Record<string, unknown>][] = [
        ["defaults", {}],
        ["an image from the values", { Values: withValues({ global: { agentgateway: { image: "example.org/agw:3" } } }) }],
        ["a bare image name in the values", { Values: withValues({ global: { agentgateway: { image: "agw" } } }) }],
        [
          "an image from the Gateway's annotation",
          {
            metadata: {
              name: "web",
              namespace: "edge",
              uid: "u",
              annotations: { "gateway.istio.io/agentgatewayImage": "example.org/agw:2" },
            },
          },
        ],
        [
          "revision, istiod namespace and CA address",
          { Revision: "canary", Values: withValues({ revision: "canary", global: { istioNamespace: "mesh" } }) },
        ],
        ["an explicit CA address", { Values: withValues({ global: { caAddress: "ca.example:443" } }) }],
        [
          "network, trust domain, cluster and proxy metadata",
          {
            InfrastructureLabels: { team: "a", "topology.istio.io/network": "east" },
            MeshConfig: { trustDomain: "example.org" },
            ProxyConfig: { discoveryAddress: "istiod.istio-system.svc:15012", proxyMetadata: { FOO: "bar" } },
            Values: withValues({ global: { multiCluster: { clusterName: "c1" }, network: "west" } }),
          },
        ],
        ["gateway security context", { Values: withValues({ gateways: { securityContext: { runAsNonRoot: true, fsGroup: 1337 } } }) }],
        ["gateway seccomp profile", { Values: withValues({ gateways: { seccompProfile: { type: "RuntimeDefault" } } }) }],
        [
          "resources, lifecycle, pull policy and pull secrets",
          {
            Values: withValues({
              global: {
                imagePullPolicy: "Always",
                imagePullSecrets: ["regcred"],
                proxy: {
                  resources: { requests: { cpu: "10m", memory: null } },
                  lifecycle: { preStop: { exec: { command: ["sleep", "5"] } } },
                },
              },
            }),
          },
        ],
        ["ClusterTrustBundle root certificate", { Values: withValues({ pilot: { env: { ENABLE_CLUSTER_TRUST_BUNDLE_API: true } } }) }],
        [
          "an address for a LoadBalancer",
          { spec: { gatewayClassName: "istio-agentgateway", listeners: [], addresses: [{ value: "10.1.2.3" }] } },
        ],
        [
          "an address for a ClusterIP service",
          { ServiceType: "ClusterIP", spec: { gatewayClassName: "istio-agentgateway", listeners: [], addresses: [{ value: "10.1.2.3" }] } },
        ],
        ["no proxy uid", { ProxyUID: 0, ProxyGID: 0 }],
      ];
      it("differs only where the chart's Deployment would be refused: a root-certificate mount without its volume", async () => {
        const data = agentgatewayData({ Values: withValues({ global: { pilotCertProvider: "custom" } }) });
        const theirs = (await renderWith(chartAgentgateway!, data)).documents as Document[];
        const podOf = (docs: Document[]) => docs[1]!.spec.template.spec;
        const mounts = (docs: Document[]) => (podOf(docs).containers[0].volumeMounts as { name: string }[]).map((m) => m.name);
        const volumes = (docs: Document[]) => (podOf(docs).volumes as { name: string }[]).map((v) => v.name);
        expect(mounts(theirs)).toContain("istiod-ca-cert");
        expect(volumes(theirs)).not.toContain("istiod-ca-cert");
        const ours = await render(data);
        expect(mounts(ours)).toEqual(mounts(theirs).filter((name) => name !== "istiod-ca-cert"));
        const withoutMounts = (docs: Document[]) => {
          const copy = structuredClone(docs);
          delete podOf(copy).containers[0].volumeMounts;
          return copy;
        };
        expect(withoutMounts(ours)).toEqual(withoutMounts(theirs));
      });

      it.each(cases)("renders the same objects: %s", async (_, overrides) => {
        const data = agentgatewayData(overrides);
        const theirs = await renderWith(chartAgentgateway!, data);
        expect({ stage: theirs.stage, error: theirs.error }).toEqual({ stage: "ok", error: undefined });
        expect(await render(data)).toEqual(theirs.documents);
      });
    });
  });
});
