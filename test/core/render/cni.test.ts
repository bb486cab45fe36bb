import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../src/core/objects.js";
import { generateManifest } from "../../../src/core/render/index.js";
import { nodeAgentScheduling } from "./node-agent-pod.js";

const cniObjects = (sets: string[]) =>
  generateManifest({ files: [], sets, components: ["cni"] }).components.flatMap((component) => component.objects);
const find = (objects: KubeObject[], kind: string, name: string) => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} not rendered`);
  return found as KubeObject & { spec: any; data: any; rules: any; subjects: any };
};
const daemonSet = (sets: string[]) => find(cniObjects(sets), "DaemonSet", "istio-cni-node");
const podSpec = (sets: string[]) => daemonSet(sets).spec.template.spec;
const container = (sets: string[]) => podSpec(sets).containers[0];
const envOf = (sets: string[]) => Object.fromEntries(container(sets).env.map((entry: any) => [entry.name, entry.value ?? entry.valueFrom]));
const configData = (sets: string[]) => find(cniObjects(sets), "ConfigMap", "istio-cni-config").data;
const ids = (objects: KubeObject[]) => objects.map((object) => `${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`);

describe("the Istio CNI node agent (istio-cni chart)", () => {
  it("ambient: 9 objects in istio-system, displayed as CNI", () => {
    const manifest = generateManifest({ files: [], sets: ["profile=ambient"], components: ["cni"] });
    expect(manifest.components.map((component) => [component.component, component.displayName])).toEqual([["cni", "CNI"]]);
    expect(ids(manifest.components[0]!.objects)).toEqual([
      "ServiceAccount/istio-system/istio-cni",
      "ClusterRole//istio-cni",
      "ClusterRole//istio-cni-ambient",
      "ClusterRole//istio-cni-repair-role",
      "ClusterRoleBinding//istio-cni",
      "ClusterRoleBinding//istio-cni-ambient",
      "ClusterRoleBinding//istio-cni-repair-rolebinding",
      "ConfigMap/istio-system/istio-cni-config",
      "DaemonSet/istio-system/istio-cni-node",
    ]);
  });

  it("sidecar mode (components.cni.enabled=true on the default profile): no ambient role, no ztunnel socket", () => {
    const objects = cniObjects(["components.cni.enabled=true"]);
    expect(objects.map((object) => object.metadata.name)).not.toContain("istio-cni-ambient");
    expect(objects).toHaveLength(7);
    expect(container(["components.cni.enabled=true"]).image).toBe("docker.io/istio/install-cni:1.30.3");
    const mounts = container(["components.cni.enabled=true"]).volumeMounts.map((mount: any) => mount.name);
    expect(mounts).toEqual(["cni-bin-dir", "cni-host-procfs", "cni-net-dir", "cni-socket-dir"]);
    expect(podSpec(["components.cni.enabled=true"]).volumes.map((volume: any) => volume.name)).toEqual([
      "cni-bin-dir",
      "cni-host-procfs",
      "cni-net-dir",
      "cni-socket-dir",
      "cni-netns-dir",
    ]);
    expect(configData(["components.cni.enabled=true"]).AMBIENT_ENABLED).toBe("false");
  });

  it("renders CNI for a bare components.cni block, in its own namespace (docs/design/install.md §6 quirk)", () => {
    const objects = cniObjects(["components.cni.namespace=kube-system"]);
    expect(find(objects, "DaemonSet", "istio-cni-node").metadata.namespace).toBe("kube-system");
    expect(find(objects, "ClusterRoleBinding", "istio-cni").subjects).toEqual([
      { kind: "ServiceAccount", name: "istio-cni", namespace: "kube-system" },
    ]);
    expect(cniObjects(["components.cni.enabled=false", "profile=ambient"])).toEqual([]);
  });

  it("ambient DaemonSet: distroless image, capabilities instead of privilege, host directories, node-critical scheduling", () => {
    const pod = podSpec(["profile=ambient"]);
    const agent = pod.containers[0];
    expect(agent.name).toBe("install-cni");
    expect(agent.image).toBe("docker.io/istio/install-cni:1.30.3-distroless");
    expect(agent.command).toEqual(["install-cni"]);
    expect(agent.args).toEqual(["--log_output_level=info"]);
    expect(agent.envFrom).toEqual([{ configMapRef: { name: "istio-cni-config" } }]);
    expect(agent.ports).toEqual([{ containerPort: 15014, name: "metrics", protocol: "TCP" }]);
    expect(agent.readinessProbe).toEqual({ httpGet: { path: "/readyz", port: 8000 } });
    expect(agent.securityContext).toEqual({
      privileged: false,
      runAsGroup: 0,
      runAsUser: 0,
      runAsNonRoot: false,
      capabilities: { drop: ["ALL"], add: ["NET_ADMIN", "NET_RAW", "SYS_PTRACE", "SYS_ADMIN", "DAC_OVERRIDE"] },
    });
    expect(agent.resources).toEqual({ requests: { cpu: "100m", memory: "100Mi" } });
    expect(agent.volumeMounts).toContainEqual({
      mountPath: "/host/var/run/netns",
      mountPropagation: "HostToContainer",
      name: "cni-netns-dir",
    });
    expect(agent.volumeMounts).toContainEqual({ mountPath: "/var/run/ztunnel", name: "cni-ztunnel-sock-dir" });
    expect(pod.volumes).toContainEqual({ name: "cni-ztunnel-sock-dir", hostPath: { path: "/var/run/ztunnel", type: "DirectoryOrCreate" } });
    expect(pod.volumes).toContainEqual({ name: "cni-bin-dir", hostPath: { path: "/opt/cni/bin" } });
    expect(pod.volumes).toContainEqual({ name: "cni-net-dir", hostPath: { path: "/etc/cni/net.d" } });
    expect(pod).toMatchObject({ serviceAccountName: "istio-cni", ...nodeAgentScheduling });
    expect(daemonSet(["profile=ambient"]).spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } });
  });

  it("env: repair settings and downward-API values, then values.cni.env sorted (also written to the ConfigMap)", () => {
    const sets = ["profile=ambient", "values.cni.env.ZED=1", "values.cni.env.ALPHA=a"];
    expect(container(sets).env.map((entry: any) => entry.name)).toEqual([
      "REPAIR_NODE_NAME",
      "REPAIR_RUN_AS_DAEMON",
      "REPAIR_SIDECAR_ANNOTATION",
      "ALLOW_SWITCH_TO_HOST_NS",
      "NODE_NAME",
      "GOMEMLIMIT",
      "GOMAXPROCS",
      "POD_NAME",
      "POD_NAMESPACE",
      "ALPHA",
      "ZED",
    ]);
    expect(envOf(sets).GOMEMLIMIT).toEqual({ resourceFieldRef: { resource: "limits.memory", divisor: "1" } });
    expect(configData(sets)).toMatchObject({ ALPHA: "a", ZED: "1" });
  });

  it("the agent's ConfigMap (ambient)", () => {
    const data = configData(["profile=ambient"]);
    expect(data).toEqual({
      CURRENT_AGENT_VERSION: "1.30.3",
      AMBIENT_ENABLED: "true",
      AMBIENT_ENABLEMENT_SELECTOR: [
        "- podSelector:",
        "    matchLabels:",
        "      istio.io/dataplane-mode: ambient",
        "- namespaceSelector:",
        "    matchLabels:",
        "      istio.io/dataplane-mode: ambient",
        "  podSelector:",
        "    matchExpressions:",
        "    - key: istio.io/dataplane-mode",
        "      operator: NotIn",
        "      values:",
        "      - none",
      ].join("\n"),
      AMBIENT_DNS_CAPTURE: "true",
      AMBIENT_IPV6: "true",
      AMBIENT_RECONCILE_POD_RULES_ON_STARTUP: "true",
      ENABLE_AMBIENT_DETECTION_RETRY: "false",
      ISTIO_OWNED_CNI_CONFIG: "false",
      CHAINED_CNI_PLUGIN: "true",
      EXCLUDE_NAMESPACES: "kube-system",
      REPAIR_ENABLED: "true",
      REPAIR_LABEL_PODS: "false",
      REPAIR_DELETE_PODS: "false",
      REPAIR_REPAIR_PODS: "true",
      REPAIR_INIT_CONTAINER_NAME: "istio-validation",
      REPAIR_BROKEN_POD_LABEL_KEY: "cni.istio.io/uninitialized",
      REPAIR_BROKEN_POD_LABEL_VALUE: "true",
      NATIVE_NFTABLES: "false",
    });
  });

  it.each([
    ["values.cni.cniConfFileName=10-calico.conflist", { CNI_CONF_NAME: "10-calico.conflist" }],
    // The chart leaves the file name empty (the agent then picks its own) unless one is given.
    ["values.cni.istioOwnedCNIConfig=true", { ISTIO_OWNED_CNI_CONFIG: "true", ISTIO_OWNED_CNI_CONF_FILENAME: "" }],
    ["values.cni.excludeNamespaces[1]=istio-system", { EXCLUDE_NAMESPACES: "istio-system" }],
    ["values.cni.ambient.dnsCapture=false", { AMBIENT_DNS_CAPTURE: "false" }],
    ["values.global.nativeNftables=true", { NATIVE_NFTABLES: "true" }],
    ["values.cni.tag=1.30.2", { CURRENT_AGENT_VERSION: "1.30.2" }],
  ])("ConfigMap follows %s", (set, expected) => {
    expect(configData(["profile=ambient", set])).toMatchObject(expected);
  });

  it.each([
    [
      "deletePods",
      ["values.cni.repair.repairPods=false", "values.cni.repair.deletePods=true"],
      { apiGroups: [""], resources: ["pods"], verbs: ["delete"] },
    ],
    [
      "labelPods",
      ["values.cni.repair.repairPods=false", "values.cni.repair.labelPods=true"],
      { apiGroups: [""], resources: ["pods/status"], verbs: ["patch", "update"] },
    ],
  ])("repair mode %s needs one more rule", (_mode, sets, rule) => {
    const role = find(cniObjects(["profile=ambient", ...sets]), "ClusterRole", "istio-cni-repair-role");
    expect(role.rules).toHaveLength(3);
    expect(role.rules[2]).toEqual(rule);
  });

  it("drops the repair role and binding with values.cni.repair.enabled=false", () => {
    const names = cniObjects(["profile=ambient", "values.cni.repair.enabled=false"]).map((object) => object.metadata.name);
    expect(names).not.toContain("istio-cni-repair-role");
    expect(names).not.toContain("istio-cni-repair-rolebinding");
  });

  it("adds a ResourceQuota for node-critical pods with values.cni.resourceQuotas.enabled", () => {
    const quota = find(
      cniObjects(["profile=ambient", "values.cni.resourceQuotas.enabled=true"]),
      "ResourceQuota",
      "istio-cni-resource-quota",
    );
    expect(quota.metadata.namespace).toBe("istio-system");
    expect(quota.spec).toEqual({
      hard: { pods: "5000" },
      scopeSelector: { matchExpressions: [{ operator: "In", scopeName: "PriorityClass", values: ["system-node-critical"] }] },
    });
  });

  it.each([
    [["components.cni.hub=registry.example/istio", "components.cni.tag=1.30.2"], "registry.example/istio/install-cni:1.30.2-distroless"],
    [["values.cni.hub=registry.example/istio"], "registry.example/istio/install-cni:1.30.3-distroless"],
    [["values.cni.variant=debug"], "docker.io/istio/install-cni:1.30.3-debug"],
    [["values.cni.image=registry.example/cni:v1"], "registry.example/cni:v1"],
    [["hub=mirror.example/istio", "tag=1.30.1"], "mirror.example/istio/install-cni:1.30.1-distroless"],
  ])("image for %j", (sets, image) => {
    expect(container(["profile=ambient", ...sets]).image).toBe(image);
  });

  it.each([
    ["k3s", { "cni-bin-dir": "/var/lib/rancher/k3s/data/cni", "cni-net-dir": "/var/lib/rancher/k3s/agent/etc/cni/net.d" }],
    ["gke", { "cni-bin-dir": "/home/kubernetes/bin", "cni-net-dir": "/etc/cni/net.d" }],
    ["minikube", { "cni-netns-dir": "/var/run/docker/netns" }],
  ])("platform %s moves the host directories", (platform, paths) => {
    const volumes = Object.fromEntries(
      podSpec(["profile=ambient", `values.global.platform=${platform}`]).volumes.map((volume: any) => [volume.name, volume.hostPath?.path]),
    );
    expect(volumes).toMatchObject(paths);
  });

  it("GKE adds the ResourceQuota unless the values turn it off (as cluster auto-detection does)", () => {
    const kinds = (sets: string[]) => cniObjects(["profile=ambient", "values.global.platform=gke", ...sets]).map((object) => object.kind);
    expect(kinds([])).toContain("ResourceQuota");
    expect(kinds(["values.cni.resourceQuotas.enabled=false"])).not.toContain("ResourceQuota");
  });

  it("user directories win over the platform's", () => {
    const volumes = podSpec(["profile=ambient", "values.global.platform=k3s", "values.cni.cniBinDir=/custom/bin"]).volumes;
    expect(volumes[0]).toEqual({ name: "cni-bin-dir", hostPath: { path: "/custom/bin" } });
  });

  // istioctl 1.30's values schema lacks it, so only unvalidatedValues can set it (values.cni.ambient.… is refused).
  it("shares the node's network namespace with unvalidatedValues.cni.ambient.shareHostNetworkNamespace", () => {
    const sets = ["profile=ambient", "unvalidatedValues.cni.ambient.shareHostNetworkNamespace=true"];
    expect(podSpec(sets)).toMatchObject({ hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" });
    expect(envOf(sets).ALLOW_SWITCH_TO_HOST_NS).toBeUndefined();
  });

  it("demo requests 10m/40Mi; logging, pull policy, pod annotations and labels come from values", () => {
    expect(container(["profile=demo", "components.cni.enabled=true"]).resources).toEqual({ requests: { cpu: "10m", memory: "40Mi" } });
    const sets = [
      "profile=ambient",
      "values.cni.logging.level=debug",
      "values.global.logAsJson=true",
      "values.global.imagePullPolicy=Always",
      "values.cni.podAnnotations.team=net",
      "values.cni.podLabels.tier=node",
    ];
    expect(container(sets)).toMatchObject({ args: ["--log_output_level=debug", "--log_as_json"], imagePullPolicy: "Always" });
    expect(daemonSet(sets).spec.template.metadata.annotations.team).toBe("net");
    expect(daemonSet(sets).spec.template.metadata.labels.tier).toBe("node");
  });

  it("labels every object for the Cni component and the revision, with the cni chart's Helm labels", () => {
    for (const object of cniObjects(["profile=ambient", "revision=canary"])) {
      expect(object.metadata.labels).toMatchObject({
        "istio.io/rev": "canary",
        "operator.istio.io/component": "Cni",
        "install.operator.istio.io/owning-resource": "unknown",
        "helm.sh/chart": "cni-1.30.3",
        "app.kubernetes.io/version": "1.30.3",
      });
    }
    expect(daemonSet(["profile=ambient"]).spec.template.metadata).toMatchObject({
      labels: { "k8s-app": "istio-cni-node", "sidecar.istio.io/inject": "false", "istio.io/dataplane-mode": "none" },
      annotations: {
        "prometheus.io/port": "15014",
        "prometheus.io/path": "/metrics",
        "container.apparmor.security.beta.kubernetes.io/install-cni": "unconfined",
      },
    });
  });

  it("applies components.cni.k8s to the DaemonSet and its install-cni container", () => {
    const sets = [
      "profile=ambient",
      "components.cni.k8s.resources.limits.memory=256Mi",
      "components.cni.k8s.env[0].name=GOMAXPROCS",
      "components.cni.k8s.env[0].value=all",
      "components.cni.k8s.tolerations[0].key=only",
      "components.cni.k8s.tolerations[0].operator=Exists",
      "components.cni.k8s.nodeSelector.pool=system",
    ];
    expect(container(sets).resources).toEqual({ requests: { cpu: "100m", memory: "100Mi" }, limits: { memory: "256Mi" } });
    expect(envOf(sets).GOMAXPROCS).toBe("all");
    expect(podSpec(sets).tolerations).toEqual([{ key: "only", operator: "Exists" }]);
    expect(podSpec(sets).nodeSelector).toEqual({ "kubernetes.io/os": "linux", pool: "system" });
  });

  it("applies overlays to any CNI object", () => {
    const file = {
      path: "overlay.yaml",
      text: [
        "spec:",
        "  profile: ambient",
        "  components:",
        "    cni:",
        "      k8s:",
        "        overlays:",
        "        - kind: DaemonSet",
        "          name: istio-cni-node",
        "          patches:",
        "          - path: spec.template.spec.containers.[name:install-cni].securityContext.privileged",
        "            value: true",
        "",
      ].join("\n"),
    };
    const manifest = generateManifest({ files: [file], sets: [], components: ["cni"] });
    const agent = find(manifest.components[0]!.objects, "DaemonSet", "istio-cni-node").spec.template.spec.containers[0];
    expect(agent.securityContext.privileged).toBe(true);
  });

  it("renders OpenShift's platform profile: Multus directories, unchained config, spc_t, the privileged SCC and the attachment", () => {
    for (const sets of [["profile=openshift"], ["profile=ambient", "components.cni.enabled=true", "values.global.platform=openshift"]]) {
      const objects = cniObjects(sets);
      const config = find(objects, "ConfigMap", "istio-cni-config").data;
      expect(config).toMatchObject({ CHAINED_CNI_PLUGIN: "false", CNI_CONF_NAME: "istio-cni.conf" });
      const pod = find(objects, "DaemonSet", "istio-cni-node").spec.template.spec;
      expect(pod.containers[0].securityContext.seLinuxOptions).toEqual({ type: "spc_t" });
      expect(pod.volumes.find((volume: any) => volume.name === "cni-bin-dir").hostPath.path).toBe("/var/lib/cni/bin");
      expect(pod.volumes.find((volume: any) => volume.name === "cni-net-dir").hostPath.path).toBe("/etc/cni/multus/net.d");
      expect(find(objects, "ClusterRole", "istio-cni").rules).toContainEqual({
        apiGroups: ["security.openshift.io"],
        resources: ["securitycontextconstraints"],
        resourceNames: ["privileged"],
        verbs: ["use"],
      });
      expect(objects.some((object: any) => object.kind === "NetworkAttachmentDefinition")).toBe(true);
    }
  });

  // istioctl's values schema has no cni.seLinuxOptions, so only unvalidatedValues reach the chart's setting.
  it("lets the IstioOperator's values override OpenShift's platform profile", () => {
    const objects = cniObjects(["profile=openshift", "values.cni.cniBinDir=/x", "unvalidatedValues.cni.seLinuxOptions.level=s0"]);
    const pod = find(objects, "DaemonSet", "istio-cni-node").spec.template.spec;
    expect(pod.volumes.find((volume: any) => volume.name === "cni-bin-dir").hostPath.path).toBe("/x");
    expect(pod.containers[0].securityContext.seLinuxOptions).toEqual({ type: "spc_t", level: "s0" });
  });

  it("values.cni.provider=multus adds the NetworkAttachmentDefinition istio-cni in namespace default", () => {
    const attachment = cniObjects(["profile=ambient", "values.cni.provider=multus"]).find(
      (object: any) => object.kind === "NetworkAttachmentDefinition",
    ) as any;
    expect(attachment.metadata).toMatchObject({ name: "istio-cni", namespace: "default" });
  });

  it("values.cni.useAppArmorAnnotation=false moves AppArmor from the pod annotation to the container's appArmorProfile", () => {
    const annotationKey = "container.apparmor.security.beta.kubernetes.io/install-cni";
    expect(daemonSet(["profile=ambient"]).spec.template.metadata.annotations[annotationKey]).toBe("unconfined");
    expect(container(["profile=ambient"]).securityContext.appArmorProfile).toBeUndefined();
    const sets = ["profile=ambient", "values.cni.useAppArmorAnnotation=false"];
    expect(daemonSet(sets).spec.template.metadata.annotations[annotationKey]).toBeUndefined();
    expect(container(sets).securityContext.appArmorProfile).toEqual({ type: "Unconfined" });
  });

  it("values.cni.istioOwnedCNIConfigFileName names the Istio-owned CNI config file", () => {
    const sets = ["profile=ambient", "values.cni.istioOwnedCNIConfig=true", "values.cni.istioOwnedCNIConfigFileName=05-istio.conflist"];
    expect(configData(sets)).toMatchObject({ ISTIO_OWNED_CNI_CONF_FILENAME: "05-istio.conflist" });
    expect(configData(["profile=ambient", "values.cni.istioOwnedCNIConfigFileName=05-istio.conflist"])).not.toHaveProperty(
      "ISTIO_OWNED_CNI_CONF_FILENAME",
    );
  });

  it("values.ownerName becomes the owning-resource label", () => {
    for (const object of cniObjects(["profile=ambient", "values.ownerName=my-iop"]))
      expect(object.metadata.labels?.["install.operator.istio.io/owning-resource"]).toBe("my-iop");
  });

  it("values.global.resourceScope selects cluster- or namespace-scoped objects, and nothing for another value", () => {
    const kinds = (scope: string) =>
      // An unknown scope is refused by values validation (as istioctl's schema does); unvalidatedValues still reach the chart.
      [...new Set(cniObjects(["profile=ambient", `unvalidatedValues.global.resourceScope=${scope}`]).map((o) => o.kind))].sort();
    expect(kinds("cluster")).toEqual(["ClusterRole", "ClusterRoleBinding"]);
    expect(kinds("namespace")).toEqual(["ConfigMap", "DaemonSet", "ServiceAccount"]);
    expect(kinds("everything")).toEqual([]);
    // The chart's NetworkPolicy template has no scope condition.
    const withPolicy = cniObjects(["profile=ambient", "values.global.resourceScope=cluster", "values.global.networkPolicy.enabled=true"]);
    expect(withPolicy.map((o) => o.kind)).toContain("NetworkPolicy");
  });
});
