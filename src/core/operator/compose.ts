import type { SourceDocument } from "../documents/parse.js";
import { InputError } from "../errors.js";
import type { Finding } from "../findings.js";
import { operatorBundle } from "./bundle.js";
import { mergeOverlay, getPath } from "./merge.js";
import { PathNotFoundError, setAtPath, type PathSegment } from "./path-language.js";
import { loadProfile } from "./profiles.js";
import { checkAgainstSchema, type OperatorPath, type SchemaIssue } from "./schema-check.js";
import { parseSetFlag, type SetFlag } from "./set-flags.js";
import { isMap, type IstioOperator, type JsonMap } from "./types.js";
import { scalarText } from "../json.js";

export interface OperatorInput {
  /** `-f` files in order, parsed by readOperatorFiles (one document per file at most). */
  documents: SourceDocument[];
  /** `--set path=value` flags in order. */
  sets: string[];
  /** Downgrade schema errors to warnings (istioctl's --force). */
  force?: boolean;
  /** `--revision`; "default" means none. */
  revision?: string;
}

export interface ComposedOperator {
  /** profile < -f files < --set, validated. */
  operator: IstioOperator;
  /** Only what the user wrote (-f files and --set): its `values` are re-applied over translated fields. */
  user: IstioOperator;
  profile: string;
  findings: Finding[];
}

interface FileSource {
  document: SourceDocument;
}

/** Builds the IstioOperator istioctl would render: profile, then -f files in order, then --set flags in order. */
export function composeOperator(input: OperatorInput): ComposedOperator {
  const fileSources: FileSource[] = input.documents.map((document) => ({ document }));
  const sets = input.sets.map(parseSetFlag);
  // -r/--revision is a string flag: `-r 130` is the revision "130", not the number --set revision=130 would give.
  if (input.revision !== undefined && input.revision !== "" && input.revision !== "default")
    sets.push({
      flag: `revision=${input.revision}`,
      source: `-r/--revision ${input.revision}`,
      path: [{ kind: "key", key: "revision" }],
      value: input.revision,
    });

  let user: JsonMap = { apiVersion: "install.istio.io/v1alpha1", kind: "IstioOperator", metadata: {}, spec: {} };
  for (const source of fileSources) user = mergeOverlay(user, pickOperatorFields(source.document.object)) as JsonMap;
  if (!isMap(user.spec)) user.spec = {};

  const profile = chosenProfile(user, sets);
  const profileOperator = loadProfile(profile);
  for (const set of sets) applySet(user.spec as JsonMap, set, profileOperator.spec);
  if (!isMap(user.metadata)) user.metadata = {};

  const operator = mergeOverlay(profileOperator, user) as IstioOperator;
  const findings = validate(operator, fileSources, sets, input.force ?? false);
  return { operator, user: user, profile, findings };
}

/** Every top-level field is kept, so that the schema check reports unknown ones (`spek:`) instead of ignoring them. */
function pickOperatorFields(object: unknown): JsonMap {
  const out: JsonMap = {};
  for (const [key, value] of Object.entries(object as JsonMap)) if (value !== undefined && key !== "status") out[key] = value;
  return out;
}

function chosenProfile(user: JsonMap, sets: SetFlag[]): string {
  let profile = (user.spec as JsonMap).profile;
  for (const set of sets) if (set.path.length === 1 && set.path[0]!.kind === "key" && set.path[0]!.key === "profile") profile = set.value;
  if (profile === undefined || profile === null || profile === "") return "default";
  if (typeof profile !== "string") throw new InputError(`spec.profile: expected a profile name, got ${JSON.stringify(profile)}`);
  return profile;
}

function applySet(spec: JsonMap, set: SetFlag, profileSpec: unknown): void {
  try {
    setAtPath(spec, set.path, set.value, { fallback: profileSpec });
  } catch (error) {
    if (error instanceof PathNotFoundError) throw new InputError(`--set "${set.flag}": ${error.message}`);
    throw error;
  }
}

function validate(operator: IstioOperator, files: FileSource[], sets: SetFlag[], force: boolean): Finding[] {
  const issues = [...checkAgainstSchema(operator, operatorBundle().schema), ...semanticIssues(operator)];
  if (issues.length === 0) return [];
  const findings = issues.map((issue) => toFinding(issue, files, sets, force));
  if (force) return findings;
  const lines = findings.map((finding) => `${where(finding)}${finding.path}: ${finding.message}`);
  throw new InputError(lines.length === 1 ? lines[0]! : `invalid IstioOperator:\n  ${lines.join("\n  ")}`, {
    hint: "fix the overlay, or pass --force to render anyway (the problems become warnings)",
  });
}

