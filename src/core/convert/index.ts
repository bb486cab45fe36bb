import type { SourceDocument } from "../documents/index.js";
import { withContract } from "./contract.js";
import type { ConvertResult } from "./istio-to-gateway-api.js";
import type { ConvertOptions } from "./options.js";
import { convertGatewayApiToIstio as translateGatewayApiToIstio } from "./reverse/index.js";

export { convertIstioToGatewayApi, gatewayApiKindOrder, type ConvertResult } from "./istio-to-gateway-api.js";
export { defaultConvertOptions, convertProfiles, type ConvertOptions, type ConvertProfile } from "./options.js";
export { renderConverted, outputFiles, type ObjectFormat } from "./output.js";

/** Gateway API → Istio, with the emitted objects checked against Istio's CRDs and webhook (contract.ts). */
export function convertGatewayApiToIstio(documents: readonly SourceDocument[], options: ConvertOptions): ConvertResult {
  return withContract(translateGatewayApiToIstio(documents, options), "istio", options);
}
