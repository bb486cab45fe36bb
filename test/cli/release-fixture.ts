// Small Istio release trees and archives for --manifests tests: the layout of a release's manifests/ directory, with
// two CRDs of our own writing that carry descriptions (what mesh's structural CRDs lack).
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { c as createTar } from "tar";

export const fixtureDescription = "Fixture text: what the spec of this resource configures.";

export function fixtureCrdYaml(): string {
  const crd = (plural: string, kind: string, group: string, labels: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  annotations:
    helm.sh/resource-policy: keep
  labels:
${labels}
  name: ${plural}.${group}
spec:
  group: ${group}
  names:
    kind: ${kind}
    listKind: ${kind}List
    plural: ${plural}
    singular: ${kind.toLowerCase()}
  scope: Namespaced
  versions:
  - name: v1
    schema:
      openAPIV3Schema:
        description: ${kind} fixture.
        properties:
          spec:
            description: '${fixtureDescription}'
            properties:
              hosts:
                description: Fixture hosts.
                items:
                  type: string
                type: array
            type: object
        type: object
    served: true
    storage: true
`;
  return [
    crd(
      "wasmplugins",
      "WasmPlugin",
      "extensions.istio.io",
      "    app: istio-pilot\n    chart: istio\n    heritage: Tiller\n    release: istio",
    ),
    crd("sidecars", "Sidecar", "networking.istio.io", "    app: istio-pilot\n    chart: istio\n    heritage: Tiller\n    release: istio"),
  ].join("---\n");
}

/** Writes `<root>/istio-<version>/manifests/...`; returns the release directory. */
export async function releaseTree(root: string, version = "1.30.3", crdYaml = fixtureCrdYaml()): Promise<string> {
  const release = path.join(root, `istio-${version}`);
  const base = path.join(release, "manifests", "charts", "base");
  await mkdir(path.join(base, "files"), { recursive: true });
  await writeFile(path.join(base, "Chart.yaml"), `apiVersion: v2\nname: base\nversion: ${version}\nappVersion: ${version}\n`);
  await writeFile(path.join(base, "files", "crd-all.gen.yaml"), crdYaml);
  return release;
}

/** A release .tar.gz (top directory istio-<version>/) and its digest; `withSibling` also writes `<archive>.sha256`. */
export async function releaseArchive(
  version = "1.30.3",
  withSibling = true,
  into?: string,
): Promise<{ archive: string; sha256: string; dir: string }> {
  const dir = into ?? (await mkdtemp(path.join(tmpdir(), "mesh-release-fixture-")));
  await releaseTree(dir, version);
  const archive = path.join(dir, `istio-${version}-linux-amd64.tar.gz`);
  await createTar({ gzip: true, file: archive, cwd: dir, portable: true }, [`istio-${version}`]);
  const sha256 = createHash("sha256")
    .update(await readFile(archive))
    .digest("hex");
  if (withSibling) await writeFile(`${archive}.sha256`, `${sha256}  ${path.basename(archive)}\n`);
  return { archive, sha256, dir };
}
