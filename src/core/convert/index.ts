export { convertIstioToGatewayApi, gatewayApiKindOrder, type ConvertResult } from "./istio-to-gateway-api.js";
export { convertGatewayApiToIstio } from "./reverse/index.js";
export { defaultConvertOptions, convertProfiles, type ConvertOptions, type ConvertProfile } from "./options.js";
export { renderConverted, outputFiles, type ObjectFormat } from "./output.js";
