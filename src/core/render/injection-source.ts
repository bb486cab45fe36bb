import { injectionConfigDefaults, injectionTemplates } from "./injection/index.js";
import type { InjectionSource } from "./istiod-configmaps.js";

/** mesh's own sidecar-injection templates (src/core/render/injection) for the istio-sidecar-injector ConfigMap. */
export function injectionSource(): InjectionSource {
  return { templates: injectionTemplates(), defaultTemplates: injectionConfigDefaults().defaultTemplates };
}
