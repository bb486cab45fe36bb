import type { KubeObject } from "../objects.js";
import { labelledCrd } from "./labels.js";
import { customResourceDefinitions } from "../schemas/index.js";
import { precomputedCrds } from "./precomputed.js";

/** The API groups whose CRDs the base component installs. */
export const istioCrdGroups = ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io"];

/**
 * The Istio CRDs as the base chart renders them, with the chart's labels: a release's own (`--manifests`, with field
 * descriptions) when given, else generated from schemas/ (structural: no descriptions).
 */
export function istioCustomResourceDefinitions(release?: readonly KubeObject[]): KubeObject[] {
  if (release) return release.map((crd) => labelledCrd(structuredClone(crd)));
  // The schema catalog (one source of truth with `mesh validate`) is read only when no build has precomputed the
  // CRDs, i.e. when running from the TypeScript sources.
  return precomputedCrds() ?? customResourceDefinitions(istioCrdGroups).map(labelledCrd);
}
