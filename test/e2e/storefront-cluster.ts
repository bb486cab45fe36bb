import { readFileSync } from "node:fs";
import path from "node:path";
import { parseManifestText } from "../../src/core/documents/index.js";
import type { TestCluster } from "./kube-helpers.js";
import { repoRoot } from "./run-mesh.js";

// The storefront fixture (test/fixtures/convert/storefront) as live objects, for `mesh convert --cluster`.
export const storefront = (file: string) => path.join("test", "fixtures", "convert", "storefront", file);
export const objectsOf = (file: string) =>
  parseManifestText(readFileSync(path.join(repoRoot, storefront(file)), "utf8"), file).documents.map((document) => document.object);

export const destinationRuleCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "destinationrules.networking.istio.io" },
  spec: {
    group: "networking.istio.io",
    names: { kind: "DestinationRule", plural: "destinationrules", singular: "destinationrule", listKind: "DestinationRuleList" },
    scope: "Namespaced",
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
      },
    ],
  },
};

/** The test server serves a CRD's kind once it has established it (after a short delay). */
export async function createOnceServed(cluster: TestCluster, object: unknown): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      cluster.server.createObject(object);
      return;
    } catch (error) {
      if (attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Creates the storefront's Services and DestinationRules (and what they need) on the test server. */
export async function seedStorefront(cluster: Pick<TestCluster, "server">): Promise<void> {
  try {
    cluster.server.createObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
  } catch {
    // already there
  }
  for (const object of objectsOf("platform.yaml")) if ((object as { kind: string }).kind === "Service") cluster.server.createObject(object);
  cluster.server.createObject(destinationRuleCrd);
  for (const object of objectsOf("destination-rules.yaml")) await createOnceServed(cluster as TestCluster, object);
}
