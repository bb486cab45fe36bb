import { createHash } from "node:crypto";
import { parseManifestText } from "../documents/parse.js";
import { InputError } from "../errors.js";
import { isKubeObject, type KubeObject } from "../objects.js";
import { isGatewayApiGroup, summariseCrd, type CrdSummary } from "./crd.js";
import type { BundleAnnotations } from "./request.js";
import { expectedCrdNames, requiredCrdNames } from "./releases.js";
import { SAFE_UPGRADES_POLICY_NAME, shipsSafeUpgradesPolicy, type Channel, type ReleaseVersion } from "./versions.js";

/** A bundle that passed every check: safe to hand to the cluster layer. */
export interface VerifiedBundle {
  version: string;
  release: ReleaseVersion;
  channel: Channel;
  /** Lower-case hex SHA-256 of the bundle text as received. */
  sha256: string;
  /** CRDs in bundle order, `status` removed (the API server owns it). */
  crds: KubeObject[];
  summaries: CrdSummary[];
  /** From v1.5: the safe-upgrades ValidatingAdmissionPolicy and its binding. */
  policies: KubeObject[];
}

export interface BundleExpectation {
  version: string;
  release: ReleaseVersion;
  channel: Channel;
}

/** The bundle-version and channel annotations of the Gateway API CRDs among the documents. */
export function bundleAnnotations(documents: readonly BundleDocument[]): BundleAnnotations {
  const versions = new Set<string>();
  const channels = new Set<string>();
  for (const { object } of documents) {
    if (!isKubeObject(object) || object.kind !== "CustomResourceDefinition" || object.apiVersion !== CRD_API_VERSION) continue;
    if (typeof object.metadata !== "object" || object.metadata === null) continue;
    const summary = summariseCrd(object);
    if (!isGatewayApiGroup(summary.group)) continue;
    if (summary.bundleVersion !== undefined) versions.add(summary.bundleVersion);
    if (summary.channel !== undefined) channels.add(summary.channel);
  }
  return { versions, channels };
}

const CRD_API_VERSION = "apiextensions.k8s.io/v1";
const ADMISSION_API_VERSION = "admissionregistration.k8s.io/v1";
const MAX_LISTED_PROBLEMS = 5;

export function sha256Hex(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

/** One document of a bundle: its value and where it starts (1-based line; 0 when not known, e.g. from the cache). */
export interface BundleDocument {
  object: unknown;
  line: number;
}

const retryHint = "Check the URL or file; if a proxy or mirror is involved, fetch the release asset again.";

function refusal(origin: string, problem: string, hint: string): InputError {
  return new InputError(`the Gateway API bundle from ${origin} ${problem}`, { hint });
}

/**
 * Checks that `text` is exactly the requested release bundle: only Gateway API CRDs (and, from v1.5, the
 * safe-upgrades policy), every CRD annotated with the requested bundle-version and channel, each CRD whole.
 * `origin` names where the text came from, for the error message.
 */
export function verifyBundle(text: string, expected: BundleExpectation, origin: string): VerifiedBundle {
  return verifyBundleDocuments(parseBundleText(text, origin), expected, origin, sha256Hex(text));
}

/** Splits the text into documents, refusing what is not a YAML stream (empty, an HTML page, a syntax error). */
export function parseBundleText(text: string, origin: string): BundleDocument[] {
  if (text.trim() === "") throw refusal(origin, "is empty", retryHint);
  const html = htmlTitle(text);
  if (html !== undefined) {
    throw refusal(
      origin,
      `is an HTML page${html ? ` ("${html}")` : ""}, not YAML`,
      "A proxy, login page or error page answered instead of the release asset. Check the URL, or download the bundle yourself and use --from-file PATH.",
    );
  }
  const parsed = parseManifestText(text, origin);
  const syntax = parsed.findings.find((finding) => finding.severity === "error");
  if (syntax) {
    throw refusal(origin, `is not valid YAML (line ${syntax.line ?? "?"}: ${syntax.message}); the download may be truncated`, retryHint);
  }
  return parsed.documents.map((document) => ({ object: document.object, line: document.line }));
}

/** The checks of verifyBundle on documents already read; `sha256` is the digest of the text they came from. */
export function verifyBundleDocuments(
  documents: readonly BundleDocument[],
  expected: BundleExpectation,
  origin: string,
  sha256: string,
): VerifiedBundle {
  const problems: string[] = [];
  const crds: KubeObject[] = [];
  const summaries: CrdSummary[] = [];
  const policies: KubeObject[] = [];
  const foundVersions = new Set<string>();
  const foundChannels = new Set<string>();
  for (const [index, document] of documents.entries()) {
    const where = `document ${index + 1} (line ${document.line})`;
    const object = document.object;
    if (!isKubeObject(object) || typeof object.metadata !== "object" || object.metadata === null) {
      problems.push(`${where} is not a Kubernetes object`);
      continue;
    }
    const label = `${object.kind} ${object.metadata.name ?? "<unnamed>"} at line ${document.line}`;
    if (object.kind === "CustomResourceDefinition" && object.apiVersion === CRD_API_VERSION) {
      const summary = summariseCrd(object);
      const wrong = crdProblems(object, summary, expected);
      if (summary.bundleVersion !== undefined) foundVersions.add(summary.bundleVersion);
      if (summary.channel !== undefined) foundChannels.add(summary.channel);
      if (wrong.length > 0) problems.push(`${label}: ${wrong.join("; ")}`);
      else if (summaries.some((other) => other.name === summary.name)) problems.push(`${label} appears twice`);
      else {
        crds.push(withoutStatus(object));
        summaries.push(summary);
      }
      continue;
    }
    if (isSafeUpgradesObject(object)) {
      if (!shipsSafeUpgradesPolicy(expected.release)) problems.push(`${label} is only part of bundles from v1.5.0 on`);
      else if (policies.some((other) => other.kind === object.kind)) problems.push(`${label} appears twice`);
      else policies.push(withoutStatus(object));
      continue;
    }
    problems.push(`${label} (${object.apiVersion}) is not a Gateway API CRD`);
  }

  if (problems.length === 0) problems.push(...completenessProblems(summaries, policies, expected));
  if (problems.length > 0) {
    const found = foundVersions.size + foundChannels.size > 0 ? ` It contains ${describeFound(foundVersions, foundChannels)}.` : "";
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).join("\n  ");
    const more = problems.length > MAX_LISTED_PROBLEMS ? `\n  … and ${problems.length - MAX_LISTED_PROBLEMS} more` : "";
    throw refusal(
      origin,
      `is not the ${expected.version} ${expected.channel} bundle:\n  ${listed}${more}\n${found.trim()}`.trimEnd(),
      foundVersions.size > 0 && !foundVersions.has(expected.version)
        ? `Ask for the version the file holds with --version, or get the ${expected.version} ${expected.channel}-install.yaml release asset.`
        : retryHint,
    );
  }
  return { version: expected.version, release: expected.release, channel: expected.channel, sha256, crds, summaries, policies };
}

