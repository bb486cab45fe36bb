import { describe, expect, it } from "vitest";
import { runMesh } from "./run-mesh.js";

const kinds = (yaml: string) => [...yaml.matchAll(/^kind: (\S+)$/gm)].map((match) => match[1]);

describe("mesh manifest generate --set profile=ambient", () => {
  it("renders the 44 objects of base, istiod, CNI and ztunnel, the same bytes every run", async () => {
    const first = await runMesh(["manifest", "generate", "--set", "profile=ambient"]);
    expect(first).toMatchObject({ exitCode: 0, stderr: "" });
    expect(kinds(first.stdout)).toHaveLength(44);
    expect(first.stdout).toContain("image: docker.io/istio/install-cni:1.30.3-distroless");
    expect(first.stdout).toContain("image: docker.io/istio/ztunnel:1.30.3-distroless");
    expect((await runMesh(["manifest", "generate", "--set", "profile=ambient"])).stdout).toBe(first.stdout);
  });

  it("renders only the node agents with --component cni --component ztunnel", async () => {
    const result = await runMesh(["manifest", "generate", "--set", "profile=ambient", "--component", "cni", "--component", "ztunnel"]);
    expect(result.exitCode).toBe(0);
    expect(kinds(result.stdout)).toEqual([
      "ServiceAccount",
      "ServiceAccount",
      "ClusterRole",
      "ClusterRole",
      "ClusterRole",
      "ClusterRoleBinding",
      "ClusterRoleBinding",
      "ClusterRoleBinding",
      "ConfigMap",
      "DaemonSet",
      "DaemonSet",
    ]);
  });

  it("renders values.cni.provider=multus with the NetworkAttachmentDefinition in namespace default", async () => {
    const result = await runMesh(["manifest", "generate", "--set", "profile=ambient", "--set", "values.cni.provider=multus", "-o", "json"]);
    expect(result.exitCode).toBe(0);
    const attachments = JSON.parse(result.stdout).items.filter((object: any) => object.kind === "NetworkAttachmentDefinition");
    expect(attachments.map((object: any) => `${object.metadata.namespace}/${object.metadata.name}`)).toEqual(["default/istio-cni"]);
    expect(attachments[0].metadata.labels["operator.istio.io/component"]).toBe("Cni");
  });

  it("renders the OpenShift CNI platform (it used to be refused), as the openshift-ambient profile does", async () => {
    for (const sets of [["profile=ambient", "values.global.platform=openshift"], ["profile=openshift-ambient"]]) {
      const result = await runMesh(["manifest", "generate", ...sets.flatMap((set) => ["--set", set]), "-o", "json"]);
      expect(result.exitCode).toBe(0);
      const items = JSON.parse(result.stdout).items;
      const config = items.find((object: any) => object.kind === "ConfigMap" && object.metadata.name === "istio-cni-config");
      expect(config.data).toMatchObject({ CHAINED_CNI_PLUGIN: "false", CNI_CONF_NAME: "istio-cni.conf" });
      expect(items.some((object: any) => object.kind === "NetworkAttachmentDefinition")).toBe(true);
    }
  });
});
