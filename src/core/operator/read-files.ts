import { parseManifestText, type SourceDocument } from "../documents/parse.js";
import { InputError } from "../errors.js";
import { isMap } from "./types.js";

/**
 * Parses `-f` overlay files, keeping source positions for messages. A file holds at most one IstioOperator
 * (istioctl refuses more); an empty file contributes nothing.
 */
export function readOperatorFiles(files: readonly { path: string; text: string }[]): SourceDocument[] {
  return files.flatMap((file) => readOperatorFile(file));
}

function readOperatorFile(file: { path: string; text: string }): SourceDocument[] {
  const parsed = parseManifestText(file.text, file.path);
  const syntax = parsed.findings.find((finding) => finding.severity === "error");
  if (syntax) throw new InputError(`${file.path}:${syntax.line ?? 0}:${syntax.column ?? 0}: ${syntax.message}`);
  const documents = parsed.documents.filter((document) => document.object !== null && document.object !== undefined);
  if (documents.length > 1)
    throw new InputError(`${file.path}:${documents[1]!.line}: contains multiple IstioOperator CRs, only one per file is supported`, {
      hint: "split the file, or pass several files with -f (they are merged in order)",
    });
  const document = documents[0];
  if (!document) return [];
  if (!isMap(document.object))
    throw new InputError(`${file.path}:${document.line}: expected an IstioOperator (a map with apiVersion, kind, spec)`);
  return [document];
}
