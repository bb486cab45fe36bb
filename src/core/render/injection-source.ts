import { InputError } from "../errors.js";
import type { InjectionSource } from "./istiod-configmaps.js";

/**
 * mesh's own sidecar-injection templates (src/core/render/injection). Until they are part of the build, the
 * istiod component cannot be rendered (istiod without its injector ConfigMap rejects injected pods).
 */
export function injectionSource(): InjectionSource {
  throw new InputError("cannot render component istiod: mesh's sidecar injection templates are not part of this build yet");
}
