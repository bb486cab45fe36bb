import type { FieldError } from "../field-errors.js";
import type { ValidateOptions } from "../options.js";
import { validateIstioDestinationRule } from "./destination-rule.js";
import { validateIstioGateway } from "./gateway.js";
import { validateIstioServiceEntry } from "./service-entry.js";
import { validateIstioVirtualService } from "./virtual-service.js";
import { istioMetadataErrors } from "./metadata.js";
import { validateIstioAuthorizationPolicy, validateIstioPeerAuthentication } from "./security.js";
import { appendAll } from "../../arrays.js";

type WebhookCheck = (object: Record<string, unknown>, options: ValidateOptions) => FieldError[];

const checksByKind: Record<string, WebhookCheck> = {
  "networking.istio.io/Gateway": validateIstioGateway,
  "networking.istio.io/VirtualService": validateIstioVirtualService,
  "networking.istio.io/DestinationRule": validateIstioDestinationRule,
  "networking.istio.io/ServiceEntry": validateIstioServiceEntry,
  "security.istio.io/AuthorizationPolicy": validateIstioAuthorizationPolicy,
  "security.istio.io/PeerAuthentication": validateIstioPeerAuthentication,
};

/**
 * Stage 9: Istio's validating webhook (pkg/config/validation) for `*.istio.io` kinds. It runs only on
 * objects the CRD schema accepted, as in a cluster. Errors reject; warnings are admission warnings.
 */
export function webhookErrors(object: Record<string, unknown>, options: ValidateOptions): FieldError[] {
  const apiVersion = String(object.apiVersion);
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  if (!group.endsWith(".istio.io")) return [];
  const errors = istioMetadataErrors(object);
  const check = checksByKind[`${group}/${String(object.kind)}`];
  if (check) appendAll(errors, check(object, options));
  return errors;
}
