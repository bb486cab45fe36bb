import type { SourceDocument } from "../documents/index.js";
import { formatFieldPath, type CheckedResource, type Finding, type FindingsReport } from "../findings.js";
import { analyzeResources } from "./analyze/index.js";
import type { AnalyzedResource } from "./analyze/resource.js";
import { builtinSchemaSource, kubernetesSchemaSource } from "./builtin-schemas.js";
import { isCustomResourceDefinition, schemasFromCrd } from "./crd/objects.js";
import { validateObject } from "./engine.js";
import { fieldErrorMessage, type FieldError } from "./field-errors.js";
import { resolveOptions, type ValidateOptions } from "./options.js";
import { layeredSchemaSource, schemaSourceOf } from "./schema-sources.js";
import type { SchemaSource } from "./schema-types.js";

export { defaultValidateOptions, type ValidateOptions } from "./options.js";
export { schemasFromCrd, isCustomResourceDefinition } from "./crd/objects.js";
export type { KindSchema, StructuralSchema, SchemaSource } from "./schema-types.js";

const builtinSources = new Map<string, SchemaSource>();
const sourcesWithCrds = new WeakMap<unknown[], Map<string, SchemaSource>>();

/**
 * The schemas for these options: user CRDs (`--crds`) first, then the Kubernetes built-in kinds of the chosen
 * version, then the Gateway API variant and Istio. The Kubernetes source answers first for its own groups
 * without loading the Gateway API or Istio bundles.
 */
export function schemaSourceFor(options: ValidateOptions): SchemaSource {
  const key = `${options.gatewayApiVersion}/${options.channel}/${options.kubernetesVersion}`;
  const cache = options.crds.length > 0 ? (sourcesWithCrds.get(options.crds) ?? new Map<string, SchemaSource>()) : builtinSources;
  let source = cache.get(key);
  if (!source) {
    const builtin = [
      kubernetesSchemaSource(options.kubernetesVersion),
      builtinSchemaSource({ gatewayApiVersion: options.gatewayApiVersion, channel: options.channel }),
    ];
    const user =
      options.crds.length > 0
        ? [schemaSourceOf(options.crds.filter(isCustomResourceDefinition).flatMap((crd) => schemasFromCrd(crd)))]
        : [];
    source = layeredSchemaSource([...user, ...builtin]);
    cache.set(key, source);
    if (options.crds.length > 0) sourcesWithCrds.set(options.crds, cache);
  }
  return source;
}

/**
 * Validates documents read from files as a cluster with the CRDs (and Istio's webhook) would, then
 * analyses them together. Source positions are computed only for the documents that have findings.
 */
export function validateDocuments(documents: readonly SourceDocument[], options: Partial<ValidateOptions> = {}): FindingsReport {
  const resolved = resolveOptions(options);
  const source = schemaSourceFor(resolved);
  const resources: CheckedResource[] = [];
  const analyzed: AnalyzedResource[] = [];
  for (const document of documents) {
    const started = performance.now();
    const verdict = validateObject(document.object, source, resolved);
    const resource = verdict.identity;
    const findings = verdict.errors.map((error) => toFinding(error, document, resource));
    const checked: CheckedResource = { file: document.file, line: document.line, column: document.column, resource, findings };
    if (verdict.skipped) checked.skipped = verdict.skipped;
    checked.durationMs = performance.now() - started;
    resources.push(checked);
    // Analyzers trust the schema's types, so they only see objects the cluster would accept.
    const accepted = !findings.some((finding) => finding.severity === "error");
    if (verdict.admitted && accepted)
      analyzed.push({
        object: verdict.admitted,
        identity: resource,
        report: (error) => checked.findings.push(toFinding(error, document, resource)),
      });
  }
  analyzeResources(analyzed, resolved);
  const files = [...new Set(documents.map((document) => document.file))];
  return { files, resources, findings: [] };
}

/** Validates plain objects (no source positions); used by other commands' tests and by `convert --validate`. */
export function validateObjects(objects: readonly unknown[], options: Partial<ValidateOptions> = {}): Finding[] {
  const resolved = resolveOptions(options);
  const source = schemaSourceFor(resolved);
  const findings: Finding[] = [];
  const analyzed: AnalyzedResource[] = [];
  for (const object of objects) {
    const verdict = validateObject(object, source, resolved);
    if (verdict.skipped) continue;
    const resource = verdict.identity;
    const own = verdict.errors.map((error) => toFinding(error, undefined, resource));
    findings.push(...own);
    if (verdict.admitted && !own.some((finding) => finding.severity === "error")) {
      analyzed.push({
        object: verdict.admitted,
        identity: resource,
        report: (error) => findings.push(toFinding(error, undefined, resource)),
      });
    }
  }
  analyzeResources(analyzed, resolved);
  return findings;
}

/** True when the findings fail the run under `--fail-on`. */
export function failsRun(findings: readonly Finding[], failOn: ValidateOptions["failOn"]): boolean {
  return findings.some((finding) => finding.severity === "error" || (failOn === "warning" && finding.severity === "warning"));
}

function toFinding(error: FieldError, document: SourceDocument | undefined, resource: CheckedResource["resource"]): Finding {
  const finding: Finding = {
    severity: error.severity ?? "error",
    code: error.code,
    message: fieldErrorMessage(error),
    origin: error.origin,
    resource,
  };
  if (error.path.length > 0) finding.path = formatFieldPath(error.path);
  if (document) {
    const position = document.locate(error.path);
    finding.file = position.file;
    finding.line = position.line;
    finding.column = position.column;
  }
  return finding;
}
