import { homedir } from "node:os";
import { summariseInstalledCrd, isGatewayApiGroup, servedVersions, storageVersion, type InstalledCrd } from "../core/gatewayapi/crd.js";
import { decideInstall, isRecognised, type InstallDecision, type InstalledState } from "../core/gatewayapi/decide.js";
import { obtainBundle, type ObtainedBundle } from "../core/gatewayapi/download.js";
import { expectedCrdNames } from "../core/gatewayapi/releases.js";
import { resolveBundleRequest, type BundleRequestOptions } from "../core/gatewayapi/request.js";
import { DEFAULT_CHANNEL, DEFAULT_VERSION, SAFE_UPGRADES_POLICY_NAME, isChannel } from "../core/gatewayapi/versions.js";
import { ClusterError, FindingsError } from "../core/errors.js";
import type { KubeObject } from "../core/objects.js";
import { applyObjects } from "./apply-objects.js";
import type { Cluster } from "./cluster.js";
import { ReadinessTimeoutError, formatDuration, waitForEstablished } from "./wait.js";
import { compareNames } from "../core/text-order.js";

/**
 * The cluster side of `mesh gateway-api`: read what is installed, apply a verified bundle, wait for it, report,
 * uninstall. The decisions themselves are made by src/core/gatewayapi.
 */

const CRD_API_VERSION = "apiextensions.k8s.io/v1";
const ADMISSION_API_VERSION = "admissionregistration.k8s.io/v1";

export type GatewayApiProgress = (event: { kind: "step" | "warning" | "note" | "done"; message: string }) => void;

export interface EnsureOptions extends BundleRequestOptions {
  force?: boolean;
  /** Decide, let the API server check the objects (dryRun=All), change nothing; the result carries the objects. */
  dryRun?: boolean;
  /** Bounds the download and, separately, the wait for Established. */
  timeoutMs: number;
  env?: Record<string, string | undefined>;
  homeDir?: string;
  /** For `--from-file -`. */
  readStdin?: () => Promise<Buffer>;
  /** Asked once the decision is known and something would change; false cancels. Absent = proceed. */
  confirm?: (summary: string) => Promise<boolean>;
}

export interface EnsureResult {
  decision: Exclude<InstallDecision, { action: "refuse" }>;
  obtained: ObtainedBundle;
  /** What was applied (or, in a dry run, would be); empty when already installed. */
  objects: KubeObject[];
  applied: boolean;
}

/** Thrown when the user declines the confirmation prompt. */
export class CancelledError extends FindingsError {
  constructor() {
    super("Cancelled.");
  }
}

/** Resolves, reads and verifies the requested bundle (file, cache or download), reporting where it came from. */
export async function readRequestedBundle(options: EnsureOptions, progress: GatewayApiProgress = () => {}) {
  const env = options.env ?? process.env;
  const request = resolveBundleRequest(options, env);
  const which = [request.version, request.channel].filter(Boolean).join(" ");
  const from = request.origin === "file" ? ` from ${request.source.path === "-" ? "standard input" : request.source.path}` : "";
  progress({ kind: "step", message: `Reading the Gateway API ${which ? `${which} ` : ""}bundle${from}` });
  const obtained = await obtainBundle(request, {
    env,
    homeDir: options.homeDir ?? (env.HOME || homedir()),
    timeoutMs: options.timeoutMs,
    allowInsecureHttp: options.insecureHttp === true,
    ...(options.readStdin ? { readStdin: options.readStdin } : {}),
  });
  for (const warning of obtained.warnings) progress({ kind: "warning", message: warning });
  const { bundle } = obtained;
  progress({
    kind: "note",
    message: `Bundle ${bundle.version} (${bundle.channel}) from ${obtained.origin === "cache" ? `cache ${obtained.location}` : obtained.location}, sha256 ${bundle.sha256}`,
  });
  return { request, obtained };
}

export async function readInstalledState(cluster: Cluster): Promise<InstalledState> {
  const [crds, policy] = await Promise.all([
    cluster.list(CRD_API_VERSION, "CustomResourceDefinition"),
    cluster.serves(ADMISSION_API_VERSION, "ValidatingAdmissionPolicy").then((served) =>
      served
        ? cluster.get({
            apiVersion: ADMISSION_API_VERSION,
            kind: "ValidatingAdmissionPolicy",
            metadata: { name: SAFE_UPGRADES_POLICY_NAME },
          })
        : undefined,
    ),
  ]);
  return {
    crds: crds
      .filter((crd) => isGatewayApiGroup((crd.spec as { group?: unknown } | undefined)?.group))
      .map(summariseInstalledCrd)
      .sort((a, b) => compareNames(a.name, b.name)),
    safeUpgradesPolicy: policy !== undefined,
  };
}

