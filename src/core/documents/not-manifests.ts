/**
 * Files that are YAML but not Kubernetes manifests: Helm chart templates, kustomizations, chart metadata,
 * values files, CI workflows. Each gets one finding that says what the file looks like and what to run
 * instead, rather than a finding per document about a missing apiVersion or a syntax error.
 */

import path from "node:path";
import type { Finding } from "../findings.js";
import type { SourceDocument } from "./parse.js";

const helmAction = /\{\{-?\s*[^}]*\}\}/;

/** A Helm template's `{{ … }}` action in a file that did not read as YAML: one finding for the whole file. */
export function helmTemplateFinding(file: string, text: string, findings: readonly Finding[]): Finding | undefined {
  if (!findings.some((finding) => finding.severity === "error" && finding.origin === "yaml")) return undefined;
  const match = helmAction.exec(text);
  if (!match) return undefined;
  const before = text.slice(0, match.index);
  const line = before.split("\n").length;
  return {
    severity: "error",
    code: "helm-template",
    origin: "input",
    message: `${file} is a Helm chart template (${match[0].slice(0, 40)} is template syntax, not YAML); render the chart first: helm template <chart> | mesh validate -`,
    file,
    line,
    column: match.index - before.lastIndexOf("\n"),
  };
}

interface Recognized {
  what: string;
  advice: string;
}

/** The lower-cased base name of the file last asked about: every document of a file asks again. */
let lastFile: string | undefined;
let lastName = "";

function recognize(file: string, object: unknown): Recognized | undefined {
  if (file !== lastFile) {
    lastFile = file;
    lastName = path.basename(file).toLowerCase();
  }
  const name = lastName;
  const map = typeof object === "object" && object !== null && !Array.isArray(object) ? (object as Record<string, unknown>) : undefined;
  if (name === "kustomization.yaml" || name === "kustomization.yml" || map?.kind === "Kustomization")
    return {
      what: "a Kustomize kustomization",
      advice: `build it first: kubectl kustomize ${path.dirname(file)} | mesh validate -`,
    };
  if (map && typeof map.kind === "string" && typeof map.apiVersion === "string") return undefined;
  if (name === "chart.yaml")
    return { what: "a Helm chart's Chart.yaml", advice: "validate the rendered chart: helm template <chart> | mesh validate -" };
  if (/^values(?:[-._].*)?\.ya?ml$/.test(name))
    return { what: "Helm chart values", advice: "validate the rendered chart: helm template <chart> | mesh validate -" };
  if (!map || "apiVersion" in map || "kind" in map) return undefined;
  // go-yaml reads the workflow key `on:` as the boolean true, so it arrives as the field "true".
  if ("jobs" in map && ("on" in map || "true" in map))
    return { what: "a GitHub Actions workflow", advice: "leave it out (--exclude '.github/**')" };
  if ("stages" in map || ("image" in map && "script" in map))
    return { what: "a GitLab CI configuration", advice: "leave it out with --exclude" };
  if ("services" in map && ("version" in map || "volumes" in map || "networks" in map))
    return { what: "a Docker Compose file", advice: "leave it out with --exclude" };
  return { what: "YAML without apiVersion and kind", advice: "leave it out with --exclude" };
}

/**
 * Splits a file's documents into manifests and one finding for what is not one. A file is judged as a
 * whole: a kustomization.yaml or values.yaml is reported once, and documents that lack both apiVersion
 * and kind are reported once per file, at the first of them.
 */
export function separateNonManifests(
  file: string,
  documents: readonly SourceDocument[],
): { manifests: SourceDocument[]; finding?: Finding } {
  const manifests: SourceDocument[] = [];
  let finding: Finding | undefined;
  for (const document of documents) {
    const recognized = document.basePath.length === 0 ? recognize(file, document.object) : undefined;
    if (!recognized) {
      manifests.push(document);
      continue;
    }
    finding ??= {
      severity: "error",
      code: "not-kubernetes",
      origin: "input",
      message: `${file} looks like ${recognized.what}, not a Kubernetes manifest; ${recognized.advice}`,
      file,
      line: document.line,
      column: document.column,
    };
  }
  return { manifests, finding };
}
