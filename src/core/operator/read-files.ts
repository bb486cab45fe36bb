import { parseManifestText, type SourceDocument } from "../documents/parse.js";
import { InputError } from "../errors.js";
import { operatorBundle } from "./bundle.js";
import { isMap } from "./types.js";

export const OPERATOR_API_VERSION = "install.istio.io/v1alpha1";

/**
 * Parses `-f` overlay files, keeping source positions for messages. A file holds at most one IstioOperator
 * (istioctl refuses more); an empty file contributes nothing. Anything that is not an IstioOperator is refused:
 * ignoring it would silently render the default profile.
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
  checkOperatorDocument(file.path, document);
  return [document];
}

function checkOperatorDocument(path: string, document: SourceDocument): void {
  const object = document.object;
  const at = (field: string[]) => {
    const position = document.locate(field);
    return `${path}:${position.line}:${position.column}`;
  };
  if (!isMap(object)) throw new InputError(`${at([])}: expected an IstioOperator (a map with apiVersion, kind, spec)`);
  if (object.apiVersion === undefined && object.kind === undefined) {
    // istioctl accepts a bare `spec:` overlay; top-level fields of another kind of file mean it is not an overlay.
    const fields = Object.keys(operatorBundle().schema.properties ?? {});
    const foreign = Object.keys(object).find((key) => !fields.includes(key));
    if (foreign === undefined) return;
    throw new InputError(
      `${at([foreign])}: not an IstioOperator: the file has no apiVersion and kind and a top-level field "${foreign}" (Helm values?)`,
      {
        hint: `pass Helm values with --set values.<path>=<value>, or wrap them in an IstioOperator (apiVersion: ${OPERATOR_API_VERSION}, kind: IstioOperator, the values under spec.values)`,
      },
    );
  }
  if (object.kind !== "IstioOperator")
    throw new InputError(`${at(["kind"])}: kind ${shown(object.kind)} is not an IstioOperator`, {
      hint: `-f takes IstioOperator overlays (apiVersion: ${OPERATOR_API_VERSION}, kind: IstioOperator); check other resources with mesh validate`,
    });
  if (object.apiVersion !== OPERATOR_API_VERSION)
    throw new InputError(`${at(["apiVersion"])}: apiVersion ${shown(object.apiVersion)} is not ${OPERATOR_API_VERSION}`, {
      hint: `an IstioOperator overlay starts with apiVersion: ${OPERATOR_API_VERSION}`,
    });
}

function shown(value: unknown): string {
  if (value === undefined) return "(none)";
  return typeof value === "string" ? value : JSON.stringify(value);
}
