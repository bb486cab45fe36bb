import type { SourceDocument } from "../documents/index.js";
import { formatFieldPath, type CheckedResource, type FieldPath, type Finding, type FindingsReport } from "../findings.js";
import { analyzeResources } from "./analyze/index.js";
import type { AnalysisFinding, AnalyzedResource } from "./analyze/resource.js";
import { builtinSchemaSource, kubernetesSchemaSource } from "./builtin-schemas.js";
import { isCustomResourceDefinition, schemasFromCrd } from "./crd/objects.js";
import { crdSchemaErrors } from "./crd/schema-checks.js";
import { crdSource } from "./crd/sources.js";
import { clusterScopedCoreKinds, validateObject, type ObjectVerdict } from "./engine.js";
import { fieldErrorMessage, type FieldError } from "./field-errors.js";
import { resolveOptions, type ValidateOptions } from "./options.js";
import { layeredSchemaSource, schemaSourceOf } from "./schema-sources.js";
import type { SchemaSource } from "./schema-types.js";
import { appendAll } from "../arrays.js";

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
  return analyzeChecked(checkDocuments(documents, resolved), (index) => documents[index]!, resolved);
}

/** What the analysers see of one object (see analysisInput). */
export type AnalysisInput = Omit<AnalyzedResource, "report">;

/** One document checked on its own (stages before analysis): its resource with findings, and what analysis gets of it. */
export interface CheckedDocument {
  resource: CheckedResource;
  analysis?: AnalysisInput;
}

/** Checks each document against its schema and Istio's webhook rules; no analysis (that needs every document). */
export function checkDocuments(documents: readonly SourceDocument[], options: ValidateOptions): CheckedDocument[] {
  const source = schemaSourceFor(options);
  return documents.map((document) => {
    // process.hrtime, not performance.now(): the first use of the global `performance` loads perf_hooks.
    const started = process.hrtime.bigint();
    const verdict = validateObject(document.object, source, options);
    const resource = verdict.identity;
    const findings = verdict.errors.map((error) => toFinding(error, document, resource));
    const checked: CheckedResource = { file: document.file, line: document.line, column: document.column, resource, findings };
    if (verdict.skipped) checked.skipped = verdict.skipped;
    checked.durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    // Objects skipped for lack of a schema still take part in analysis (as istioctl analyze sees them); --skip ones do not.
    const analysis = verdict.skipped === "skip-flag" ? undefined : analysisInput(document.object, verdict, options);
    return analysis ? { resource: checked, analysis } : { resource: checked };
  });
}

/**
 * Where analyser findings go: `placed` gives each its file position (what every printer but the summary needs);
 * `unplaced` leaves file, line and column out, for a report of which only the counts are printed (`--summary` text).
 */
export type FindingPlacement = "placed" | "unplaced";

/**
 * Analyses checked documents together (stage 10) and gives the report; `documentAt(index)` gives the document of
 * the index-th checked one, asked only for documents with analyser findings (to place them in the file), and never
 * when `placement` is `unplaced`.
 */
export function analyzeChecked(
  checked: readonly CheckedDocument[],
  documentAt: (index: number) => Pick<SourceDocument, "locate">,
  options: ValidateOptions,
  placement: FindingPlacement = "placed",
): FindingsReport {
  const resources: CheckedResource[] = [];
  const analyzed: AnalyzedResource[] = [];
  const unplaced: Finding[] = [];
  const placeIn = placement === "placed" ? documentAt : undefined;
  checked.forEach(({ resource: checkedResource, analysis }, index) => {
    resources.push(checkedResource);
    if (!analysis) return;
    const resource = checkedResource.resource;
    analyzed.push({
      ...analysis,
      report: (finding) => checkedResource.findings.push(fromAnalysis(finding, placeIn?.(index), resource)),
    });
  });
  appendAll(resources, crdResources(options, checked));
  appendAll(analyzed, clusterInputs(options, unplaced, analyzed));
  analyze(analyzed, options);
  const files = [...new Set(checked.map(({ resource }) => resource.file))];
  return { files, resources, findings: unplaced };
}

/**
 * `--crds` definitions the API server would refuse (estimated rule cost over its limits), reported on the CRD;
 * a CRD that is also among the inputs is reported there already.
 */
function crdResources(options: ValidateOptions, inputs: readonly CheckedDocument[]): CheckedResource[] {
  if (options.crds.length === 0) return [];
  const given = new Set(inputs.map(({ resource }) => `${resource.file}:${resource.line}`));
  return options.crds.flatMap((crd) => {
    const document = crdSource(crd);
    if (document && given.has(`${document.file}:${document.line}`)) return [];
    const errors = crdSchemaErrors(crd);
    if (errors.length === 0) return [];
    const metadata = (crd as { metadata?: { name?: unknown } }).metadata;
    const resource = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      ...(typeof metadata?.name === "string" ? { name: metadata.name } : {}),
    };
    const findings = errors.map((error) => toFinding(error, document, resource));
    return [{ file: document?.file ?? "--crds", line: document?.line ?? 1, column: document?.column ?? 1, resource, findings }];
  });
}

