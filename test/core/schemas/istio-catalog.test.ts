import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { customResourceDefinitions, schemaCatalog } from "../../../src/core/schemas/index.js";

type Node = Record<string, unknown>;

const istioGroups = ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io"];

// kind → [group, served versions in CRD order, storage version, shortNames]
const istioKinds: Array<[string, string, string[], string, string[]]> = [
  ["Gateway", "networking.istio.io", ["v1", "v1alpha3", "v1beta1"], "v1", ["gw"]],
  ["VirtualService", "networking.istio.io", ["v1", "v1alpha3", "v1beta1"], "v1", ["vs"]],
  ["DestinationRule", "networking.istio.io", ["v1", "v1alpha3", "v1beta1"], "v1", ["dr"]],
  ["ServiceEntry", "networking.istio.io", ["v1", "v1alpha3", "v1beta1"], "v1", ["se"]],
  ["Sidecar", "networking.istio.io", ["v1", "v1alpha3", "v1beta1"], "v1", []],
  ["WorkloadEntry", "networking.istio.io", ["v1", "v1alpha3", "v1beta1"], "v1", ["we"]],
  ["WorkloadGroup", "networking.istio.io", ["v1", "v1alpha3", "v1beta1"], "v1", ["wg"]],
  ["EnvoyFilter", "networking.istio.io", ["v1alpha3"], "v1alpha3", []],
  ["ProxyConfig", "networking.istio.io", ["v1beta1"], "v1beta1", []],
  ["AuthorizationPolicy", "security.istio.io", ["v1", "v1beta1"], "v1", ["ap"]],
  ["PeerAuthentication", "security.istio.io", ["v1", "v1beta1"], "v1", ["pa"]],
  ["RequestAuthentication", "security.istio.io", ["v1", "v1beta1"], "v1", ["ra"]],
  ["Telemetry", "telemetry.istio.io", ["v1", "v1alpha1"], "v1alpha1", ["telemetry"]],
  ["WasmPlugin", "extensions.istio.io", ["v1alpha1"], "v1alpha1", []],
  ["TrafficExtension", "extensions.istio.io", ["v1alpha1"], "v1alpha1", []],
];

/** Follows a path such as `spec.http[].route[].destination` through properties and items. */
function schemaAt(root: Node, path: string): Node {
  let node: Node = root;
  for (const step of path.split(".")) {
    const name = step.replace(/\[\]$/, "");
    const next = (node.properties as Record<string, Node> | undefined)?.[name];
    if (!next) throw new Error(`no schema for ${name} in ${path}`);
    node = step.endsWith("[]") ? (next.items as Node) : next;
  }
  return node;
}

function rulesAt(root: Node, path: string): string[] {
  return ((schemaAt(root, path)["x-kubernetes-validations"] ?? []) as Node[]).map((r) => String(r.message));
}

function keysAnywhere(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => keysAnywhere(n, found));
  else if (node !== null && typeof node === "object")
    for (const [key, value] of Object.entries(node)) {
      found.add(key);
      if (key !== "properties") keysAnywhere(value, found);
      else for (const child of Object.values(value as Node)) keysAnywhere(child, found);
    }
  return found;
}

