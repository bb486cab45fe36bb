import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseManifestText } from "../../../src/core/documents/index.js";
import {
  convertGatewayApiToIstio,
  convertIstioToGatewayApi,
  defaultConvertOptions,
  renderConverted,
  type ConvertProfile,
} from "../../../src/core/convert/index.js";
import { formatFindingsForGolden } from "./golden-format.js";

/**
 * Golden files: test/fixtures/convert/input/<name>.yaml → output/<name>.<profile>.yaml (objects) and
 * output/<name>.<profile>.findings.txt; input-gateway-api/<name>.yaml → output/<name>.istio.yaml (the
 * reverse direction). Refresh with REFRESH_GOLDEN=1 and review the diff.
 */
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/convert");
const refresh = process.env.REFRESH_GOLDEN === "1";
const inputs = readdirSync(path.join(fixtures, "input"))
  .filter((file) => file.endsWith(".yaml"))
  .sort();

function checkGolden(file: string, actual: string): void {
  const target = path.join(fixtures, "output", file);
  if (refresh || !existsSync(target)) {
    if (!refresh) throw new Error(`golden ${file} is missing; run with REFRESH_GOLDEN=1 and review it`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, actual);
    return;
  }
  expect(actual).toBe(readFileSync(target, "utf8"));
}

describe.each(["full", "compat"] as ConvertProfile[])("golden conversions (%s profile)", (profile) => {
  it.each(inputs)("%s", (input) => {
    const name = input.replace(/\.yaml$/, "");
    const text = readFileSync(path.join(fixtures, "input", input), "utf8");
    const { documents } = parseManifestText(text, `input/${input}`);
    const result = convertIstioToGatewayApi(documents, defaultConvertOptions({ profile, generator: "mesh-golden" }));
    checkGolden(`${name}.${profile}.yaml`, renderConverted(result.objects, [], "yaml"));
    checkGolden(`${name}.${profile}.findings.txt`, formatFindingsForGolden(result.findings));
  });
});

describe("golden conversions Gateway API → Istio", () => {
  const reverseInputs = readdirSync(path.join(fixtures, "input-gateway-api"))
    .filter((file) => file.endsWith(".yaml"))
    .sort();
  it.each(reverseInputs)("%s", (input) => {
    const name = input.replace(/\.yaml$/, "");
    const text = readFileSync(path.join(fixtures, "input-gateway-api", input), "utf8");
    const { documents } = parseManifestText(text, `input-gateway-api/${input}`);
    const result = convertGatewayApiToIstio(documents, defaultConvertOptions({ generator: "mesh-golden" }));
    checkGolden(`${name}.istio.yaml`, renderConverted(result.objects, [], "yaml"));
    checkGolden(`${name}.istio.findings.txt`, formatFindingsForGolden(result.findings));
  });
});
