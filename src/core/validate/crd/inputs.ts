import { loadDocuments, parseManifestText, type SourceDocument } from "../../documents/index.js";
import { InputError } from "../../errors.js";
import { describeResource, type Finding } from "../../findings.js";
import { isCustomResourceDefinition, schemasFromCrd } from "./objects.js";

/**
 * Reads `--crds` arguments (files, directories, globs, or URLs) into CustomResourceDefinition objects.
 * A CRD source that cannot be read or parsed is an input error (exit 2): validating against a partial
 * set of CRDs would give wrong verdicts.
 */
export async function loadCrdObjects(locations: readonly string[], readStdin: () => Promise<Buffer>): Promise<unknown[]> {
  const crds: unknown[] = [];
  for (const location of locations) {
    let documents: SourceDocument[];
    let findings: Finding[];
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
      const { fetchCrdText } = await import("./fetch.js");
      ({ documents, findings } = parseManifestText(await fetchCrdText(location), location));
    } else {
      ({ documents, findings } = await loadDocuments([location], { readStdin }).catch((error: unknown) => {
        // A missing or unreadable path: say which flag named it.
        if (error instanceof InputError) throw new InputError(`--crds ${error.message}`, { hint: error.hint, cause: error });
        throw error;
      }));
    }
    const broken = findings.find((finding) => finding.severity === "error");
    if (broken)
      throw new InputError(`--crds ${location}: ${broken.file ?? location}:${broken.line ?? 1}:${broken.column ?? 1}: ${broken.message}`);
    const found = documents.filter((document) => isCustomResourceDefinition(document.object));
    if (found.length === 0)
      throw new InputError(`--crds ${location}: no CustomResourceDefinition found`, {
        hint: "pass CRD manifests (apiextensions.k8s.io/v1)",
      });
    for (const document of found) {
      try {
        schemasFromCrd(document.object);
      } catch (error) {
        throw new InputError(
          `--crds ${document.file}:${document.line}: ${describeResource(document.identity)}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      crds.push(document.object);
    }
  }
  return crds;
}
