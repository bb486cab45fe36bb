import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSchemaLoader, SchemaSourceError } from "../../../src/core/schemas/index.js";

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function sourceTree(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), "mesh-schema-sources-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const crd = (group: string, extra = "") =>
  `group: ${group}\nkind: Thing\nplural: things\nsingular: thing\nscope: Namespaced\nversions:\n  - { name: v1, served: true, storage: true }\n${extra}`;
const schema = "version: v1\nopenAPIV3Schema: { type: object }\n";

describe("schema sources are checked when resolved", () => {
  it.each([
    ["gates in an Istio group", { "a.istio.io/things/crd.yaml": crd("a.istio.io", "x-mesh-channel: experimental\n"), "a.istio.io/things/v1.yaml": schema }, /only Gateway API groups may use x-mesh gates/],
    ["a listed version without a file", { "a.istio.io/things/crd.yaml": crd("a.istio.io") }, /v1.yaml: missing/],
    ["a file whose version disagrees with its name", { "a.istio.io/things/crd.yaml": crd("a.istio.io"), "a.istio.io/things/v1.yaml": "version: v2\nopenAPIV3Schema: {}\n" }, /version must be v1/],
    ["a directory that disagrees with plural", { "a.istio.io/widgets/crd.yaml": crd("a.istio.io"), "a.istio.io/widgets/v1.yaml": schema }, /plural must be widgets/],
    ["schema and schemaFrom together", { "a.istio.io/things/crd.yaml": crd("a.istio.io"), "a.istio.io/things/v1.yaml": `${schema}schemaFrom: v1\n` }, /exactly one of openAPIV3Schema and schemaFrom/],
    ["no storage version", { "a.istio.io/things/crd.yaml": crd("a.istio.io").replace("storage: true", "storage: false"), "a.istio.io/things/v1.yaml": schema }, /0 storage versions/],
  ])("rejects %s", (_name, files, message) => {
    const loader = createSchemaLoader({ sourceDirectory: sourceTree(files) });
    expect(() => loader.schemaCatalog().all()).toThrow(SchemaSourceError);
    expect(() => createSchemaLoader({ sourceDirectory: root! }).schemaCatalog().all()).toThrow(message);
  });

  it("rejects a Gateway API version with no storage version in one variant only", () => {
    const text = crd("gateway.networking.k8s.io").replace("storage: true", "storage: true, x-mesh-channel: experimental");
    const loader = createSchemaLoader({
      sourceDirectory: sourceTree({ "gateway.networking.k8s.io/things/crd.yaml": text, "gateway.networking.k8s.io/things/v1.yaml": schema }),
    });
    expect(() => loader.schemaCatalog({ gatewayApiVersion: "v1.5.1", channel: "standard" }).all()).toThrow(/versions must list at least one/);
  });
});

describe("fragment imports", () => {
  const thing = (group: string) =>
    `group: ${group}\nkind: Thing\nplural: things\nsingular: thing\nscope: Namespaced\nversions:\n  - { name: v1, served: true, storage: true }\n`;

  it("lets a group use another group's fragments, its own winning on a clash", () => {
    const loader = createSchemaLoader({
      sourceDirectory: sourceTree({
        "a.io/_fragments.yaml": "port: { type: integer, maximum: 65535 }\nname: { type: string }\n",
        "b.io/_fragments.yaml": "x-mesh-import: [a.io]\nname: { type: string, maxLength: 3 }\n",
        "b.io/things/crd.yaml": thing("b.io"),
        "b.io/things/v1.yaml":
          "version: v1\nopenAPIV3Schema: { type: object, properties: { p: { x-mesh-ref: port }, n: { x-mesh-ref: name } } }\n",
      }),
    });
    expect(loader.schemaCatalog().lookup("b.io/v1", "Thing")!.openAPIV3Schema.properties).toEqual({
      p: { type: "integer", maximum: 65535 },
      n: { type: "string", maxLength: 3 },
    });
  });

  it("rejects an import of an unknown group", () => {
    const loader = createSchemaLoader({
      sourceDirectory: sourceTree({
        "b.io/_fragments.yaml": "x-mesh-import: [nowhere.io]\n",
        "b.io/things/crd.yaml": thing("b.io"),
        "b.io/things/v1.yaml": "version: v1\nopenAPIV3Schema: { type: object }\n",
      }),
    });
    expect(() => loader.schemaCatalog().all()).toThrow(/unknown group nowhere.io/);
  });
});
