import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../src/core/objects.js";
import { generateManifest } from "../../../src/core/render/index.js";
import { nodeAgentScheduling } from "./node-agent-pod.js";

const ztunnelObjects = (sets: string[]) =>
  generateManifest({ files: [], sets, components: ["ztunnel"] }).components.flatMap((component) => component.objects);
const find = (objects: KubeObject[], kind: string, name = "ztunnel") => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} not rendered`);
  return found as KubeObject & { spec: any; subjects: any; rules: any; imagePullSecrets?: any };
};
const daemonSet = (sets: string[], name = "ztunnel") => find(ztunnelObjects(sets), "DaemonSet", name);
const podSpec = (sets: string[]) => daemonSet(sets).spec.template.spec;
const proxy = (sets: string[]) => podSpec(sets).containers[0];
const envOf = (sets: string[]) => Object.fromEntries(proxy(sets).env.map((entry: any) => [entry.name, entry.value ?? entry.valueFrom]));

describe("ztunnel (ztunnel chart)", () => {
  it("ambient: a ServiceAccount and a DaemonSet in istio-system, displayed as Ztunnel", () => {
    const manifest = generateManifest({ files: [], sets: ["profile=ambient"], components: ["ztunnel"] });
    expect(manifest.components.map((component) => [component.component, component.displayName])).toEqual([["ztunnel", "Ztunnel"]]);
    expect(manifest.components[0]!.objects.map((object) => `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`)).toEqual([
      "ServiceAccount/istio-system/ztunnel",
      "DaemonSet/istio-system/ztunnel",
    ]);
  });

  it("ambient DaemonSet: the istio-proxy container on the distroless ztunnel image", () => {
    const container = proxy(["profile=ambient"]);
    expect(container).toMatchObject({
      name: "istio-proxy",
      image: "docker.io/istio/ztunnel:1.30.3-distroless",
      args: ["proxy", "ztunnel"],
      ports: [{ containerPort: 15020, name: "ztunnel-stats", protocol: "TCP" }],
      readinessProbe: { httpGet: { port: 15021, path: "/healthz/ready" } },
      resources: { requests: { cpu: "200m", memory: "512Mi" } },
      securityContext: {
        allowPrivilegeEscalation: true,
        privileged: false,
        capabilities: { drop: ["ALL"], add: ["NET_ADMIN", "SYS_ADMIN", "NET_RAW"] },
        readOnlyRootFilesystem: true,
        runAsGroup: 1337,
        runAsNonRoot: false,
        runAsUser: 0,
      },
    });
    expect(container.volumeMounts).toEqual([
      { mountPath: "/var/run/secrets/istio", name: "istiod-ca-cert" },
      { mountPath: "/var/run/secrets/tokens", name: "istio-token" },
      { mountPath: "/var/run/ztunnel", name: "cni-ztunnel-sock-dir" },
      { mountPath: "/tmp", name: "tmp" },
    ]);
  });

  it("ambient pod: node-critical on every Linux node, sharing /var/run/ztunnel with the CNI agent", () => {
    const pod = podSpec(["profile=ambient"]);
    expect(pod).toMatchObject({ serviceAccountName: "ztunnel", ...nodeAgentScheduling });
    expect(pod.volumes).toEqual([
      {
        name: "istio-token",
        projected: { sources: [{ serviceAccountToken: { path: "istio-token", expirationSeconds: 43200, audience: "istio-ca" } }] },
      },
      { name: "istiod-ca-cert", configMap: { name: "istio-ca-root-cert" } },
      { name: "cni-ztunnel-sock-dir", hostPath: { path: "/var/run/ztunnel", type: "DirectoryOrCreate" } },
      { name: "tmp", emptyDir: {} },
    ]);
    const ds = daemonSet(["profile=ambient"]);
    expect(ds.spec.selector).toEqual({ matchLabels: { app: "ztunnel" } });
    expect(ds.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(ds.spec.template.metadata).toEqual({
      labels: {
        "sidecar.istio.io/inject": "false",
        "istio.io/dataplane-mode": "none",
        app: "ztunnel",
        "app.kubernetes.io/name": "ztunnel",
        "app.kubernetes.io/instance": "istio",
        "app.kubernetes.io/managed-by": "Helm",
        "app.kubernetes.io/part-of": "istio",
        "app.kubernetes.io/version": "1.30.3",
        "helm.sh/chart": "ztunnel-1.30.3",
      },
      annotations: { "sidecar.istio.io/inject": "false", "prometheus.io/port": "15020", "prometheus.io/scrape": "true" },
    });
  });

  it("ambient env: istiod addresses, in-pod mode, downward API, the profile's HBONE metadata, CPU limit", () => {
    expect(proxy(["profile=ambient"]).env.map((entry: any) => entry.name)).toEqual([
      "CA_ADDRESS",
      "XDS_ADDRESS",
      "RUST_LOG",
      "RUST_BACKTRACE",
      "ISTIO_META_CLUSTER_ID",
      "INPOD_ENABLED",
      "TERMINATION_GRACE_PERIOD_SECONDS",
      "POD_NAME",
      "POD_NAMESPACE",
      "NODE_NAME",
      "INSTANCE_IP",
      "SERVICE_ACCOUNT",
      "ISTIO_META_ENABLE_HBONE",
      "ZTUNNEL_CPU_LIMIT",
    ]);
    expect(envOf(["profile=ambient"])).toMatchObject({
      CA_ADDRESS: "istiod.istio-system.svc:15012",
      XDS_ADDRESS: "istiod.istio-system.svc:15012",
      RUST_LOG: "info",
      ISTIO_META_CLUSTER_ID: "Kubernetes",
      INPOD_ENABLED: "true",
      TERMINATION_GRACE_PERIOD_SECONDS: "30",
      ISTIO_META_ENABLE_HBONE: "true",
      ZTUNNEL_CPU_LIMIT: { resourceFieldRef: { resource: "limits.cpu" } },
    });
  });

  it("outside the ambient profile: no variant, no HBONE metadata", () => {
    const sets = ["components.ztunnel.enabled=true"];
    expect(proxy(sets).image).toBe("docker.io/istio/ztunnel:1.30.3");
    expect(envOf(sets).ISTIO_META_ENABLE_HBONE).toBeUndefined();
  });

  it("takes values.ztunnel.* flat, as istioctl hands them to the chart", () => {
    const sets = [
      "profile=ambient",
      "values.ztunnel.logLevel=debug",
      "values.ztunnel.env.ZEBRA=z",
      "values.ztunnel.env.ALPHA=a",
      "values.ztunnel.terminationGracePeriodSeconds=60",
      "values.ztunnel.podLabels.tier=node",
      "values.ztunnel.resources.requests.cpu=1",
    ];
    const env = proxy(sets).env.map((entry: any) => entry.name);
    expect(env.slice(-3)).toEqual(["ZTUNNEL_CPU_LIMIT", "ALPHA", "ZEBRA"]);
    expect(envOf(sets)).toMatchObject({ RUST_LOG: "debug", TERMINATION_GRACE_PERIOD_SECONDS: "60" });
    expect(podSpec(sets).terminationGracePeriodSeconds).toBe(60);
    expect(daemonSet(sets).spec.template.metadata.labels.tier).toBe("node");
    expect(proxy(sets).resources).toEqual({ requests: { cpu: 1, memory: "512Mi" } });
  });

  it("does not see values.meshConfig (istioctl drops top-level maps), only values.ztunnel.meshConfig", () => {
    const ignored = envOf(["profile=ambient", "values.meshConfig.defaultConfig.proxyMetadata.FROM_MESH=x"]);
    expect(ignored.FROM_MESH).toBeUndefined();
    const own = envOf(["profile=ambient", "values.ztunnel.meshConfig.defaultConfig.proxyMetadata.FROM_ZTUNNEL=y"]);
    expect(own).toMatchObject({ FROM_ZTUNNEL: "y", ISTIO_META_ENABLE_HBONE: "true" });
  });

  it("takes global settings: network, cluster name, JSON logs, pull policy and secrets, istio namespace", () => {
    const sets = [
      "profile=ambient",
      "values.global.network=net1",
      "values.global.multiCluster.clusterName=east",
      "values.global.logAsJson=true",
      "values.global.imagePullPolicy=Always",
      "values.global.imagePullSecrets[0]=regcred",
      "values.global.istioNamespace=mesh-system",
    ];
    expect(envOf(sets)).toMatchObject({
      NETWORK: "net1",
      ISTIO_META_CLUSTER_ID: "east",
      LOG_FORMAT: "json",
      CA_ADDRESS: "istiod.mesh-system.svc:15012",
    });
    expect(proxy(sets).imagePullPolicy).toBe("Always");
    const objects = ztunnelObjects(sets);
    expect(find(objects, "ServiceAccount").imagePullSecrets).toEqual([{ name: "regcred" }]);
    expect(find(objects, "DaemonSet").metadata.namespace).toBe("mesh-system");
  });

  it("points at the revision's istiod and annotates the revision", () => {
    const sets = ["profile=ambient", "revision=canary"];
    expect(envOf(sets)).toMatchObject({
      CA_ADDRESS: "istiod-canary.istio-system.svc:15012",
      XDS_ADDRESS: "istiod-canary.istio-system.svc:15012",
    });
    const ds = daemonSet(sets);
    expect(ds.metadata.annotations).toEqual({ "istio.io/rev": "canary" });
    expect(ds.spec.template.metadata.annotations["istio.io/rev"]).toBe("canary");
    expect(daemonSet(["profile=ambient"]).metadata.annotations).toEqual({});
  });

  it.each([
    [
      ["components.ztunnel.hub=registry.example/istio", "components.ztunnel.tag=1.30.2"],
      "registry.example/istio/ztunnel:1.30.2-distroless",
    ],
    [["values.ztunnel.hub=registry.example/istio"], "registry.example/istio/ztunnel:1.30.3-distroless"],
    [["values.ztunnel.variant=debug"], "docker.io/istio/ztunnel:1.30.3-debug"],
    [["values.global.variant="], "docker.io/istio/ztunnel:1.30.3-distroless"],
    [["values.ztunnel.image=registry.example/zt:v1"], "registry.example/zt:v1"],
    [["hub=mirror.example/istio", "tag=1.30.1"], "mirror.example/istio/ztunnel:1.30.1-distroless"],
  ])("image for %j", (sets, image) => {
    expect(proxy(["profile=ambient", ...sets]).image).toBe(image);
  });

  it("demo requests 10m/40Mi", () => {
    expect(proxy(["profile=demo", "components.ztunnel.enabled=true"]).resources).toEqual({ requests: { cpu: "10m", memory: "40Mi" } });
  });

  it("renames its objects with values.ztunnel.resourceName, and k8s settings follow the name", () => {
    const sets = ["profile=ambient", "values.ztunnel.resourceName=node-proxy", "components.ztunnel.k8s.resources.limits.memory=1Gi"];
    const objects = ztunnelObjects(sets);
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
      "ServiceAccount/node-proxy",
      "DaemonSet/node-proxy",
    ]);
    expect(find(objects, "DaemonSet", "node-proxy").spec.template.spec.serviceAccountName).toBe("node-proxy");
    expect(find(objects, "DaemonSet", "node-proxy").spec.template.spec.containers[0].resources.limits).toEqual({ memory: "1Gi" });
  });

  it("applies components.ztunnel.k8s and its namespace", () => {
    const sets = [
      "profile=ambient",
      "components.ztunnel.namespace=kube-system",
      "components.ztunnel.k8s.podAnnotations.team=net",
      "components.ztunnel.k8s.env[0].name=RUST_LOG",
      "components.ztunnel.k8s.env[0].value=warn",
    ];
    const ds = daemonSet(sets);
    expect(ds.metadata.namespace).toBe("kube-system");
    expect(ds.spec.template.metadata.annotations.team).toBe("net");
    expect(envOf(sets).RUST_LOG).toBe("warn");
  });

  it("adds its ClusterRole and binding for the privileged SCC on OpenShift", () => {
    const objects = ztunnelObjects(["components.ztunnel.enabled=true", "values.global.platform=openshift"]);
    expect(objects.map((object) => object.kind)).toEqual(["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "DaemonSet"]);
    expect(find(objects, "ClusterRole").rules).toEqual([
      { apiGroups: ["security.openshift.io"], resources: ["securitycontextconstraints"], resourceNames: ["privileged"], verbs: ["use"] },
    ]);
    expect(find(objects, "ClusterRoleBinding").subjects).toEqual([{ kind: "ServiceAccount", name: "ztunnel", namespace: "istio-system" }]);
  });

  it("adds a ResourceQuota for node-critical pods with values.ztunnel.resourceQuotas.enabled, and on GKE", () => {
    for (const set of ["values.ztunnel.resourceQuotas.enabled=true", "values.global.platform=gke"]) {
      const quota = find(ztunnelObjects(["profile=ambient", set]), "ResourceQuota");
      expect(quota.metadata.namespace).toBe("istio-system");
      expect(quota.spec).toEqual({
        hard: { pods: "5000" },
        scopeSelector: { matchExpressions: [{ operator: "In", scopeName: "PriorityClass", values: ["system-node-critical"] }] },
      });
    }
    expect(
      ztunnelObjects(["profile=ambient", "values.global.platform=gke", "values.ztunnel.resourceQuotas.enabled=false"]).map(
        (object) => object.kind,
      ),
    ).toEqual(["ServiceAccount", "DaemonSet"]);
  });

  it("values.ztunnel.dnsPolicy and dnsConfig reach the pod spec", () => {
    const sets = ["profile=ambient", "values.ztunnel.dnsPolicy=ClusterFirstWithHostNet", "values.ztunnel.dnsConfig.options[0].name=edns0"];
    expect(podSpec(sets)).toMatchObject({ dnsPolicy: "ClusterFirstWithHostNet", dnsConfig: { options: [{ name: "edns0" }] } });
    expect(podSpec(["profile=ambient"])).not.toHaveProperty("dnsPolicy");
    expect(podSpec(["profile=ambient"])).not.toHaveProperty("dnsConfig");
  });

  it("values.ztunnel.peerCaCrl.enabled mounts the optional istio-ca-crl ConfigMap and points CRL_PATH at it", () => {
    const sets = ["profile=ambient", "values.ztunnel.peerCaCrl.enabled=true"];
    expect(envOf(sets).CRL_PATH).toBe("/var/run/secrets/istio/crl/ca-crl.pem");
    expect(proxy(sets).volumeMounts).toContainEqual({ mountPath: "/var/run/secrets/istio/crl", name: "crl-volume", readOnly: true });
    expect(podSpec(sets).volumes).toContainEqual({ name: "crl-volume", configMap: { name: "istio-ca-crl", optional: true } });
    expect(envOf(["profile=ambient"])).not.toHaveProperty("CRL_PATH");
  });

  it("values.ztunnel.resourceScope, else global.resourceScope, selects its objects; another value renders none", () => {
    const kinds = (sets: string[]) => ztunnelObjects(["profile=ambient", ...sets]).map((object) => object.kind);
    expect(kinds(["values.ztunnel.resourceScope=cluster"])).toEqual([]);
    expect(kinds(["values.ztunnel.resourceScope=namespace"])).toEqual(["ServiceAccount", "DaemonSet"]);
    expect(kinds(["values.ztunnel.resourceScope=everything"])).toEqual([]);
    expect(kinds(["values.global.resourceScope=cluster"])).toEqual([]);
    expect(kinds(["values.global.resourceScope=cluster", "values.ztunnel.resourceScope=all"])).toEqual(["ServiceAccount", "DaemonSet"]);
  });
});
