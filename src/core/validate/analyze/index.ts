import type { ValidateOptions } from "../options.js";
import { analyzeGatewayApi } from "./gateway-api.js";
import { analyzeIstio } from "./istio.js";
import type { AnalyzedResource } from "./resource.js";

/**
 * Stage 10: what controllers would report in status and what `istioctl analyze` reports, predicted from
 * the documents given together. Every finding is a warning (or info): the cluster would accept them.
 */
export function analyzeResources(resources: readonly AnalyzedResource[], options: ValidateOptions): void {
  if (resources.length === 0) return;
  analyzeGatewayApi(resources, options);
  analyzeIstio(resources, options);
}
