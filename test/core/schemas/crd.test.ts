import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createSchemaLoader } from "../../../src/core/schemas/index.js";

const loader = createSchemaLoader({ sourceDirectory: fileURLToPath(new URL("./fixtures/schemas/", import.meta.url)) });

describe("customResourceDefinitions", () => {
  it("builds an apiextensions.k8s.io/v1 CRD with names, scope, labels and annotations from crd.yaml", () => {
    const [thing, ...rest] = loader.customResourceDefinitions(["example.istio.io"]);
    expect(rest).toEqual([]);
    expect(thing).toMatchObject({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "things.example.istio.io", labels: { app: "istio-pilot" }, annotations: { "helm.sh/resource-policy": "keep" } },
      spec: {
        group: "example.istio.io",
        names: { categories: ["istio-io"], kind: "Thing", listKind: "ThingList", plural: "things", shortNames: ["th"], singular: "thing" },
        scope: "Namespaced",
      },
    });
  });

  it("lists every version with served, storage, deprecation, schema and subresources", () => {
    const [thing] = loader.customResourceDefinitions(["example.istio.io"]);
    const versions = (thing!.spec as { versions: Record<string, unknown>[] }).versions;
    expect(versions.map((version) => [version.name, version.served, version.storage, version.deprecated])).toEqual([
      ["v1", true, true, undefined],
      ["v1beta1", true, false, true],
    ]);
    expect(versions[1]!.deprecationWarning).toBe("use v1");
    expect(versions[1]!.schema).toEqual(versions[0]!.schema);
    expect(versions[1]!.subresources).toEqual({ status: {} });
    expect(versions[0]!.schema).toMatchObject({ openAPIV3Schema: { type: "object" } });
  });

  it("returns only the requested groups and only kinds present in the variant", () => {
    const standard = loader.customResourceDefinitions(["gateway.networking.k8s.io"], { gatewayApiVersion: "v1.5.1", channel: "standard" });
    const experimental = loader.customResourceDefinitions(["gateway.networking.k8s.io"], {
      gatewayApiVersion: "v1.5.1",
      channel: "experimental",
    });
    expect(standard.map((crd) => crd.metadata.name)).toEqual(["widgets.gateway.networking.k8s.io"]);
    expect(experimental.map((crd) => crd.metadata.name)).toEqual(["gadgets.gateway.networking.k8s.io", "widgets.gateway.networking.k8s.io"]);
    expect(experimental[0]!.spec).toMatchObject({ scope: "Cluster" });
  });

  it("stamps Gateway API CRDs with their bundle version and channel and keeps no x-mesh key", () => {
    const [widget] = loader.customResourceDefinitions(["gateway.networking.k8s.io"], { gatewayApiVersion: "v1.2.1", channel: "experimental" });
    expect(widget!.metadata.annotations).toEqual({
      "gateway.networking.k8s.io/bundle-version": "v1.2.1",
      "gateway.networking.k8s.io/channel": "experimental",
    });
    expect(JSON.stringify(widget)).not.toContain("x-mesh-");
    const versions = (widget!.spec as { versions: { name: string; additionalPrinterColumns?: unknown; subresources?: unknown }[] }).versions;
    expect(versions.map((version) => version.name)).toEqual(["v1", "v1beta1", "v1alpha2"]);
    expect(versions[0]!.additionalPrinterColumns).toEqual([{ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" }]);
    // a version sharing another's schema (schemaFrom) inherits its printer columns unless it declares its own
    expect(versions[1]!.additionalPrinterColumns).toEqual(versions[0]!.additionalPrinterColumns);
    expect(versions[2]!.subresources).toEqual({});
  });

  it("hands out copies: editing a generated CRD does not change the catalog", () => {
    const [thing] = loader.customResourceDefinitions(["example.istio.io"]);
    (thing!.spec as { versions: { schema: { openAPIV3Schema: { type: string } } }[] }).versions[0]!.schema.openAPIV3Schema.type = "x";
    expect(loader.schemaCatalog().lookup("example.istio.io/v1", "Thing")!.openAPIV3Schema.type).toBe("object");
  });
});