/** Validates plain objects (no source positions); used by other commands' tests and by `convert --validate`. */
export function validateObjects(objects: readonly unknown[], options: Partial<ValidateOptions> = {}): Finding[] {
  const resolved = resolveOptions(options);
  const source = schemaSourceFor(resolved);
  const findings: Finding[] = [];
  const analyzed: AnalyzedResource[] = [];
  for (const object of objects) {
    const verdict = validateObject(object, source, resolved);
    if (verdict.skipped === "skip-flag") continue;
    const resource = verdict.identity;
    appendAll(
      findings,
      verdict.errors.map((error) => toFinding(error, undefined, resource)),
    );
    const input = analysisInput(object, verdict, resolved);
    if (input) analyzed.push({ ...input, report: (finding) => findings.push(fromAnalysis(finding, undefined, resource)) });
  }
  appendAll(analyzed, clusterInputs(resolved, findings, analyzed));
  analyze(analyzed, resolved);
  return findings;
}

function analyze(resources: AnalyzedResource[], options: ValidateOptions): void {
  if (!options.analyze) return;
  analyzeResources(resources, {
    mode: options.analysisMode,
    analyzeRefs: options.analyzeRefs,
    meshConfig: options.meshConfig,
    revision: options.revision,
    completeKinds: options.clusterKinds,
    ...(options.analyzers ? { analyzers: options.analyzers } : {}),
  });
}

/**
 * What the analysers see of an object: the admitted object when the schema admitted it, otherwise the object as
 * written (istioctl analyses objects that fail validation too, so that one rejected Gateway does not turn every
 * VirtualService naming it into "gateway not found"). Namespaced kinds get the default namespace.
 */
function analysisInput(object: unknown, verdict: ObjectVerdict, options: ValidateOptions): AnalysisInput | undefined {
  if (typeof object !== "object" || object === null || Array.isArray(object)) return undefined;
  const identity = { ...verdict.identity };
  if (typeof identity.kind !== "string") return undefined;
  const clusterScoped = verdict.schema ? verdict.schema.scope === "Cluster" : clusterScopedCoreKinds.has(identity.kind);
  if (!clusterScoped && identity.namespace === undefined) identity.namespace = options.defaultNamespace;
  return { object: verdict.admitted ?? (object as Record<string, unknown>), identity };
}

/** Live objects, except those the inputs also define (the files win, as with istioctl). */
function clusterInputs(options: ValidateOptions, findings: Finding[], inputs: readonly AnalyzedResource[]): AnalyzedResource[] {
  if (!options.clusterObjects?.length) return [];
  const key = (identity: CheckedResource["resource"]) => `${identity.kind ?? ""}/${identity.namespace ?? ""}/${identity.name ?? ""}`;
  const given = new Set(inputs.map((input) => key(input.identity)));
  return (options.clusterObjects ?? []).flatMap((object) => {
    const value = object as Record<string, unknown>;
    const metadata = (value.metadata ?? {}) as Record<string, unknown>;
    const identity = {
      apiVersion: typeof value.apiVersion === "string" ? value.apiVersion : undefined,
      kind: typeof value.kind === "string" ? value.kind : undefined,
      namespace: typeof metadata.namespace === "string" ? metadata.namespace : undefined,
      name: typeof metadata.name === "string" ? metadata.name : undefined,
    };
    if (!identity.kind || given.has(key(identity))) return [];
    return [{ object: value, identity, report: (finding: AnalysisFinding) => findings.push(fromAnalysis(finding, undefined, identity)) }];
  });
}

function fromAnalysis(
  finding: AnalysisFinding,
  document: Pick<SourceDocument, "locate"> | undefined,
  resource: CheckedResource["resource"],
): Finding {
  const out: Finding = { severity: finding.severity, code: finding.code, message: finding.message, origin: finding.origin, resource };
  return located(out, finding.path, document);
}

/** The finding with its field path and, when the document is known, the path's place in the file. */
function located(finding: Finding, path: FieldPath, document: Pick<SourceDocument, "locate"> | undefined): Finding {
  if (path.length > 0) finding.path = formatFieldPath(path);
  if (document) {
    const position = document.locate(path);
    finding.file = position.file;
    finding.line = position.line;
    finding.column = position.column;
  }
  return finding;
}

/** True when a report's findings (of the run and of every resource) fail the run under `--fail-on`. */
export function reportFails(report: FindingsReport, failOn: ValidateOptions["failOn"]): boolean {
  return failsRun(report.findings, failOn) || report.resources.some((resource) => failsRun(resource.findings, failOn));
}

/** True when the findings fail the run under `--fail-on`. */
export function failsRun(findings: readonly Finding[], failOn: ValidateOptions["failOn"]): boolean {
  return findings.some((finding) => finding.severity === "error" || (failOn === "warning" && finding.severity === "warning"));
}

/** A finding of the engine's error, placed in `document` when it is given. */
export function toFinding(error: FieldError, document: SourceDocument | undefined, resource: CheckedResource["resource"]): Finding {
  const finding: Finding = {
    severity: error.severity ?? "error",
    code: error.code,
    message: fieldErrorMessage(error),
    origin: error.origin,
    resource,
  };
  return located(finding, error.path, document);
}
