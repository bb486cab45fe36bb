import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { run as buildSchemaBundles } from "../../../src/build/steps/10-schemas.js";
import { buildGatewayBundle, buildUngatedBundle } from "../../../src/core/schemas/bundle.js";
import { createSchemaLoader, type SchemaVariant } from "../../../src/core/schemas/index.js";
import { readSchemaSources } from "../../../src/core/schemas/sources.js";
import { bundleDirectoryStore } from "../../../src/core/schemas/store.js";

const fixtureSources = fileURLToPath(new URL("./fixtures/schemas/", import.meta.url));
const loader = createSchemaLoader({ sourceDirectory: fixtureSources });

const v121std: SchemaVariant = { gatewayApiVersion: "v1.2.1", channel: "standard" };
const v121exp: SchemaVariant = { gatewayApiVersion: "v1.2.1", channel: "experimental" };
const v151std: SchemaVariant = { gatewayApiVersion: "v1.5.1", channel: "standard" };
const v151exp: SchemaVariant = { gatewayApiVersion: "v1.5.1", channel: "experimental" };

describe("schemaCatalog", () => {
  it("defaults to Gateway API v1.5.1 standard", () => {
    expect(loader.schemaCatalog().variant).toEqual(v151std);
    expect(loader.schemaCatalog().lookup("gateway.networking.k8s.io/v1beta1", "Widget")?.served).toBe(false);
  });

  it.each([
    [v121std, { v1: true, v1beta1: true }],
    [v121exp, { v1: true, v1beta1: true, v1alpha2: true }],
    [v151std, { v1: true, v1beta1: false }],
    [v151exp, { v1: true, v1beta1: true }],
  ])("lists in %o the versions and their served flags %o", (variant, expected) => {
    const versions = loader.schemaCatalog(variant).versionsOf("gateway.networking.k8s.io", "Widget");
    expect(Object.fromEntries(versions.map((version) => [version.version, version.served]))).toEqual(expected);
    expect(versions.filter((version) => version.storage).map((version) => version.version)).toEqual(["v1"]);
  });

  it("marks per-variant deprecation", () => {
    expect(loader.schemaCatalog(v151exp).lookup("gateway.networking.k8s.io/v1beta1", "Widget")?.deprecated).toBe(true);
    expect(loader.schemaCatalog(v121exp).lookup("gateway.networking.k8s.io/v1beta1", "Widget")?.deprecated).toBe(false);
  });

  it("returns undefined for a kind or version absent from the variant", () => {
    expect(loader.schemaCatalog(v151std).lookup("gateway.networking.k8s.io/v1alpha2", "Widget")).toBeUndefined();
    expect(loader.schemaCatalog(v151std).lookup("gateway.networking.k8s.io/v1alpha1", "Gadget")).toBeUndefined();
    expect(loader.schemaCatalog(v151exp).lookup("gateway.networking.k8s.io/v1alpha1", "Gadget")?.scope).toBe("Cluster");
    expect(loader.schemaCatalog(v151std).lookup("example.istio.io/v1", "Widget")).toBeUndefined();
  });

  it("shares one schema between a version and the version it takes its schema from", () => {
    const catalog = loader.schemaCatalog(v151std);
    const v1 = catalog.lookup("gateway.networking.k8s.io/v1", "Widget")!;
    const v1beta1 = catalog.lookup("gateway.networking.k8s.io/v1beta1", "Widget")!;
    expect(v1beta1.openAPIV3Schema).toBe(v1.openAPIV3Schema);
  });

  it("resolves the schema for the variant: fields, enums, rules and fragment contents", () => {
    const spec = (variant: SchemaVariant) =>
      loader.schemaCatalog(variant).lookup("gateway.networking.k8s.io/v1", "Widget")!.openAPIV3Schema.properties!.spec!;
    expect(spec(v121std).required).toEqual(["mode"]);
    expect(spec(v151exp).required).toEqual(["mode", "preview"]);
    expect(spec(v121std).properties!.mode!.enum).toEqual(["Fast", "Slow"]);
    expect(spec(v121exp).properties!.mode!.enum).toEqual(["Fast", "Slow", "Turbo"]);
    expect(spec(v121std).properties!.target!.properties!.weight).toBeUndefined();
    expect(spec(v151std).properties!.target!.properties!.weight).toEqual({ type: "integer", default: 1 });
    expect(spec(v121std).properties!.target!["x-kubernetes-validations"]).toHaveLength(1);
    expect(spec(v151std).properties!.target!["x-kubernetes-validations"]).toHaveLength(2);
    expect(spec(v151std).properties!.others!.maxItems).toBe(4);
    expect(spec(v151exp).properties!.others!.maxItems).toBeUndefined();
    expect(spec(v151std).properties!.others!.items!.required).toEqual(["name"]);
    expect(spec(v151std).properties!.target!.properties!.port).toEqual({ type: "integer", format: "int32", minimum: 1, maximum: 65535 });
  });

  it("serves the ungated (Istio) kinds identically in every variant", () => {
    const schemas = [v121std, v121exp, v151std, v151exp].map(
      (variant) => loader.schemaCatalog(variant).lookup("example.istio.io/v1beta1", "Thing")!,
    );
    for (const schema of schemas) {
      expect(schema).toMatchObject({ served: true, storage: false, deprecated: true, deprecationWarning: "use v1" });
      expect(schema.openAPIV3Schema).toEqual(schemas[0]!.openAPIV3Schema);
    }
    expect(schemas[0]!.openAPIV3Schema.properties!.spec!.properties!.selector).toEqual({
      type: "object",
      additionalProperties: { type: "string" },
    });
  });

  it("names the other variants that serve a kind/version", () => {
    expect(loader.schemaCatalog(v151std).whereElse("gateway.networking.k8s.io/v1alpha1", "Gadget")).toEqual([v151exp]);
    expect(loader.schemaCatalog(v151std).whereElse("gateway.networking.k8s.io/v1alpha2", "Widget")).toEqual([v121exp]);
    expect(loader.schemaCatalog(v151std).whereElse("gateway.networking.k8s.io/v1beta1", "Widget")).toEqual([v121std, v121exp, v151exp]);
    expect(loader.schemaCatalog(v151std).whereElse("gateway.networking.k8s.io/v9", "Widget")).toEqual([]);
  });

  it("leaves no x-mesh key in any resolved schema", () => {
    for (const variant of [v121std, v121exp, v151std, v151exp]) {
      expect(JSON.stringify(loader.schemaCatalog(variant).all())).not.toContain("x-mesh-");
    }
  });
});

