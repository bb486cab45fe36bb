import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateManifest, manifestYaml, sortObjects } from "../../../src/core/render/index.js";

// Reviewed object by object against docs/design/install.md (§2.3, §2.4, §7.5, §8, §9); refreshed only with REFRESH_GOLDEN=1.
// CRD specs are elided as in golden.test.ts: they come from schemas/.
const golden = new URL("../../golden/manifest/ambient.yaml", import.meta.url);
const ambient = () => generateManifest({ files: [], sets: ["profile=ambient"] });

describe("the ambient profile", () => {
  it("renders 44 objects: base 16, istiod 17, CNI 9, ztunnel 2, in install order", () => {
    expect(ambient().components.map((component) => [component.component, component.displayName, component.objects.length])).toEqual([
      ["base", "Istio core", 16],
      ["istiod", "Istiod", 17],
      ["cni", "CNI", 9],
      ["ztunnel", "Ztunnel", 2],
    ]);
  });

  it("uses distroless images and turns ambient on in istiod", () => {
    const objects = ambient().components.flatMap((component) => component.objects) as any[];
    const images = objects
      .filter((object) => object.kind === "Deployment" || object.kind === "DaemonSet")
      .map((object) => object.spec.template.spec.containers[0].image)
      .sort();
    expect(images).toEqual([
      "docker.io/istio/install-cni:1.30.3-distroless",
      "docker.io/istio/pilot:1.30.3-distroless",
      "docker.io/istio/ztunnel:1.30.3-distroless",
    ]);
    const istiod = objects.find((object) => object.kind === "Deployment" && object.metadata.name === "istiod");
    expect(istiod.spec.template.spec.containers[0].env).toContainEqual({ name: "PILOT_ENABLE_AMBIENT", value: "true" });
  });

  it("--component cni and --component ztunnel render only those", () => {
    const only = generateManifest({ files: [], sets: ["profile=ambient"], components: ["cni", "ztunnel"] });
    expect(only.components.map((component) => component.component)).toEqual(["cni", "ztunnel"]);
  });

  it("matches its reviewed golden file", () => {
    const objects = sortObjects(ambient().components.flatMap((component) => component.objects)).map((object) =>
      object.kind === "CustomResourceDefinition"
        ? { apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata, spec: "(elided: generated from schemas/)" }
        : object,
    );
    const text = manifestYaml(objects);
    if (process.env.REFRESH_GOLDEN === "1" || !existsSync(golden)) {
      if (process.env.REFRESH_GOLDEN !== "1") throw new Error(`missing golden ${golden.pathname}; run with REFRESH_GOLDEN=1 and review it`);
      mkdirSync(new URL(".", golden), { recursive: true });
      writeFileSync(golden, text);
    }
    expect(text).toBe(readFileSync(golden, "utf8"));
  });
});
