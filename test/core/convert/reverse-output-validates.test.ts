import { describe, expect, it } from "vitest";
import { parseManifestText, toYamlStream } from "../../../src/core/documents/index.js";
import { convertGatewayApiToIstio, convertIstioToGatewayApi, defaultConvertOptions } from "../../../src/core/convert/index.js";
import { customResourceDefinitions } from "../../../src/core/schemas/index.js";
import { validateObjects } from "../../../src/core/validate/index.js";
import { randomIstioInput } from "./random-istio-wide.js";

/** Property: Istio objects written by the reverse command pass mesh validate (schemas and Istio's webhook rules). */
describe("reverse output passes mesh validate", () => {
  const crds = customResourceDefinitions(["networking.istio.io"]);
  it.each(Array.from({ length: 60 }, (_, index) => index + 301))("Gateway API written by the full profile, random input %i", (seed) => {
    const forward = convertIstioToGatewayApi(
      parseManifestText(toYamlStream(randomIstioInput(seed)), "istio.yaml").documents,
      defaultConvertOptions(),
    );
    const back = convertGatewayApiToIstio(
      parseManifestText(toYamlStream(forward.objects), "gateway-api.yaml").documents,
      defaultConvertOptions(),
    );
    const errors = validateObjects(back.objects, { crds }).filter((finding) => finding.severity === "error");
    expect(errors.map((finding) => `${finding.resource?.kind} ${finding.resource?.name} ${finding.path}: ${finding.message}`)).toEqual([]);
  });
});