/**
 * Makes the cluster hold the requested Gateway API bundle, following the CRD-management rules (see decide.ts).
 * Every refusal and every bundle problem is raised before the cluster is changed; `mesh install
 * --with-gateway-api` calls this too.
 */
export async function ensureGatewayApiCrds(
  cluster: Cluster,
  options: EnsureOptions,
  progress: GatewayApiProgress = () => {},
): Promise<EnsureResult> {
  const { obtained } = await readRequestedBundle(options, progress);
  const { bundle } = obtained;

  const state = await readInstalledState(cluster);
  const decision = decideInstall(
    state,
    { version: bundle.version, release: bundle.release, channel: bundle.channel, crds: bundle.summaries },
    { force: options.force === true },
  );
  if (decision.action === "refuse") {
    throw new FindingsError(`refusing to install Gateway API ${bundle.version} (${bundle.channel}): ${decision.reason}`, {
      hint: `${decision.hint} Nothing was applied.`,
    });
  }
  for (const warning of decision.warnings) progress({ kind: "warning", message: warning });
  for (const note of decision.notes) progress({ kind: "note", message: note });
  if (decision.action === "already-installed") {
    progress({ kind: "done", message: `${decision.summary}; nothing applied` });
    return { decision, obtained, objects: [], applied: false };
  }

  if (bundle.policies.length > 0 && !(await cluster.serves(ADMISSION_API_VERSION, "ValidatingAdmissionPolicy"))) {
    throw new FindingsError(
      `refusing to install Gateway API ${bundle.version} (${bundle.channel}): its bundle includes a ValidatingAdmissionPolicy (${ADMISSION_API_VERSION}), which this cluster does not serve (Kubernetes 1.30 and later do)`,
      { hint: "Upgrade the cluster, or install a release before v1.5.0 (e.g. --version v1.4.1). Nothing was applied." },
    );
  }

  // CRDs first: the safe-upgrades policy then guards later changes, not this one.
  const objects = [...bundle.crds, ...bundle.policies];
  if (!options.dryRun && options.confirm && !(await options.confirm(decision.summary))) throw new CancelledError();

  // The server checks every object first, so that a rejection (admission policy, storedVersions) changes nothing.
  // Conflicts are forced: the decision above already settled who may own these CRDs (kubectl apply, an older mesh…).
  progress({ kind: "step", message: `Checking ${objects.length} objects with a server-side dry run` });
  await applyObjects(cluster, objects, { force: true, dryRun: true });
  if (options.dryRun) {
    progress({ kind: "done", message: `Dry run: would ${decision.summary} (${objects.length} objects); nothing applied` });
    return { decision, obtained, objects, applied: false };
  }
  progress({ kind: "step", message: `Applying ${objects.length} objects (server-side apply, field manager mesh)` });
  await applyObjects(cluster, objects, { force: true, dryRun: false });
  progress({ kind: "step", message: `Waiting for ${bundle.crds.length} CRDs to be Established` });
  try {
    await waitForEstablished(cluster, bundle.crds, { timeoutMs: options.timeoutMs });
  } catch (error) {
    if (!(error instanceof ReadinessTimeoutError)) throw error;
    throw new ClusterError(
      `Gateway API CRDs not Established after ${formatDuration(options.timeoutMs)}: ${error.notReady.map((entry) => entry.object).join(", ")}`,
      { hint: "The CRDs were applied; check the API server (kubectl get crd -o wide), then run `mesh gateway-api status`.", cause: error },
    );
  }
  const verb = decision.action === "install" ? "installed" : decision.action === "upgrade" ? "upgraded" : "applied";
  progress({ kind: "done", message: `Gateway API ${bundle.version} (${bundle.channel}) ${verb}: ${bundle.crds.length} CRDs Established` });
  return { decision, obtained, objects, applied: true };
}

export interface CrdStatusRow {
  name: string;
  installed: boolean;
  bundleVersion: string | undefined;
  channel: string | undefined;
  servedVersions: string[];
  storedVersions: string[];
  established: boolean;
}

export interface GatewayApiStatus {
  crds: CrdStatusRow[];
  /** Distinct `version (channel)` pairs among installed CRDs. */
  bundles: string[];
  safeUpgradesPolicy: boolean;
  /** Why the installation is not one consistent, healthy bundle; empty when it is (or when nothing is installed). */
  problems: string[];
}

