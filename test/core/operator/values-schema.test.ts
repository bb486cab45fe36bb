import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/errors.js";
import { composeOperator } from "../../../src/core/operator/compose.js";
import { readOperatorFiles } from "../../../src/core/operator/read-files.js";
import { generateManifest } from "../../../src/core/render/index.js";

const compose = (sets: string[], text?: string) =>
  composeOperator({ documents: readOperatorFiles(text === undefined ? [] : [{ path: "overlay.yaml", text }]), sets });
const problem = (sets: string[], text?: string): string | undefined => {
  try {
    compose(sets, text);
    return undefined;
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
};

describe("image tags are strings or numbers, as istioctl reads them", () => {
  it.each([
    ["tag: 1.29", "spec"],
    ["values:\n    global:\n      tag: 1.29", "values.global"],
    ["values:\n    pilot:\n      tag: 1.29", "values.pilot"],
    ["components:\n    pilot:\n      tag: 1.29", "components.pilot"],
  ])("accepts a non-integer number: %s", (yaml) => {
    expect(problem([], `spec:\n  ${yaml}\n`)).toBeUndefined();
  });

  it("renders spec.tag 1.29 into the image names", () => {
    const generated = generateManifest({ files: [{ path: "t.yaml", text: "spec:\n  tag: 1.29\n" }], sets: [] });
    const istiod = generated.components.find((component) => component.component === "istiod")!;
    const deployment = istiod.objects.find((object) => object.kind === "Deployment")!;
    expect(JSON.stringify(deployment)).toContain("docker.io/istio/pilot:1.29");
  });

  it.each([["tag: true"], ["tag: [1]"], ["values:\n    global:\n      tag: {a: 1}"]])("refuses a tag that is no scalar: %s", (yaml) => {
    const message = problem([], `spec:\n  ${yaml}\n`);
    expect(message).toMatch(/tag: expected a string or a number, got /);
    expect(message).not.toContain("bad tag");
  });
});

describe("global.pilotCertProvider", () => {
  it("refuses kubernetes: istiod 1.30 exits at start with it", () => {
    expect(problem(["values.global.pilotCertProvider=kubernetes"])).toContain('pilotCertProvider "kubernetes" is no longer supported');
  });

  it.each([["istiod"], ["custom"], ["none"], ["k8s.io/example.com-signer"]])("accepts %s", (provider) => {
    expect(problem([`values.global.pilotCertProvider=${provider}`])).toBeUndefined();
  });

  it("names the file and line of a refused provider", () => {
    expect(problem([], "spec:\n  values:\n    global:\n      pilotCertProvider: kubernetes\n")).toMatch(
      /^overlay\.yaml:4:7: spec\.values\.global\.pilotCertProvider: /,
    );
  });
});