function where(finding: Finding): string {
  if (finding.file) return `${finding.file}:${finding.line}:${finding.column}: `;
  return "";
}

function semanticIssues(operator: IstioOperator): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const spec = operator.spec ?? {};
  const revision = spec.revision;
  if (typeof revision === "string" && revision !== "" && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(revision))
    issues.push({
      path: ["spec", "revision"],
      kind: "wrong-type",
      message: `invalid revision specified: ${revision} (must be a DNS-1123 label)`,
    });
  const global = isMap(spec.values) && isMap(spec.values.global) ? spec.values.global : {};
  const imageSettings: [OperatorPath, unknown, "hub" | "tag"][] = [
    [["spec", "hub"], spec.hub, "hub"],
    [["spec", "tag"], spec.tag, "tag"],
    [["spec", "values", "global", "hub"], global.hub, "hub"],
    [["spec", "values", "global", "tag"], global.tag, "tag"],
  ];
  for (const [path, setting, kind] of imageSettings) {
    // The schema check reports a setting that is no scalar.
    if ((typeof setting !== "string" && typeof setting !== "number") || setting === "") continue;
    const valid = kind === "hub" ? imageRepository.test(scalarText(setting)) : imageTag.test(scalarText(setting));
    if (!valid) issues.push({ path, kind: "wrong-type", message: `bad ${kind}: ${scalarText(setting)}` });
  }
  // istioctl renders it, but istiod 1.30 exits at start with it: Kubernetes no longer signs with the legacy signer.
  if (global.pilotCertProvider === "kubernetes")
    issues.push({
      path: ["spec", "values", "global", "pilotCertProvider"],
      kind: "wrong-type",
      message:
        'pilotCertProvider "kubernetes" is no longer supported: istiod exits at start with it; use "istiod", "custom", "none" or "k8s.io/<signer-name>"',
    });
  for (const list of ["ingressGateways", "egressGateways"] as const) {
    (spec.components?.[list] ?? []).forEach((gateway, index) => {
      if (isMap(gateway) && typeof gateway.name === "string" && !/^[a-z0-9.-]+$/.test(gateway.name))
        issues.push({
          path: ["spec", "components", list, index, "name"],
          kind: "wrong-type",
          message: `invalid gateway name: ${gateway.name}`,
        });
    });
  }
  return issues;
}

/** A registry host (optional port) and lowercase path components, as image references allow. */
const imageRepository = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$/;
const imageTag = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

function toFinding(issue: SchemaIssue, files: FileSource[], sets: SetFlag[], force: boolean): Finding {
  const path = formatOperatorPath(issue.path);
  const message = `${issue.message}${issue.suggestion ? ` (did you mean "${issue.suggestion}"?)` : ""}`;
  const finding: Finding = {
    severity: force ? "warning" : "error",
    code: issue.kind === "unknown-field" ? "IOP_UNKNOWN_FIELD" : "IOP_INVALID_VALUE",
    origin: "operator",
    message,
    path,
  };
  const set = [...sets].reverse().find((candidate) => setTouches(candidate.path, issue.path.slice(1)));
  if (set) return { ...finding, message: `${message} (from ${set.source ?? `--set ${set.flag}`})` };
  const file = [...files].reverse().find((source) => getPath(source.document.object, issue.path) !== undefined);
  if (file) {
    const position = file.document.locate(issue.path);
    return { ...finding, file: position.file, line: position.line, column: position.column };
  }
  return finding;
}

/** Whether a --set path (relative to spec) wrote the node at `specPath`, comparing map keys only. */
function setTouches(setPath: PathSegment[], specPath: OperatorPath): boolean {
  const setKeys = setPath.filter((segment) => segment.kind === "key").map((segment) => (segment as { key: string }).key);
  const issueKeys = specPath.filter((segment): segment is string => typeof segment === "string");
  const shorter = Math.min(setKeys.length, issueKeys.length);
  for (let i = 0; i < shorter; i++) if (setKeys[i] !== issueKeys[i]) return false;
  return setKeys.length > 0;
}

/** `spec.components.ingressGateways[0].k8s.tolerations[1].thats` */
export function formatOperatorPath(path: OperatorPath): string {
  let out = "";
  for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : `${out === "" ? "" : "."}${segment}`;
  return out;
}
