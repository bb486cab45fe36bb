import { describe, expect, it } from "vitest";
import { generateManifest } from "../../../src/core/render/index.js";
import { releaseCrds } from "../../../src/core/render/release-crds.js";
import { fixtureCrdYaml, fixtureDescription } from "../../cli/release-fixture.js";
import { inputErrorOf } from "../../support/input-error.js";

const chart = (version: string) => `apiVersion: v2\nname: base\nversion: ${version}\n`;
const files = (version = "1.30.3", crdYaml = fixtureCrdYaml()) => ({ source: "rel", chartYaml: chart(version), crdYaml });

describe("releaseCrds", () => {
  it("reads the release's CRDs as written, descriptions included", () => {
    const crds = releaseCrds(files());
    expect(crds.map((crd) => crd.metadata.name)).toEqual(["wasmplugins.extensions.istio.io", "sidecars.networking.istio.io"]);
    expect(JSON.stringify(crds[0])).toContain(fixtureDescription);
  });

  it.each(["1.30.0", "1.30.3", "1.30.10"])("accepts a %s release", (version) => {
    expect(releaseCrds(files(version))).toHaveLength(2);
  });

  it.each(["1.29.2", "1.31.0", "1.3.0"])("refuses a %s release, naming the version", (version) => {
    expect(inputErrorOf(() => releaseCrds(files(version))).message).toBe(
      `rel: Istio ${version} (from charts/base/Chart.yaml); mesh installs Istio 1.30.3 and takes CRDs only from an Istio 1.30.x release`,
    );
  });

  it("refuses a source checkout's charts (version 1.0.0) with a hint", () => {
    expect(inputErrorOf(() => releaseCrds(files("1.0.0"))).hint).toContain("source checkout");
  });

  it("refuses a CRD file that holds something else", () => {
    const other = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n";
    expect(inputErrorOf(() => releaseCrds(files("1.30.3", other))).message).toContain(
      "holds ConfigMap x, not an Istio CustomResourceDefinition",
    );
    const foreign = fixtureCrdYaml().replace(/networking\.istio\.io/g, "example.com");
    expect(inputErrorOf(() => releaseCrds(files("1.30.3", foreign))).message).toContain("sidecars.example.com");
  });

  it("refuses an empty CRD file and a Chart.yaml without a version", () => {
    expect(inputErrorOf(() => releaseCrds(files("1.30.3", ""))).message).toContain("has no CustomResourceDefinitions");
    expect(inputErrorOf(() => releaseCrds({ source: "rel", chartYaml: "name: base\n", crdYaml: fixtureCrdYaml() })).message).toContain(
      "has no version",
    );
  });
});

describe("manifest generate with a release's CRDs", () => {
  const generate = (sets: string[] = []) => generateManifest({ files: [], sets, releaseCrds: releaseCrds(files()) });
  const crdsOf = (sets: string[] = []) =>
    generate(sets)
      .components.flatMap((component) => component.objects)
      .filter((object) => object.kind === "CustomResourceDefinition");

  it("installs the release's CRDs instead of mesh's, with the chart's labels and their descriptions", () => {
    const crds = crdsOf();
    expect(crds.map((crd) => crd.metadata.name).sort()).toEqual(["sidecars.networking.istio.io", "wasmplugins.extensions.istio.io"]);
    expect(crds[0]!.metadata.labels).toMatchObject({ "app.kubernetes.io/managed-by": "Helm", "helm.sh/chart": "base-1.30.3" });
    expect(crds[0]!.metadata.labels).not.toHaveProperty("heritage");
    expect(crds[0]!.metadata.annotations).toEqual({ "helm.sh/resource-policy": "keep" });
    expect(JSON.stringify(crds)).toContain(fixtureDescription);
  });

  it("applies values.base.excludedCRDs and keeps the file's own labels with enableCRDTemplates=false", () => {
    expect(crdsOf(["values.base.excludedCRDs[0]=sidecars.networking.istio.io"]).map((crd) => crd.metadata.name)).toEqual([
      "wasmplugins.extensions.istio.io",
    ]);
    const legacy = crdsOf(["values.base.enableCRDTemplates=false"]);
    expect(legacy[0]!.metadata.labels).toEqual({ app: "istio-pilot", chart: "istio", heritage: "Tiller", release: "istio" });
  });

  it("does not change the release objects it was given", () => {
    const given = releaseCrds(files());
    generateManifest({ files: [], sets: [], releaseCrds: given });
    expect(given[0]!.metadata.labels).toHaveProperty("heritage", "Tiller");
  });
});