function crdProblems(object: KubeObject, crd: CrdSummary, expected: BundleExpectation): string[] {
  const wrong: string[] = [];
  if (!isGatewayApiGroup(crd.group)) wrong.push(`group "${crd.group}" is not a Gateway API group`);
  const spec = object.spec as Record<string, unknown> | undefined;
  const names = (spec?.names ?? {}) as Record<string, unknown>;
  if (typeof names.plural !== "string" || crd.name !== `${names.plural}.${crd.group}`) {
    wrong.push(`name does not match its plural and group`);
  }
  if (!crd.kind) wrong.push("spec.names.kind is missing");
  if (crd.versions.length === 0) wrong.push("spec.versions is empty");
  else {
    const storage = crd.versions.filter((version) => version.storage).length;
    if (storage !== 1) wrong.push(`${storage} storage versions instead of one`);
    const versions = (spec?.versions ?? []) as Array<Record<string, unknown>>;
    const schemaless = versions.filter((version) => !hasSchema(version)).map((version) => String(version.name));
    if (schemaless.length > 0) wrong.push(`no openAPIV3Schema for ${schemaless.join(", ")} (truncated?)`);
  }
  if (crd.bundleVersion !== expected.version) {
    wrong.push(`bundle-version is ${crd.bundleVersion === undefined ? "missing" : crd.bundleVersion}, not ${expected.version}`);
  }
  if (crd.channel !== expected.channel) {
    wrong.push(`channel is ${crd.channel === undefined ? "missing" : crd.channel}, not ${expected.channel}`);
  }
  return wrong;
}

function hasSchema(version: Record<string, unknown>): boolean {
  const schema = (version.schema as Record<string, unknown> | undefined)?.openAPIV3Schema;
  return typeof schema === "object" && schema !== null && (schema as Record<string, unknown>).type === "object";
}

function isSafeUpgradesObject(object: KubeObject): boolean {
  if (object.apiVersion !== ADMISSION_API_VERSION || object.metadata.name !== SAFE_UPGRADES_POLICY_NAME) return false;
  if (object.kind === "ValidatingAdmissionPolicy") return true;
  return (
    object.kind === "ValidatingAdmissionPolicyBinding" &&
    (object.spec as Record<string, unknown> | undefined)?.policyName === SAFE_UPGRADES_POLICY_NAME
  );
}

/** A cut-off download that still parses usually lacks whole documents; the release's CRD list catches it. */
function completenessProblems(summaries: CrdSummary[], policies: KubeObject[], expected: BundleExpectation): string[] {
  const present = new Set(summaries.map((crd) => crd.name));
  const problems: string[] = [];
  const known = expectedCrdNames(expected.version, expected.channel);
  const required = known ?? requiredCrdNames(expected.release);
  const missing = required.filter((name) => !present.has(name));
  if (missing.length > 0) problems.push(`missing CRDs ${missing.join(", ")} (truncated or incomplete bundle?)`);
  if (known) {
    const extra = [...present].filter((name) => !known.includes(name));
    if (extra.length > 0) problems.push(`unexpected CRDs ${extra.join(", ")} for ${expected.version} ${expected.channel}`);
  }
  if (shipsSafeUpgradesPolicy(expected.release)) {
    const kinds = new Set(policies.map((policy) => policy.kind));
    for (const kind of ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]) {
      if (!kinds.has(kind)) problems.push(`missing ${kind} ${SAFE_UPGRADES_POLICY_NAME} (truncated or incomplete bundle?)`);
    }
  }
  return problems;
}

function describeFound(versions: Set<string>, channels: Set<string>): string {
  const list = (values: Set<string>) => (values.size === 0 ? "none" : [...values].sort().join(", "));
  return `bundle-version ${list(versions)}, channel ${list(channels)}`;
}

function withoutStatus(object: KubeObject): KubeObject {
  const { status: _status, ...rest } = object;
  return rest;
}

/** `undefined` when the text is not HTML; otherwise the page's <title> (or "" without one). */
function htmlTitle(text: string): string | undefined {
  const head = text.slice(0, 4096).trimStart().toLowerCase();
  if (!head.startsWith("<!doctype html") && !head.startsWith("<html") && !/^<(head|body|\?xml)[\s>]/.test(head)) {
    return undefined;
  }
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text.slice(0, 16384));
  return title ? title[1]!.trim().replace(/\s+/g, " ").slice(0, 120) : "";
}