describe("prebuilt bundles (dist/schemas)", () => {
  const bundleDirectory = mkdtempSync(join(tmpdir(), "mesh-schemas-"));
  afterAll(() => rmSync(bundleDirectory, { recursive: true, force: true }));

  it("serve the same catalog as the YAML sources", async () => {
    await buildSchemaBundles({ sourceDirectory: fixtureSources, bundleDirectory });
    const prebuilt = createSchemaLoader({ bundleDirectory });
    for (const variant of [v121std, v121exp, v151std, v151exp]) {
      expect(prebuilt.schemaCatalog(variant).all()).toEqual(loader.schemaCatalog(variant).all());
      expect(prebuilt.customResourceDefinitions(["gateway.networking.k8s.io"], variant)).toEqual(
        loader.customResourceDefinitions(["gateway.networking.k8s.io"], variant),
      );
    }
    expect(prebuilt.schemaCatalog(v151std).whereElse("gateway.networking.k8s.io/v1alpha1", "Gadget")).toEqual([v151exp]);
  });

  it("read one kind's file per kind looked up, give the same answers and objects as the whole bundle, and no file for other names", async () => {
    await buildSchemaBundles({ sourceDirectory: fixtureSources, bundleDirectory });
    const store = bundleDirectoryStore(bundleDirectory);
    const reads: string[] = [];
    const counting = createSchemaLoader({
      store: {
        ...store,
        gatewayBundle(variant) {
          reads.push("gateway bundle");
          return store.gatewayBundle(variant);
        },
        ungatedBundle() {
          reads.push("istio bundle");
          return store.ungatedBundle();
        },
        bundleKind(file, group, kind) {
          const resolved = store.bundleKind!(file, group, kind);
          reads.push(`${group}/${kind}: ${resolved ? "found" : String(resolved)}`);
          return resolved;
        },
      },
    });
    for (const variant of [v121std, v151exp]) {
      const catalog = counting.schemaCatalog(variant);
      const whole = loader.schemaCatalog(variant);
      reads.length = 0;
      const widget = catalog.lookup("gateway.networking.k8s.io/v1", "Widget");
      expect(widget).toEqual(whole.lookup("gateway.networking.k8s.io/v1", "Widget"));
      expect(catalog.versionsOf("gateway.networking.k8s.io", "Widget")).toEqual(whole.versionsOf("gateway.networking.k8s.io", "Widget"));
      expect(catalog.lookup("gateway.networking.k8s.io/v1", "widget")).toBeUndefined();
      expect(catalog.lookup("../../v1", "Widget")).toBeUndefined();
      expect(catalog.lookup("example.istio.io/v1", "Thing")).toEqual(whole.lookup("example.istio.io/v1", "Thing"));
      expect(reads).toEqual([
        "gateway.networking.k8s.io/Widget: found",
        "gateway.networking.k8s.io/widget: null",
        "../Widget: null",
        "example.istio.io/Thing: found",
      ]);
      // The whole bundle, read later, keeps the objects handed out already.
      expect(catalog.all()).toContain(widget);
      expect(catalog.all()).toEqual(whole.all());
    }
  });
});

describe("bundle loading", () => {
  it("reads the Istio bundle only when an Istio kind is asked for, and the Gateway API bundle likewise", () => {
    const fixtureGroups = readSchemaSources(fixtureSources);
    const reads: string[] = [];
    const counting = createSchemaLoader({
      store: {
        gatewayBundle(variant) {
          reads.push("gateway");
          return buildGatewayBundle(fixtureGroups, variant);
        },
        ungatedBundle() {
          reads.push("istio");
          return buildUngatedBundle(fixtureGroups);
        },
        availability: () => ({ format: 1, variants: [] }),
      },
    });
    const catalog = counting.schemaCatalog(v151std);
    expect(catalog.lookup("gateway.networking.k8s.io/v1", "Widget")).toBeDefined();
    expect(reads).toEqual(["gateway"]);
    expect(catalog.lookup("example.istio.io/v1", "Thing")).toBeDefined();
    expect(reads).toEqual(["gateway", "istio"]);
    catalog.all();
    expect(reads).toEqual(["gateway", "istio"]);
  });
});
