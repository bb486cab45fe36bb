// The official CRDs of the reference data and the validation corpus they are checked on, one
// suite per Gateway API variant and one for Istio: shared by the agreement conformance files.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parseManifestText } from "../../src/core/documents/index.js";

export const reference = path.resolve(import.meta.dirname, "../../../shared/reference");
const corpusDirectory = path.resolve(import.meta.dirname, "../fixtures/validate/corpus");

/** The CustomResourceDefinitions of one YAML file, or of every YAML file in a directory. */
export function loadCrds(location: string): unknown[] {
  const files = location.endsWith(".yaml")
    ? [location]
    : readdirSync(location)
        .filter((file) => file.endsWith(".yaml"))
        .map((file) => path.join(location, file));
  return files.flatMap((file) =>
    parseManifestText(readFileSync(file, "utf8"), file)
      .documents.map((document) => document.object)
      .filter((object) => (object as { kind?: string }).kind === "CustomResourceDefinition"),
  );
}

/** The objects of one corpus file (test/fixtures/validate/corpus). */
export function corpus(name: string): Record<string, any>[] {
  return parseManifestText(readFileSync(path.join(corpusDirectory, name), "utf8"), name).documents.map(
    (document) => document.object as Record<string, any>,
  );
}

export const crdSuites = [
  ...(["v1.2.1", "v1.5.1"] as const).flatMap((gatewayApiVersion) =>
    (["standard", "experimental"] as const).map((channel) => ({
      name: `Gateway API ${gatewayApiVersion} ${channel}`,
      crds: path.join(reference, "gateway-api", gatewayApiVersion, channel),
      corpus: "gateway-api.yaml",
      variant: { gatewayApiVersion, channel },
    })),
  ),
  {
    name: "Istio 1.30.3",
    crds: path.join(reference, "istio", "1.30.3", "crd-all.gen.yaml"),
    corpus: "istio.yaml",
    variant: { gatewayApiVersion: "v1.5.1", channel: "standard" } as const,
  },
];
