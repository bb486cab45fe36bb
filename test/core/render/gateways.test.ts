import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/errors.js";
import type { KubeObject } from "../../../src/core/objects.js";
import { generateManifest } from "../../../src/core/render/index.js";

const gateways = (sets: string[], files: { path: string; text: string }[] = []) =>
  generateManifest({ files, sets, components: ["ingress", "egress"] });
const objectsOf = (sets: string[], files: { path: string; text: string }[] = []) =>
  gateways(sets, files).components.flatMap((c) => c.objects);
const find = (objects: KubeObject[], kind: string, name: string) => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} not rendered`);
  return found as KubeObject & { spec: any };
};
const ids = (objects: KubeObject[]) => objects.map((object) => `${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`);

describe("ingress and egress gateways", () => {
  it("default: one ingress gateway with SA, Deployment, Role, RoleBinding, HPA, Service and no egress", () => {
    const manifest = gateways([]);
    expect(manifest.components.map((c) => [c.component, c.displayName, c.gatewayName])).toEqual([
      ["ingress", "Ingress gateways", "istio-ingressgateway"],
    ]);
    expect(ids(manifest.components[0]!.objects)).toEqual([
      "ServiceAccount/istio-system/istio-ingressgateway-service-account",
      "Deployment/istio-system/istio-ingressgateway",
      "Role/istio-system/istio-ingressgateway-sds",
      "RoleBinding/istio-system/istio-ingressgateway-sds",
      "HorizontalPodAutoscaler/istio-system/istio-ingressgateway",
      "Service/istio-system/istio-ingressgateway",
    ]);
  });

  it("demo: ingress and egress without HPAs; ingress adds 31400 and 15443; egress stays ClusterIP 80/443", () => {
    const objects = objectsOf(["profile=demo"]);
    expect(objects.filter((object) => object.kind === "HorizontalPodAutoscaler")).toEqual([]);
    expect(objects).toHaveLength(10);
    const ingress = find(objects, "Service", "istio-ingressgateway");
    expect(ingress.spec.type).toBe("LoadBalancer");
    expect(ingress.spec.ports.map((port: any) => `${port.name}:${port.port}->${port.targetPort}`)).toEqual([
      "status-port:15021->15021",
      "http2:80->8080",
      "https:443->8443",
      "tcp:31400->31400",
      "tls:15443->15443",
    ]);
    const egress = find(objects, "Service", "istio-egressgateway");
    expect(egress.spec).toEqual({
      type: "ClusterIP",
      selector: { app: "istio-egressgateway", istio: "egressgateway" },
      ports: [
        { name: "http2", port: 80, protocol: "TCP", targetPort: 8080 },
        { name: "https", port: 443, protocol: "TCP", targetPort: 8443 },
      ],
    });
    const container = find(objects, "Deployment", "istio-egressgateway").spec.template.spec.containers[0];
    expect(container.ports).toEqual([
      { containerPort: 8080, protocol: "TCP" },
      { containerPort: 8443, protocol: "TCP" },
      { containerPort: 15090, protocol: "TCP", name: "http-envoy-prom" },
    ]);
    expect(container.resources).toEqual({ requests: { cpu: "10m", memory: "40Mi" }, limits: { cpu: "2000m", memory: "1024Mi" } });
  });

  it("never sets replicas on a gateway Deployment unless k8s.replicaCount does", () => {
    for (const profile of ["default", "demo"]) {
      const deployment = find(objectsOf([`profile=${profile}`]), "Deployment", "istio-ingressgateway");
      expect(deployment.spec.replicas).toBeUndefined();
    }
    const manifest = gateways([
      "components.ingressGateways[0].name=istio-ingressgateway",
      "components.ingressGateways[0].k8s.replicaCount=3",
    ]);
    const objects = manifest.components.flatMap((c) => c.objects);
    expect(find(objects, "Deployment", "istio-ingressgateway").spec.replicas).toBe(3);
    expect(manifest.findings.map((finding) => finding.message)).toEqual([
      "components.ingressGateways[0].k8s.replicaCount should not be set when values.gateways.istio-ingressgateway.autoscaleEnabled is true",
    ]);
  });

  it("renders a PodDisruptionBudget only when more than one replica is guaranteed", () => {
    expect(objectsOf([]).some((object) => object.kind === "PodDisruptionBudget")).toBe(false);
    const objects = objectsOf(["values.gateways.istio-ingressgateway.autoscaleMin=2"]);
    const replicas = objectsOf([
      "components.ingressGateways[0].name=istio-ingressgateway",
      "components.ingressGateways[0].k8s.replicaCount=3",
    ]);
    expect(replicas.some((object) => object.kind === "PodDisruptionBudget")).toBe(false);
    expect(find(objects, "PodDisruptionBudget", "istio-ingressgateway").spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: { app: "istio-ingressgateway", istio: "ingressgateway" } },
    });
  });

  it("keeps the chart's quirks: null Service annotations, null nodeAffinity members, subject without namespace", () => {
    const objects = objectsOf([]);
    expect(find(objects, "Service", "istio-ingressgateway").metadata.annotations).toBeNull();
    expect(find(objects, "Deployment", "istio-ingressgateway").spec.template.spec.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: null, preferredDuringSchedulingIgnoredDuringExecution: null },
    });
    expect((find(objects, "RoleBinding", "istio-ingressgateway-sds") as any).subjects).toEqual([
      { kind: "ServiceAccount", name: "istio-ingressgateway-service-account" },
    ]);
  });

  it("lists the proxy env in the chart's order with mesh-wide proxyMetadata and gateway env sorted in", () => {
    const objects = objectsOf([
      "values.gateways.istio-ingressgateway.env.ZED=1",
      "values.gateways.istio-ingressgateway.env.ALPHA=x",
      "meshConfig.defaultConfig.proxyMetadata.META=yes",
    ]);
    const env = find(objects, "Deployment", "istio-ingressgateway").spec.template.spec.containers[0].env.map((entry: any) => entry.name);
    expect(env).toEqual([
      "PILOT_CERT_PROVIDER",
      "CA_ADDR",
      "NODE_NAME",
      "POD_NAME",
      "POD_NAMESPACE",
      "INSTANCE_IP",
      "HOST_IP",
      "ISTIO_CPU_LIMIT",
      "SERVICE_ACCOUNT",
      "ISTIO_META_WORKLOAD_NAME",
      "ISTIO_META_OWNER",
      "ISTIO_META_MESH_ID",
      "TRUST_DOMAIN",
      "ISTIO_META_UNPRIVILEGED_POD",
      "ALPHA",
      "ZED",
      "META",
      "ISTIO_META_CLUSTER_ID",
      "ISTIO_META_NODE_NAME",
    ]);
  });

  it("uses k8s.service.ports for both the Service and the container ports", () => {
    const overlay = {
      path: "ports.yaml",
      text: [
        "spec:",
        "  components:",
        "    ingressGateways:",
        "    - name: istio-ingressgateway",
        "      k8s:",
        "        service:",
        "          ports:",
        "          - name: http2",
        "            port: 80",
        "            targetPort: 8081",
        "",
      ].join("\n"),
    };
    const objects = objectsOf([], [overlay]);
    expect(find(objects, "Service", "istio-ingressgateway").spec.ports).toEqual([{ name: "http2", port: 80, targetPort: 8081 }]);
    expect(
      find(objects, "Deployment", "istio-ingressgateway").spec.template.spec.containers[0].ports.map((p: any) => p.containerPort),
    ).toEqual([8081, 15090]);
  });

  it("refuses a privileged target port unless the gateway runs as root", () => {
    const sets = ["values.gateways.istio-ingressgateway.ports[0].name=http2", "values.gateways.istio-ingressgateway.ports[0].port=80"];
    expect(() => gateways(sets)).toThrow(InputError);
    expect(() => gateways(sets)).toThrow(
      "port http2/80 in gateway istio-ingressgateway invalid: targetPort is set to 0, which requires root. Set targetPort to be greater than 1024 or configure values.gateways.istio-ingressgateway.runAsRoot=true",
    );
    expect(() => gateways([...sets, "values.gateways.istio-ingressgateway.runAsRoot=true"])).not.toThrow();
  });

  it("values.gateways.<x>.enabled=true turns every listed instance on, false turns none off", () => {
    expect(gateways(["values.gateways.istio-egressgateway.enabled=true"]).components.map((c) => c.component)).toEqual([
      "ingress",
      "egress",
    ]);
    expect(gateways(["values.gateways.istio-ingressgateway.enabled=false"]).components.map((c) => c.component)).toEqual(["ingress"]);
  });

  it("renders a second ingress gateway in its own namespace with its own labels and image tag", () => {
    const overlay = {
      path: "two.yaml",
      text: [
        "spec:",
        "  components:",
        "    ingressGateways:",
        "    - name: istio-ingressgateway",
        "      enabled: true",
        "    - name: internal-gw",
        "      namespace: edge",
        "      tag: 1.30.2",
        "      label:",
        "        istio: internal",
        "",
      ].join("\n"),
    };
    const manifest = gateways([], [overlay]);
    expect(manifest.components.map((c) => c.gatewayName)).toEqual(["istio-ingressgateway", "internal-gw"]);
    const internal = manifest.components[1]!.objects;
    const deployment = find(internal, "Deployment", "internal-gw");
    expect(deployment.metadata.namespace).toBe("edge");
    expect(deployment.spec.selector.matchLabels).toEqual({ app: "istio-ingressgateway", istio: "internal" });
    expect(deployment.spec.template.spec.containers[0].image).toBe("docker.io/istio/proxyv2:1.30.2");
    expect(deployment.spec.template.metadata.labels).not.toHaveProperty("heritage");
  });

  describe("Deployment and Service knobs of the gateway charts", () => {
    const ingressDeployment = (sets: string[]) => find(objectsOf(sets), "Deployment", "istio-ingressgateway");
    const egressDeployment = (sets: string[]) =>
      find(
        objectsOf(["components.egressGateways[0].name=istio-egressgateway", "components.egressGateways[0].enabled=true", ...sets]),
        "Deployment",
        "istio-egressgateway",
      );
    const mounts = (deployment: any) => deployment.spec.template.spec.containers[0].volumeMounts.map((mount: any) => mount.name);
    const volumes = (deployment: any) => deployment.spec.template.spec.volumes.map((volume: any) => volume.name);

    it("runAsRoot drops the restricted security contexts and the unprivileged-pod env", () => {
      for (const [deployment, key] of [
        [ingressDeployment, "istio-ingressgateway"],
        [egressDeployment, "istio-egressgateway"],
      ] as const) {
        const rooted = deployment([`values.gateways.${key}.runAsRoot=true`]);
        const proxy = rooted.spec.template.spec.containers[0];
        expect(rooted.spec.template.spec.securityContext).toBeUndefined();
        expect(proxy.securityContext).toBeUndefined();
        expect(proxy.env.map((entry: any) => entry.name)).not.toContain("ISTIO_META_UNPRIVILEGED_POD");
        const plain = deployment([]).spec.template.spec.containers[0];
        expect(plain.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
        expect(plain.env).toContainEqual({ name: "ISTIO_META_UNPRIVILEGED_POD", value: "true" });
      }
    });

    it("configVolumes mount ConfigMaps read-only (only those with a mountPath) and additionalContainers follow istio-proxy", () => {
      const deployment = egressDeployment([
        "values.gateways.istio-egressgateway.configVolumes[0].name=extra",
        "values.gateways.istio-egressgateway.configVolumes[0].configMapName=extra-cm",
        "values.gateways.istio-egressgateway.configVolumes[0].mountPath=/etc/extra",
        "values.gateways.istio-egressgateway.configVolumes[1].name=unmounted",
        "values.gateways.istio-egressgateway.configVolumes[1].configMapName=other-cm",
        "values.gateways.istio-egressgateway.additionalContainers[0].name=helper",
        "values.gateways.istio-egressgateway.additionalContainers[0].image=busybox",
      ]);
      const pod = deployment.spec.template.spec;
      expect(pod.containers.map((container: any) => container.name)).toEqual(["istio-proxy", "helper"]);
      expect(pod.containers[1]).toEqual({ name: "helper", image: "busybox" });
      expect(pod.containers[0].volumeMounts.at(-1)).toEqual({ name: "extra", mountPath: "/etc/extra", readOnly: true });
      expect(mounts(deployment)).not.toContain("unmounted");
      expect(pod.volumes.slice(-2)).toEqual([
        { name: "extra", configMap: { name: "extra-cm", optional: true } },
        { name: "unmounted", configMap: { name: "other-cm", optional: true } },
      ]);
    });

    it("ingressPorts add name/port entries after the ingress Service's ports", () => {
      const service = find(
        objectsOf([
          "values.gateways.istio-ingressgateway.ingressPorts[0].port=8081",
          "values.gateways.istio-ingressgateway.ingressPorts[0].name=extra",
        ]),
        "Service",
        "istio-ingressgateway",
      );
      expect(service.spec.ports.at(-1)).toEqual({ port: 8081, name: "extra" });
      expect(service.spec.ports).toHaveLength(4);
    });

    it("global.mountMtlsCerts mounts the gateway's istio.<gateway>-service-account secret at /etc/certs", () => {
      const deployment = ingressDeployment(["values.global.mountMtlsCerts=true"]);
      expect(deployment.spec.template.spec.containers[0].volumeMounts).toContainEqual({
        name: "istio-certs",
        mountPath: "/etc/certs",
        readOnly: true,
      });
      expect(deployment.spec.template.spec.volumes).toContainEqual({
        name: "istio-certs",
        secret: { secretName: "istio.istio-ingressgateway-service-account", optional: true },
      });
      expect(mounts(ingressDeployment([]))).not.toContain("istio-certs");
    });

    it("mounts istiod's root certificate only with the istiod cert provider, as a ClusterTrustBundle when istiod publishes one", () => {
      expect(mounts(ingressDeployment(["values.global.pilotCertProvider=custom"]))).not.toContain("istiod-ca-cert");
      expect(volumes(ingressDeployment(["values.global.pilotCertProvider=custom"]))).not.toContain("istiod-ca-cert");
      const bundle = ingressDeployment(["values.pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API=true"]);
      expect(bundle.spec.template.spec.volumes).toContainEqual({
        name: "istiod-ca-cert",
        projected: { sources: [{ clusterTrustBundle: { name: "istio.io:istiod-ca:root-cert", path: "root-cert.pem" } }] },
      });
    });

    it("values.ownerName becomes the owning-resource label of every gateway object", () => {
      for (const object of objectsOf(["values.ownerName=my-iop"]))
        expect(object.metadata.labels?.["install.operator.istio.io/owning-resource"]).toBe("my-iop");
      expect(
        ingressDeployment(["values.ownerName=my-iop"]).spec.template.metadata.labels["install.operator.istio.io/owning-resource"],
      ).toBe("my-iop");
    });
  });

  it("takes the canonical revision from a version label, and the image variant from global.proxy.variant first", () => {
    const deployment = find(
      objectsOf(["components.ingressGateways[0].name=istio-ingressgateway", "components.ingressGateways[0].label.version=v2"]),
      "Deployment",
      "istio-ingressgateway",
    );
    expect(deployment.spec.template.metadata.labels["service.istio.io/canonical-revision"]).toBe("v2");
    const variant = find(
      objectsOf(["unvalidatedValues.global.proxy.variant=debug", "values.global.variant=distroless"]),
      "Deployment",
      "istio-ingressgateway",
    );
    expect(variant.spec.template.spec.containers[0].image).toBe("docker.io/istio/proxyv2:1.30.3-debug");
  });

  it("does not render values.gateways.istio-ingressgateway.externalIPs, which the chart ignores", () => {
    // istioctl's values schema refuses the field; only unvalidatedValues can hand it to the chart.
    const service = find(
      objectsOf(["unvalidatedValues.gateways.istio-ingressgateway.externalIPs[0]=192.0.2.10"]),
      "Service",
      "istio-ingressgateway",
    );
    expect(service.spec).not.toHaveProperty("externalIPs");
  });
});
