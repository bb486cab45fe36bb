import { describe, expect, it } from "vitest";
import { InputError } from "../../../../src/core/errors.js";
import { profileNames } from "../../../../src/core/operator/profiles.js";
import { generateManifest, manifestYaml } from "../../../../src/core/render/index.js";
import { validateDocuments } from "../../../../src/core/validate/index.js";
import { parseManifestText } from "../../../../src/core/documents/index.js";

// Every profile renders now (stable included); a profile that could not would be listed here and must be refused.
const unrenderable: string[] = [];

describe("mesh's own manifest generate output", () => {
  it("refuses only the profiles listed as unrenderable", () => {
    for (const profile of unrenderable) expect(() => generateManifest({ files: [], sets: [`profile=${profile}`] })).toThrow(InputError);
  });

  it.each(profileNames().filter((profile) => !unrenderable.includes(profile)))(
    "validates for profile %s with no errors and nothing skipped",
    (profile) => {
      const generated = generateManifest({ files: [], sets: [`profile=${profile}`] });
      const objects = generated.components.flatMap((component) => component.objects);
      const report = validateDocuments(parseManifestText(manifestYaml(objects), `${profile}.yaml`).documents);
      const errors = report.resources.flatMap((resource) => resource.findings).filter((finding) => finding.severity === "error");
      expect(errors).toEqual([]);
      // Multus's NetworkAttachmentDefinition (OpenShift, cni.provider=multus) is a CRD of Multus, not of Istio or
      // Kubernetes: mesh has no schema for it, so it is the one kind allowed to be skipped.
      const skipped = report.resources.filter((resource) => resource.skipped);
      expect(skipped.filter((resource) => resource.resource?.kind !== "NetworkAttachmentDefinition")).toEqual([]);
      expect(report.resources).toHaveLength(objects.length);
    },
  );
});
