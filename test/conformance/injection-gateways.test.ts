// Conformance of mesh's gateway-side templates with istiod 1.30.3 (docs/design/injection.md §4, §1.12): `gateway`
// (injected into gateway-chart Deployments), `kube-gateway` and `waypoint` (rendered by istiod's Gateway API
// deployment controller) and `grpc-agent` (proxyless gRPC).
//
// Needs a Go toolchain and sprig from Debian (no network beyond Debian's mirror):
//   apt-get install -y golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev
// The harness builds in GOPATH mode against /usr/share/gocode (see injection-harness/harness.ts). Without
// `go` on PATH this file is skipped with a warning; any other failure (build, render) fails.
import { beforeAll, describe, expect, it } from "vitest";
import type { Container, Pod } from "./injection-harness/istiod-injector.js";
import {
  args,
  container,
  envOf,
  envValue,
  expectGolden,
  names,
  readJson,
  readPod,
  describeWithInjector,
  proxyVolumeNames,
  restrictedProxySecurityContext,
  proxyReadinessProbe,
  withAnnotations,
} from "./injection-harness/support.js";

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

  describe("grpc-agent: proxyless gRPC (§1.12)", () => {
    it.each([
      [false, [], ["api", "istio-proxy"]],
      [true, ["istio-proxy"], ["api"]],
    ])("native %s: an Envoy-less agent, no capture, the app pointed at the agent's bootstrap", async (native, init, containers) => {
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
    });
  });

  describe("kube-gateway: the objects behind a Gateway API Gateway (§1.12)", () => {
    const gatewayData = (overrides: Record<string, unknown> = {}) => ({
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
      ProxyImage: "docker.io/istio/proxyv2:1.30.3",
      ProxyConfig: { discoveryAddress: "istiod.istio-system.svc:15012", statusPort: 15020 },
      MeshConfig: { trustDomain: "cluster.local", proxyListenPort: 15001, proxyInboundListenPort: 15006 },
      Values: readJson("values.json"),
      ...overrides,
    });

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
      expect(docs.map((d) => [d.kind, d.metadata.name, d.metadata.namespace])).toEqual([
        ["ServiceAccount", "web-istio", "edge"],
        ["Deployment", "web-istio", "edge"],
        ["Service", "web-istio", "edge"],
        ["HorizontalPodAutoscaler", "web-istio", "edge"],
        ["PodDisruptionBudget", "web-istio", "edge"],
      ]);
      for (const d of docs) {
        expect(d.metadata.ownerReferences).toEqual([
          { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", name: "web", uid: "3f0c2b8e-1d5a-4b7e-9c61-7a2d8e4f5b90" },
        ]);
        expect(d.metadata.labels).toEqual({ team: "a", "gateway.networking.k8s.io/gateway-name": "web" });
        expect(d.metadata.annotations).toEqual({ owner: "web-team" });
      }
    });

    it("selects the gateway pod by the gateway-name label and exposes the listener ports", async () => {
      const [, deployment, service] = await render(gatewayData());
      expect(service!.spec).toEqual({
        type: "LoadBalancer",
        selector: { "gateway.networking.k8s.io/gateway-name": "web" },
        ports: [
          { name: "status-port", port: 15021, protocol: "TCP", appProtocol: "tcp" },
          { name: "http", port: 80, protocol: "TCP", appProtocol: "http" },
        ],
      });
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

    it("waypoint: the same objects with an Envoy in waypoint mode, HBONE port, out of ambient capture", async () => {
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
      });
      const proxy = podTemplate.spec.containers[0] as Container;
      expect(args(proxy).slice(0, 2)).toEqual(["proxy", "waypoint"]);
      expect(proxy.ports).toContainEqual({ name: "hbone", containerPort: 15008, protocol: "TCP" });
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
  });
});
