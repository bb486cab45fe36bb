import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { run as buildSchemaBundles } from "../../../src/build/steps/10-schemas.js";
import { createSchemaLoader, GATEWAY_API_GROUPS, type SchemaVariant } from "../../../src/core/schemas/index.js";
import { scalarText } from "../../../src/core/json.js";

/** The project's own schemas/, resolved from YAML: what every Gateway API variant serves. */
const sourceDirectory = fileURLToPath(new URL("../../../schemas/", import.meta.url));
const loader = createSchemaLoader({ sourceDirectory });

const v121std: SchemaVariant = { gatewayApiVersion: "v1.2.1", channel: "standard" };
const v121exp: SchemaVariant = { gatewayApiVersion: "v1.2.1", channel: "experimental" };
const v151std: SchemaVariant = { gatewayApiVersion: "v1.5.1", channel: "standard" };
const v151exp: SchemaVariant = { gatewayApiVersion: "v1.5.1", channel: "experimental" };
const variants = [v121std, v121exp, v151std, v151exp];

/** `v1*` storage, `(unserved)`, `(deprecated)`; "—" when the kind is absent (docs/design/validation.md §2.1). */
function servedVersions(variant: SchemaVariant, group: string, kind: string): string {
  const versions = loader.schemaCatalog(variant).versionsOf(group, kind);
  if (versions.length === 0) return "—";
  return versions
    .map((v) => `${v.version}${v.storage ? "*" : ""}${v.served ? "" : "(unserved)"}${v.deprecated ? "(deprecated)" : ""}`)
    .join(" ");
}

const gw = "gateway.networking.k8s.io";
const xgw = "gateway.networking.x-k8s.io";

describe("Gateway API kinds and versions per bundle variant", () => {
  it.each([
    [gw, "GatewayClass", "v1* v1beta1", "v1* v1beta1", "v1* v1beta1", "v1* v1beta1"],
    [gw, "Gateway", "v1* v1beta1", "v1* v1beta1", "v1* v1beta1", "v1* v1beta1"],
    [gw, "HTTPRoute", "v1* v1beta1", "v1* v1beta1", "v1* v1beta1", "v1* v1beta1"],
    [gw, "GRPCRoute", "v1*", "v1*", "v1*", "v1*"],
    [gw, "ReferenceGrant", "v1beta1*", "v1beta1*", "v1 v1beta1*", "v1 v1beta1*"],
    [
      gw,
      "TLSRoute",
      "—",
      "v1alpha2*",
      "v1* v1alpha2(unserved)(deprecated) v1alpha3(unserved)(deprecated)",
      "v1* v1alpha2(deprecated) v1alpha3(deprecated)",
    ],
    [gw, "TCPRoute", "—", "v1alpha2*", "—", "v1alpha2*"],
    [gw, "UDPRoute", "—", "v1alpha2*", "—", "v1alpha2*"],
    [gw, "BackendTLSPolicy", "—", "v1alpha3*", "v1* v1alpha3(unserved)(deprecated)", "v1* v1alpha3(deprecated)"],
    [gw, "BackendLBPolicy", "—", "v1alpha2*", "—", "—"],
    [gw, "ListenerSet", "—", "—", "v1*", "v1*"],
    [xgw, "XBackendTrafficPolicy", "—", "—", "—", "v1alpha1*"],
    [xgw, "XMesh", "—", "—", "—", "v1alpha1*"],
  ])("%s %s: v1.2.1 standard %s, experimental %s; v1.5.1 standard %s, experimental %s", (group, kind, ...expected) => {
    expect(variants.map((variant) => servedVersions(variant, group, kind))).toEqual(expected);
  });

  it("names where an unserved kind/version is served instead", () => {
    expect(loader.schemaCatalog(v151std).whereElse(`${gw}/v1alpha2`, "TCPRoute")).toEqual([v121exp, v151exp]);
    expect(loader.schemaCatalog(v151std).whereElse(`${gw}/v1alpha2`, "TLSRoute")).toEqual([v121exp, v151exp]);
    expect(loader.schemaCatalog(v121std).whereElse(`${gw}/v1`, "ListenerSet")).toEqual([v151std, v151exp]);
  });
});

