import { InputError } from "../errors.js";
import type { KubeObject } from "../objects.js";

/** The API groups whose CRDs the base component installs. */
export const istioCrdGroups = ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io"];

/**
 * The Istio CRDs, generated from the project's schemas/ by src/core/schemas. Until that loader is part of
 * the build, the base component cannot be rendered and says so.
 */
export function istioCustomResourceDefinitions(): KubeObject[] {
  throw new InputError("cannot render component base: the Istio CRD schemas are not part of this build yet", {
    hint: "exclude it with --component istiod (and gateways), or use a build that includes src/core/schemas",
  });
}
