import type { SourceDocument } from "../../documents/index.js";
import type { ConvertResult } from "../istio-to-gateway-api.js";
import { Notes } from "../notes.js";
import type { ConvertOptions } from "../options.js";

export function convertGatewayApiToIstio(_documents: readonly SourceDocument[], _options: ConvertOptions): ConvertResult {
  const notes = new Notes();
  notes.error("CONV600", "not implemented yet");
  return { objects: [], findings: notes.findings };
}