describe("variant-dependent schema facts", () => {
  const spec = (variant: SchemaVariant, kind: string, version = "v1") =>
    loader.schemaCatalog(variant).lookup(`${gw}/${version}`, kind)!.openAPIV3Schema.properties!.spec!;

  it("restricts header values to printable ASCII only in v1.5.1 experimental", () => {
    const headerValue = (variant: SchemaVariant) =>
      spec(variant, "HTTPRoute").properties!.rules!.items!.properties!.matches!.items!.properties!.headers!.items!.properties!.value!;
    expect(variants.map((variant) => headerValue(variant).pattern)).toEqual([undefined, undefined, undefined, "^[!-~]+([\\t ]?[!-~]+)*$"]);
  });

  it("checks parentRef uniqueness by sectionName in standard and by sectionName and port in experimental", () => {
    const messages = (variant: SchemaVariant) =>
      spec(variant, "HTTPRoute").properties!.parentRefs!["x-kubernetes-validations"]!.map((rule) => rule.message);
    expect(messages(v151std)).toEqual([
      "sectionName must be specified when parentRefs includes 2 or more references to the same parent",
      "sectionName must be unique when parentRefs includes 2 or more references to the same parent",
    ]);
    expect(messages(v121exp)).toEqual([
      "sectionName or port must be specified when parentRefs includes 2 or more references to the same parent",
      "sectionName or port must be unique when parentRefs includes 2 or more references to the same parent",
    ]);
  });

  it("exposes the parentRef namespace to CEL as __namespace__", () => {
    const rules = spec(v151std, "GRPCRoute").properties!.parentRefs!["x-kubernetes-validations"]!;
    expect(rules.every((rule) => rule.rule.includes("p1.__namespace__"))).toBe(true);
  });

  it("defaults what CEL rules rely on: backendRef group/kind, route rules and matches, listener TLS mode", () => {
    const rules = spec(v151std, "HTTPRoute").properties!.rules!;
    expect(rules.default).toEqual([{ matches: [{ path: { type: "PathPrefix", value: "/" } }] }]);
    const backendRef = rules.items!.properties!.backendRefs!.items!.properties!;
    expect([backendRef.group!.default, backendRef.kind!.default, backendRef.weight!.default]).toEqual(["", "Service", 1]);
    const listener = spec(v151std, "Gateway").properties!.listeners!.items!.properties!;
    expect(listener.tls!.properties!.mode!.default).toBe("Terminate");
  });

  it("keys Gateway listeners by name (list-map) and requires 1 to 64 of them", () => {
    const listeners = spec(v121std, "Gateway").properties!.listeners!;
    expect(listeners).toMatchObject({ minItems: 1, maxItems: 64, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"] });
  });

  it("allows 303/307/308 redirects only after v1.2.1", () => {
    const statusCode = (variant: SchemaVariant) =>
      spec(variant, "HTTPRoute").properties!.rules!.items!.properties!.filters!.items!.properties!.requestRedirect!.properties!.statusCode!
        .enum;
    expect(statusCode(v121exp)).toEqual([301, 302]);
    expect(statusCode(v151std)).toEqual([301, 302, 303, 307, 308]);
  });
});

describe("generated Gateway API CRDs", () => {
  it.each(variants)("are complete apiextensions.k8s.io/v1 objects in %o", (variant) => {
    const crds = loader.customResourceDefinitions([...GATEWAY_API_GROUPS], variant);
    expect(crds.length).toBeGreaterThan(0);
    for (const crd of crds) {
      const spec = crd.spec as {
        group: string;
        names: { plural: string; kind: string; listKind: string; singular: string; categories: string[] };
        scope: string;
        versions: { name: string; served: boolean; storage: boolean; schema: { openAPIV3Schema: { type: string } }; subresources?: object }[];
      };
      expect(crd.metadata.name).toBe(`${spec.names.plural}.${spec.group}`);
      expect(crd.metadata.annotations).toMatchObject({
        "gateway.networking.k8s.io/bundle-version": variant.gatewayApiVersion,
        "gateway.networking.k8s.io/channel": variant.channel,
      });
      expect(crd.metadata.annotations!["api-approved.kubernetes.io"]).toMatch(/^https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/pull\/\d+$/);
      expect(spec.names.listKind).toBe(`${spec.names.kind}List`);
      expect(spec.names.categories).toEqual(["gateway-api"]);
      expect(["Namespaced", "Cluster"]).toContain(spec.scope);
      expect(spec.versions.filter((version) => version.storage)).toHaveLength(1);
      for (const version of spec.versions) expect(version.schema.openAPIV3Schema.type).toBe("object");
      const text = JSON.stringify(crd);
      expect(text).not.toContain("x-mesh-");
    }
  });

  it("carry no description prose (the one `description` is GatewayClass's spec field)", () => {
    const prose: string[] = [];
    JSON.stringify(loader.customResourceDefinitions([...GATEWAY_API_GROUPS], v151exp), (key, value: unknown) => {
      if (key === "description" && typeof value !== "object") prose.push(scalarText(value));
      return value;
    });
    expect(prose).toEqual([]);
  });
});

describe("Istio kinds", () => {
  it("are the same in every Gateway API variant", () => {
    const istio = (variant: SchemaVariant) =>
      loader
        .schemaCatalog(variant)
        .all()
        .filter((schema) => schema.group.endsWith(".istio.io"));
    const reference = istio(v151std);
    expect(reference.length).toBeGreaterThan(0);
    for (const variant of variants) expect(istio(variant)).toEqual(reference);
  });
});

describe("the build step", () => {
  const bundleDirectory = mkdtempSync(join(tmpdir(), "mesh-schemas-real-"));
  afterAll(() => rmSync(bundleDirectory, { recursive: true, force: true }));

  it("writes bundles that serve exactly what the sources do", async () => {
    await buildSchemaBundles({ sourceDirectory, bundleDirectory });
    const prebuilt = createSchemaLoader({ bundleDirectory });
    for (const variant of variants) {
      expect(prebuilt.schemaCatalog(variant).all()).toEqual(loader.schemaCatalog(variant).all());
    }
    expect(prebuilt.customResourceDefinitions(["networking.istio.io"])).toEqual(loader.customResourceDefinitions(["networking.istio.io"]));
  });
});