describe("Istio kinds in the schema catalog", () => {
  const catalog = schemaCatalog();

  it.each(istioKinds)("%s (%s) serves %j with storage %s", (kind, group, versions, storage) => {
    const served = catalog.versionsOf(group, kind);
    expect(served.map((v) => v.version)).toEqual(versions);
    expect(served.every((v) => v.served && v.scope === "Namespaced" && v.plural.length > 0)).toBe(true);
    expect(served.filter((v) => v.storage).map((v) => v.version)).toEqual([storage]);
    for (const v of served) expect(catalog.lookup(`${group}/${v.version}`, kind)?.openAPIV3Schema.type).toBe("object");
  });

  it("serves one schema under every version of a kind", () => {
    for (const [kind, group] of istioKinds) {
      const schemas = catalog.versionsOf(group, kind).map((v) => JSON.stringify(v.openAPIV3Schema));
      expect(new Set(schemas).size, kind).toBe(1);
    }
  });

  it("knows nothing of networking.istio.io/v2", () => {
    expect(catalog.lookup("networking.istio.io/v2", "VirtualService")).toBeUndefined();
  });

  it("requires a host on every VirtualService HTTP route destination", () => {
    const vs = catalog.lookup("networking.istio.io/v1", "VirtualService")!.openAPIV3Schema as Node;
    expect(schemaAt(vs, "spec.http[].route[]").required).toEqual(["destination"]);
    expect(schemaAt(vs, "spec.http[].route[].destination").required).toEqual(["host"]);
    expect(schemaAt(vs, "spec.tls[].match[]").required).toEqual(["sniHosts"]);
    expect(rulesAt(vs, "spec.http[].timeout")).toEqual(["must be a valid duration greater than 1ms"]);
  });

  it("models a StringMatch as at most one of exact, prefix and regex", () => {
    const vs = catalog.lookup("networking.istio.io/v1beta1", "VirtualService")!.openAPIV3Schema as Node;
    const uri = schemaAt(vs, "spec.http[].match[].uri");
    expect(Object.keys(uri.properties as Node).sort()).toEqual(["exact", "prefix", "regex"]);
    expect((uri.oneOf as Node[]).slice(1)).toEqual([{ required: ["exact"] }, { required: ["prefix"] }, { required: ["regex"] }]);
  });

  it("keeps port numbers uint32 in the CRD (the webhook narrows them)", () => {
    const gw = catalog.lookup("networking.istio.io/v1", "Gateway")!.openAPIV3Schema as Node;
    const number = schemaAt(gw, "spec.servers[].port.number");
    expect([number.type, number.minimum, number.maximum]).toEqual(["integer", 0, 4294967295]);
    expect(schemaAt(gw, "spec.servers[].port").required).toEqual(["number", "protocol", "name"]);
  });

  it.each([
    ["networking.istio.io/v1", "Gateway", "spec.servers[].tls", 3],
    ["networking.istio.io/v1", "Sidecar", "spec.ingress[].tls", 3],
    ["networking.istio.io/v1", "ServiceEntry", "spec", 4],
    ["networking.istio.io/v1", "ServiceEntry", "spec.endpoints[]", 2],
    ["networking.istio.io/v1", "DestinationRule", "spec.workloadSelector.matchLabels", 2],
    ["security.istio.io/v1", "AuthorizationPolicy", "spec", 1],
    ["security.istio.io/v1", "PeerAuthentication", "spec", 1],
    ["extensions.istio.io/v1alpha1", "TrafficExtension", "spec", 2],
  ] as const)("%s %s has %i CEL rules at %s", (apiVersion, kind, path, count) => {
    const schema = catalog.lookup(apiVersion, kind)!.openAPIV3Schema as Node;
    expect(rulesAt(schema, path)).toHaveLength(count);
  });

  it("marks ServiceEntry ports a map list keyed by name", () => {
    const se = catalog.lookup("networking.istio.io/v1", "ServiceEntry")!.openAPIV3Schema as Node;
    const ports = schemaAt(se, "spec.ports");
    expect([ports["x-kubernetes-list-type"], ports["x-kubernetes-list-map-keys"]]).toEqual(["map", ["name"]]);
    expect(rulesAt(se, "spec.ports")).toEqual(["port number cannot be duplicated"]);
  });

  it("keeps EnvoyFilter patch values and Wasm plugin configs open", () => {
    const ef = catalog.lookup("networking.istio.io/v1alpha3", "EnvoyFilter")!.openAPIV3Schema as Node;
    expect(schemaAt(ef, "spec.configPatches[].patch.value")["x-kubernetes-preserve-unknown-fields"]).toBe(true);
    const wasm = catalog.lookup("extensions.istio.io/v1alpha1", "WasmPlugin")!.openAPIV3Schema as Node;
    expect(schemaAt(wasm, "spec.pluginConfig")["x-kubernetes-preserve-unknown-fields"]).toBe(true);
  });

  it("leaves no fragment reference, gate or description in a resolved schema", () => {
    for (const [kind, group] of istioKinds)
      for (const v of catalog.versionsOf(group, kind)) {
        const keys = [...keysAnywhere(v.openAPIV3Schema)];
        expect(keys.filter((k) => k.startsWith("x-mesh-") || k === "description"), `${kind} ${v.version}`).toEqual([]);
      }
  });
});

describe("Istio CustomResourceDefinitions for mesh install", () => {
  const crds = customResourceDefinitions(istioGroups);

  it("are the 15 CRDs of the base chart", () => {
    expect(crds.map((c) => c.metadata.name).sort()).toEqual([
      "authorizationpolicies.security.istio.io",
      "destinationrules.networking.istio.io",
      "envoyfilters.networking.istio.io",
      "gateways.networking.istio.io",
      "peerauthentications.security.istio.io",
      "proxyconfigs.networking.istio.io",
      "requestauthentications.security.istio.io",
      "serviceentries.networking.istio.io",
      "sidecars.networking.istio.io",
      "telemetries.telemetry.istio.io",
      "trafficextensions.extensions.istio.io",
      "virtualservices.networking.istio.io",
      "wasmplugins.extensions.istio.io",
      "workloadentries.networking.istio.io",
      "workloadgroups.networking.istio.io",
    ]);
  });

  it("carry the helm labels and are kept on uninstall", () => {
    for (const crd of crds) {
      expect(crd.metadata.labels, crd.metadata.name).toEqual({
        "app.kubernetes.io/instance": "istio",
        "app.kubernetes.io/managed-by": "Helm",
        "app.kubernetes.io/part-of": "istio",
        "app.kubernetes.io/version": "1.30.3",
        "helm.sh/chart": "base-1.30.3",
      });
      expect(crd.metadata.annotations).toEqual({ "helm.sh/resource-policy": "keep" });
    }
  });

  it("name VirtualService vs, with categories, status subresource and printer columns", () => {
    const vs = crds.find((c) => c.metadata.name === "virtualservices.networking.istio.io") as unknown as {
      spec: { names: Node; versions: Node[] };
    };
    expect(vs.spec.names).toMatchObject({ kind: "VirtualService", shortNames: ["vs"], categories: ["istio-io", "networking-istio-io"] });
    expect(vs.spec.versions.map((v) => v.name)).toEqual(["v1", "v1alpha3", "v1beta1"]);
    for (const v of vs.spec.versions) {
      expect(v.subresources).toEqual({ status: {} });
      expect((v.additionalPrinterColumns as Node[]).map((c) => c.name)).toEqual(["Gateways", "Hosts", "Age"]);
    }
  });
});

describe("Istio schema sources", () => {
  const root = join(import.meta.dirname, "../../../schemas");
  const files = istioGroups.flatMap((group) =>
    readdirSync(join(root, group), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => join(root, group, f)),
  );

  it("hold no description text", () => {
    for (const file of files) expect([...keysAnywhere(parse(readFileSync(file, "utf8")))], file).not.toContain("description");
  });
});
