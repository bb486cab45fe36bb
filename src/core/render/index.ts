import type { KubeObject } from "../objects.js";
import { readOperatorFiles } from "../operator/read-files.js";
import { generateFromDocuments, type GeneratedManifest } from "./generate.js";

export { componentNames, generateFromDocuments } from "./generate.js";
export type { ComponentName, GeneratedManifest, GenerateOptions, RenderedComponent } from "./generate.js";
export { manifestYaml, manifestJson } from "./output.js";
export { sortObjects } from "./order.js";

/**
 * What `istioctl manifest generate` renders for a profile, `-f` overlays (read, in order) and `--set` flags:
 * components in install order, objects in istioctl's order. Bad overlays throw InputError (exit 2).
 */
export function generateManifest(options: {
  files: { path: string; text: string }[];
  sets: string[];
  force?: boolean;
  components?: string[];
  revision?: string;
  releaseCrds?: readonly KubeObject[];
}): GeneratedManifest {
  const { files, ...rest } = options;
  return generateFromDocuments({ ...rest, documents: readOperatorFiles(files) });
}
