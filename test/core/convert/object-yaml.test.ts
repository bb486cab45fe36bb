import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { objectsToYaml } from "../../../src/core/documents/yaml-emitter.js";
import { parseManifestText, toYamlStream } from "../../../src/core/documents/index.js";
import { convertGatewayApiToIstio, convertIstioToGatewayApi, defaultConvertOptions } from "../../../src/core/convert/index.js";
import { randomIstioInput } from "./random-istio-wide.js";

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/convert/input");

function outputsOf(seed: number) {
  const forward = convertIstioToGatewayApi(
    parseManifestText(toYamlStream(randomIstioInput(seed)), "in.yaml").documents,
    defaultConvertOptions(),
  );
  const back = convertGatewayApiToIstio(parseManifestText(toYamlStream(forward.objects), "gw.yaml").documents, defaultConvertOptions());
  return [...forward.objects, ...back.objects];
}

describe("the fast YAML writer for converted objects", () => {
  it.each(readdirSync(fixtures).filter((file) => file.endsWith(".yaml")))("writes the bytes of toYamlStream for %s", (file) => {
    for (const profile of ["full", "compat"] as const) {
      const { objects } = convertIstioToGatewayApi(
        parseManifestText(readFileSync(path.join(fixtures, file), "utf8"), file).documents,
        defaultConvertOptions({ profile }),
      );
      expect(objectsToYaml(objects)).toBe(toYamlStream(objects));
    }
  });

  it.each(Array.from({ length: 40 }, (_, index) => index + 1))("writes the bytes of toYamlStream for random conversions (%i)", (seed) => {
    const objects = outputsOf(seed);
    expect(objectsToYaml(objects)).toBe(toYamlStream(objects));
  });

  it.each([
    ["YAML 1.1 booleans and nulls", ["yes", "No", "on", "OFF", "y", "~", "null", "true"]],
    ["numbers", ["80", "0.5", "1e3", "e5", "E12", "0x1F", "-1", ".inf", "1_000", "0755"]],
    [
      "indicators and spaces",
      ["*.example.com", "- x", "a: b", "a #b", " lead", "trail ", "", "@x", "%x", "!x", "&x", "|x", ">x", "'x", '"x'],
    ],
    ["odd text", ["multi\nline", "tab\there", "back\\slash", "ünïcode", "a[b]"]],
  ])("reads back %s as the same strings", (_name, strings) => {
    const object = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x", annotations: Object.fromEntries(strings.map((text, index) => [`k${index}`, text])) },
      data: { list: strings },
    };
    const [document] = parseManifestText(objectsToYaml([object]), "out.yaml").documents;
    expect(document!.object).toEqual(object);
  });
});

describe("--output-dir file names", () => {
  it("keep every file inside the output directory whatever the input names are", async () => {
    const { outputFiles } = await import("../../../src/core/convert/index.js");
    const files = outputFiles(
      [
        { apiVersion: "v1", kind: "Gateway", metadata: { name: "../../etc/passwd", namespace: ".." } },
        { apiVersion: "v1", kind: "HTTPRoute", metadata: { name: "web", namespace: "shop" } },
      ],
      "yaml",
    );
    expect(files.map((file) => file.path)).toEqual(["_../gateway-.._.._etc_passwd.yaml", "shop/httproute-web.yaml"]);
  });
});
