import type { FieldError } from "../field-errors.js";

const internalAnnotations = ["internal.istio.io/webhook-always-reject", "internal.istio.io/parent-namespace", "internal.istio.io/parents"];

/** Annotations Istio's webhook refuses on any Istio kind (docs/design/validation.md §1.2). */
export function istioMetadataErrors(object: Record<string, unknown>): FieldError[] {
  const metadata = (object.metadata ?? {}) as { annotations?: Record<string, unknown> };
  const annotations = metadata.annotations ?? {};
  const errors: FieldError[] = [];
  for (const key of internalAnnotations) {
    if (key in annotations) {
      errors.push({
        type: "Forbidden",
        path: ["metadata", "annotations", key],
        code: "ISTIO_INTERNAL_ANNOTATION",
        origin: "webhook",
        detail: `annotation ${key} is reserved for Istio's own use`,
      });
    }
  }
  const dryRun = annotations["istio.io/dry-run"];
  if (dryRun !== undefined) {
    const spec = (object.spec ?? {}) as { action?: unknown };
    const action = spec.action ?? "ALLOW";
    if (object.kind !== "AuthorizationPolicy" || (action !== "ALLOW" && action !== "DENY")) {
      errors.push({
        type: "Forbidden",
        path: ["metadata", "annotations", "istio.io/dry-run"],
        code: "ISTIO_DRY_RUN",
        origin: "webhook",
        detail: "istio.io/dry-run is only allowed on AuthorizationPolicy with action ALLOW or DENY",
      });
    } else if (dryRun !== "true" && dryRun !== "false") {
      errors.push({
        type: "Invalid",
        path: ["metadata", "annotations", "istio.io/dry-run"],
        code: "ISTIO_DRY_RUN",
        origin: "webhook",
        shown: JSON.stringify(dryRun),
        detail: 'must be "true" or "false"',
      });
    }
  }
  return errors;
}
