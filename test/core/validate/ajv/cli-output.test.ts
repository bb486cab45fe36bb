import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runMesh } from "../../../e2e/run-mesh.js";

const fixtures = readdirSync(new URL("../../../fixtures/validate/e2e/", import.meta.url)).map(
  (name) => `test/fixtures/validate/e2e/${name}`,
);

describe("mesh validate with the precompiled ajv fast path (MESH_AJV=1)", () => {
  it.each([
    ["text", []],
    ["json", ["-o", "json"]],
    ["experimental channel, v1.2.1", ["--channel", "experimental", "--gateway-api-version", "v1.2.1"]],
  ])("prints exactly what the walker alone prints on the e2e fixtures (%s)", async (_name, flags) => {
    const args = ["validate", ...flags, ...fixtures];
    const walker = await runMesh(args, { env: { MESH_AJV: "0" } });
    const fast = await runMesh(args, { env: { MESH_AJV: "1" } });
    expect(walker.stdout.length).toBeGreaterThan(100);
    expect(fast).toEqual(walker);
  });
});