/** Per-CRD report; CRDs the installed release should have but lacks are listed as not installed. */
export async function gatewayApiStatus(cluster: Cluster): Promise<GatewayApiStatus> {
  const state = await readInstalledState(cluster);
  const rows: CrdStatusRow[] = state.crds.map((crd: InstalledCrd) => ({
    name: crd.name,
    installed: true,
    bundleVersion: crd.bundleVersion,
    channel: crd.channel,
    servedVersions: servedVersions(crd),
    storedVersions: crd.storedVersions,
    established: crd.established,
  }));
  const bundles = [...new Set(state.crds.map((crd) => `${crd.bundleVersion ?? "unknown"} (${crd.channel ?? "unknown"})`))].sort();
  const problems: string[] = [];
  if (bundles.length > 1) problems.push(`mixed Gateway API versions or channels: ${bundles.join(", ")}`);
  const only = state.crds[0];
  const expected =
    state.crds.length === 0
      ? expectedCrdNames(DEFAULT_VERSION, DEFAULT_CHANNEL)
      : bundles.length === 1 && only?.bundleVersion && only.channel && isChannel(only.channel)
        ? expectedCrdNames(only.bundleVersion, only.channel)
        : undefined;
  const missing = (expected ?? []).filter((name) => !rows.some((row) => row.name === name));
  for (const name of missing) {
    rows.push({
      name,
      installed: false,
      bundleVersion: undefined,
      channel: undefined,
      servedVersions: [],
      storedVersions: [],
      established: false,
    });
  }
  if (state.crds.length > 0 && missing.length > 0) problems.push(`missing from the installed bundle: ${missing.join(", ")}`);
  const pending = state.crds.filter((crd) => !crd.established);
  if (pending.length > 0) problems.push(`not Established: ${pending.map((crd) => crd.name).join(", ")}`);
  rows.sort((a, b) => compareNames(a.name, b.name));
  return { crds: rows, bundles, safeUpgradesPolicy: state.safeUpgradesPolicy, problems };
}

export interface UninstallPlan {
  /** CRDs of a Gateway API release bundle: the ones uninstall deletes. */
  crds: InstalledCrd[];
  /**
   * CRDs in a Gateway API group that no release bundle installed (annotations missing or unknown, or a name the
   * release does not ship): someone else's, never deleted, as `gateway-api install` refuses to replace them.
   */
  foreign: InstalledCrd[];
  /** How many objects of each CRD's kind exist (they go with it); undefined when they could not be listed. */
  objectCounts: Map<string, number | undefined>;
  /** The safe-upgrades policy and binding, when present. */
  policies: Array<{ apiVersion: string; kind: string; name: string }>;
}

export async function planGatewayApiUninstall(cluster: Cluster): Promise<UninstallPlan> {
  const state = await readInstalledState(cluster);
  const policies = state.safeUpgradesPolicy
    ? ["ValidatingAdmissionPolicyBinding", "ValidatingAdmissionPolicy"].map((kind) => ({
        apiVersion: ADMISSION_API_VERSION,
        kind,
        name: SAFE_UPGRADES_POLICY_NAME,
      }))
    : [];
  const objectCounts = new Map<string, number | undefined>();
  const ours = state.crds.filter(isFromReleaseBundle);
  await Promise.all(
    ours.map(async (crd) => {
      const version = storageVersion(crd) ?? servedVersions(crd)[0];
      const count = version
        ? await cluster.listIfServed(`${crd.group}/${version}`, crd.kind).then(
            (objects) => objects.length,
            () => undefined,
          )
        : undefined;
      objectCounts.set(crd.name, count);
    }),
  );
  return { crds: ours, foreign: state.crds.filter((crd) => !isFromReleaseBundle(crd)), objectCounts, policies };
}

function isFromReleaseBundle(crd: InstalledCrd): boolean {
  if (!isRecognised(crd)) return false;
  const expected = isChannel(crd.channel!) ? expectedCrdNames(crd.bundleVersion!, crd.channel) : undefined;
  return expected === undefined || expected.includes(crd.name);
}

/** Deletes the policy first (it guards CRD writes), then every Gateway API CRD. */
export async function uninstallGatewayApi(cluster: Cluster, plan: UninstallPlan, progress: GatewayApiProgress = () => {}) {
  const removed: string[] = [];
  for (const policy of plan.policies) {
    const ref = { apiVersion: policy.apiVersion, kind: policy.kind, metadata: { name: policy.name } };
    if (await cluster.delete(ref)) removed.push(`${policy.kind} ${policy.name}`);
  }
  for (const crd of plan.crds) {
    const gone = await cluster.delete({ apiVersion: CRD_API_VERSION, kind: "CustomResourceDefinition", metadata: { name: crd.name } });
    if (gone) {
      removed.push(`CustomResourceDefinition ${crd.name}`);
      progress({ kind: "note", message: `Removed CustomResourceDefinition ${crd.name}` });
    }
  }
  progress({ kind: "done", message: `Gateway API uninstalled (${removed.length} objects removed)` });
  return removed;
}
