import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseManifestText, type SourceDocument } from "../../../../src/core/documents/index.js";
import { formatFieldPath } from "../../../../src/core/findings.js";
import { AnalysisContext, type Analyzer, type AnalysisSettings } from "../../../../src/core/validate/analyze/analyzer.js";
import { meshSettingsOf } from "../../../../src/core/validate/analyze/mesh-config.js";
import type { AnalyzedResource } from "../../../../src/core/validate/analyze/resource.js";
import { clusterScopedCoreKinds } from "../../../../src/core/validate/engine.js";

export const mirrorDir = fileURLToPath(new URL("../../../fixtures/analyze/mirror/", import.meta.url));

export interface Reported {
  code: string;
  severity: string;
  /** `Kind namespace/name`, as Istio's analyzer tests name a message's resource. */
  resource: string;
  message: string;
  path: string;
  file: string;
  line: number;
  column: number;
}

function documentsOf(text: string, file: string): SourceDocument[] {
  return parseManifestText(text, file).documents;
}

/** Runs analysers alone (no schema validation, as Istio's analyzer tests do) over YAML texts. */
export function runAnalyzers(
  sources: { file: string; text: string }[],
  analyzers: readonly Analyzer[],
  settings: Partial<AnalysisSettings> & { meshConfig?: unknown } = {},
): Reported[] {
  const reported: Reported[] = [];
  const resources: AnalyzedResource[] = sources.flatMap(({ file, text }) =>
    documentsOf(text, file).map((document) => {
      const object = document.object as Record<string, unknown>;
      const metadata = (object.metadata ?? {}) as Record<string, unknown>;
      const kind = String(object.kind);
      const namespace =
        typeof metadata.namespace === "string" ? metadata.namespace : clusterScopedCoreKinds.has(kind) ? undefined : "default";
      const identity = { apiVersion: String(object.apiVersion), kind, namespace, name: String(metadata.name) };
      return {
        object,
        identity,
        report(finding) {
          const position = document.locate(finding.path);
          reported.push({
            code: finding.code,
            severity: finding.severity,
            resource: `${kind} ${namespace ? `${namespace}/` : ""}${identity.name}`,
            message: finding.message,
            path: formatFieldPath(finding.path),
            file: position.file,
            line: position.line,
            column: position.column,
          });
        },
      } satisfies AnalyzedResource;
    }),
  );
  const context = new AnalysisContext(resources, {
    mode: settings.mode ?? "analyze",
    completeKinds: settings.completeKinds ?? [],
    analyzeRefs: settings.analyzeRefs ?? false,
    mesh: settings.mesh ?? meshSettingsOf(settings.meshConfig),
  });
  for (const analyzer of analyzers) analyzer.analyze(context);
  return reported;
}

export function runOnFiles(files: string[], analyzers: readonly Analyzer[], settings: Parameters<typeof runAnalyzers>[2] = {}): Reported[] {
  return runAnalyzers(
    files.map((file) => ({ file, text: readFileSync(mirrorDir + file, "utf8") })),
    analyzers,
    settings,
  );
}

/** `CODE Kind ns/name` keys, sorted: what table tests compare. */
export function keys(reported: readonly Reported[]): string[] {
  return reported.map((entry) => `${entry.code} ${entry.resource}`).sort();
}
