export { loadDocuments, type LoadedDocuments, type LoadOptions } from "./load.js";
export { parseManifestText, identityOf, type SourceDocument, type ParsedFile } from "./parse.js";
export { expandInputPaths, inputArgsOrStdin, readInputText, readStream, STDIN_NAME } from "./inputs.js";
export { defaultReadLimits, type ReadLimits } from "./limits.js";
export { toYaml, toYamlStream, toJson, sortedKeys } from "./write.js";
