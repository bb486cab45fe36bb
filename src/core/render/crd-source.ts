import type { KubeObject } from "../objects.js";
import { customResourceDefinitions } from "../schemas/index.js";

/** The API groups whose CRDs the base component installs. */
export const istioCrdGroups = ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io"];

/** The Istio CRDs, generated from the project's schemas/ (one source of truth with `mesh validate`). */
export function istioCustomResourceDefinitions(): KubeObject[] {
  return customResourceDefinitions(istioCrdGroups);
}
