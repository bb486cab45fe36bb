import { InputError } from "../errors.js";
import { yamlPackage } from "../yaml-package.js";
import type { KubeObject } from "../objects.js";
import { isMap } from "../operator/types.js";
import { ISTIO_VERSION } from "../versions.js";
import { istioCrdGroups } from "./crd-source.js";

/** Where an Istio release keeps what `--manifests` reads, relative to its `manifests/` directory. */
export const releaseChartFile = "charts/base/Chart.yaml";
export const releaseCrdFile = "charts/base/files/crd-all.gen.yaml";

/** The two files of an Istio release's `manifests/` that mesh reads, with where they came from (for messages). */
export interface ReleaseFiles {
  /** The directory, archive or URL the user named. */
  source: string;
  chartYaml: string;
  crdYaml: string;
}

/**
 * The Istio CRDs of a release, exactly as its CRD file writes them (with their field descriptions), after checking
 * that the release is the Istio minor mesh renders: its charts carry the release version (a source checkout's carry 1.0.0).
 */
export function releaseCrds(files: ReleaseFiles): KubeObject[] {
  checkReleaseVersion(files);
  const crds: KubeObject[] = [];
  for (const document of yamlPackage().parseAllDocuments(files.crdYaml, { version: "1.1" })) {
    if (document.errors.length > 0)
      throw new InputError(`${files.source}: ${releaseCrdFile}: ${document.errors[0]!.message.split("\n")[0]}`);
    const object = document.toJSON() as unknown;
    if (object === null || object === undefined) continue;
    crds.push(istioCrd(object, files.source));
  }
  if (crds.length === 0) throw new InputError(`${files.source}: ${releaseCrdFile} has no CustomResourceDefinitions`);
  return crds;
}

function istioCrd(object: unknown, source: string): KubeObject {
  const crd = object as KubeObject;
  const group = isMap(crd.spec) ? crd.spec.group : undefined;
  const name = isMap(crd.metadata) ? crd.metadata.name : undefined;
  if (
    !isMap(object) ||
    crd.apiVersion !== "apiextensions.k8s.io/v1" ||
    crd.kind !== "CustomResourceDefinition" ||
    typeof name !== "string" ||
    typeof group !== "string" ||
    !istioCrdGroups.includes(group)
  )
    throw new InputError(
      `${source}: ${releaseCrdFile} holds ${describe(crd)}, not an Istio CustomResourceDefinition (groups ${istioCrdGroups.join(", ")})`,
    );
  return crd;
}

function describe(object: Partial<KubeObject>): string {
  const name = isMap(object.metadata) && typeof object.metadata.name === "string" ? ` ${object.metadata.name}` : "";
  return `${typeof object.kind === "string" ? object.kind : "a document"}${name}`;
}

function checkReleaseVersion(files: ReleaseFiles): void {
  const match = /^version:\s*["']?([^"'\s#]+)/m.exec(files.chartYaml);
  const wanted = ISTIO_VERSION.split(".").slice(0, 2).join(".");
  if (!match) throw new InputError(`${files.source}: ${releaseChartFile} has no version; is this an Istio release's manifests directory?`);
  const version = match[1]!;
  if (version === wanted || version.startsWith(`${wanted}.`) || version.startsWith(`${wanted}-`)) return;
  throw new InputError(
    `${files.source}: Istio ${version} (from ${releaseChartFile}); mesh installs Istio ${ISTIO_VERSION} and takes CRDs only from an Istio ${wanted}.x release`,
    {
      hint:
        version === "1.0.0"
          ? "charts versioned 1.0.0 come from a source checkout: pass a released istio-" + ISTIO_VERSION + "/manifests directory or archive"
          : `pass istio-${ISTIO_VERSION}/manifests or the istio-${ISTIO_VERSION}-<os>-<arch>.tar.gz archive`,
    },
  );
}
