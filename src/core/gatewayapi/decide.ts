import { storageVersion, type CrdSummary, type InstalledCrd } from "./crd.js";
import {
  CHANNELS,
  SAFE_UPGRADES_POLICY_NAME,
  SAFE_UPGRADES_SINCE,
  compareReleaseVersions,
  formatReleaseVersion,
  parseReleaseVersion,
  shipsSafeUpgradesPolicy,
  skippedMinors,
  type Channel,
  type ReleaseVersion,
} from "./versions.js";

/** What the cluster holds, as read before anything is applied. */
export interface InstalledState {
  /** Every CRD of a Gateway API group found in the cluster. */
  crds: InstalledCrd[];
  /** The safe-upgrades ValidatingAdmissionPolicy (shipped from v1.5) exists and so guards CRD writes. */
  safeUpgradesPolicy: boolean;
}

export interface RequestedBundle {
  version: string;
  release: ReleaseVersion;
  channel: Channel;
  crds: CrdSummary[];
}

export type InstallAction = "install" | "already-installed" | "upgrade" | "downgrade" | "change-channel";

export type InstallDecision =
  | {
      action: InstallAction;
      /** One line for the user, e.g. `upgrade Gateway API v1.2.1 → v1.5.1 (standard)`. */
      summary: string;
      warnings: string[];
      /** Informational lines, e.g. each CRD's storedVersions before an upgrade. */
      notes: string[];
      /** The refusals that --force overrode, for the record. */
      forced: string[];
    }
  | { action: "refuse"; reason: string; hint: string };

const policyHint = `Deleting the policy is a deliberate step mesh leaves to you ('kubectl delete validatingadmissionpolicybinding,validatingadmissionpolicy ${SAFE_UPGRADES_POLICY_NAME}').`;

/**
 * The Gateway API CRD-management rules as a table over (installed, requested, --force): install when nothing is
 * there, do nothing when the same bundle is there, upgrade forward, refuse downgrades, unrecognised CRDs and
 * channel changes unless forced. Nothing here ever removes a CRD.
 */
export function decideInstall(state: InstalledState, requested: RequestedBundle, flags: { force: boolean }): InstallDecision {
  const label = `Gateway API ${requested.version} (${requested.channel})`;
  const installed = state.crds;

  const policyRefusal = safeUpgradesRefusal(state, requested);
  if (policyRefusal) return policyRefusal;
  if (installed.length === 0) {
    return { action: "install", summary: `install ${label}`, warnings: [], notes: [], forced: [] };
  }

  const warnings: string[] = [];
  const forced: string[] = [];
  const recognised = installed.filter(isRecognised);
  const unrecognised = installed.filter((crd) => !isRecognised(crd));
  if (unrecognised.length > 0) {
    const reason =
      `${describeNames(unrecognised)} ${unrecognised.length === 1 ? "was" : "were"} not installed from a Gateway API release bundle ` +
      `(bundle-version/channel annotations missing or unknown: ${unrecognised.map(describeAnnotations).join("; ")}); ` +
      "another tool or your platform may manage them";
    if (!flags.force) {
      return { action: "refuse", reason, hint: `Pass --force to replace them with ${label}, or leave them to whoever manages them.` };
    }
    forced.push(reason);
  }

  const storedRefusal = storedVersionRefusal(installed, requested);
  if (storedRefusal) return storedRefusal;

  const otherChannels = [...new Set(recognised.map((crd) => crd.channel!))].filter((channel) => channel !== requested.channel);
  if (otherChannels.length > 0) {
    const reason = channelChangeReason(otherChannels[0] as Channel, requested, recognised);
    if (!flags.force) {
      return {
        action: "refuse",
        reason,
        hint: `Pass --force to switch to the ${requested.channel} channel anyway, or use --channel ${otherChannels[0]}.`,
      };
    }
    forced.push(reason);
  }

  const versions = recognised.map((crd) => parseReleaseVersion(crd.bundleVersion!)!).sort(compareReleaseVersions);
  const oldest = versions[0];
  const newest = versions[versions.length - 1];
  const distinct = [...new Set(recognised.map((crd) => `${crd.bundleVersion} (${crd.channel})`))].sort();
  if (distinct.length > 1)
    warnings.push(`mixed installation found: ${distinct.join(", ")}; all CRDs of the bundle will be ${requested.version}`);

  const downgrade = newest !== undefined && compareReleaseVersions(newest, requested.release) > 0;
  if (downgrade) {
    const reason = `${formatReleaseVersion(newest)} is installed, newer than the requested ${requested.version}; downgrading can drop fields and versions that stored objects use`;
    if (!flags.force) {
      return { action: "refuse", reason, hint: `Keep the installed version, or pass --force to downgrade to ${requested.version}.` };
    }
    forced.push(reason);
  }

  const installedNames = new Set(installed.map((crd) => crd.name));
  const bundleNames = new Set(requested.crds.map((crd) => crd.name));
  const leftOver = installed.filter((crd) => !bundleNames.has(crd.name));
  if (leftOver.length > 0) {
    warnings.push(
      `${describeNames(leftOver)} ${leftOver.length === 1 ? "is" : "are"} not part of ${label} and stay${leftOver.length === 1 ? "s" : ""} installed (install never deletes CRDs)`,
    );
  }
  if (forced.length > 0) warnings.push(...forced.map((reason) => `--force: ${reason}`));
  if (oldest) {
    const skipped = skippedMinors(oldest, requested.release);
    if (skipped.length > 0) {
      warnings.push(
        `upgrading from ${formatReleaseVersion(oldest)} skips ${skipped.join(", ")}; read the upgrade notes of each skipped release (removed versions, storage migration)`,
      );
    }
  }

  const storedNotes = recognised
    .filter((crd) => bundleNames.has(crd.name))
    .map(
      (crd) =>
        `${crd.name}: storedVersions [${crd.storedVersions.join(", ")}], new storage version ${storageVersion(requested.crds.find((entry) => entry.name === crd.name)!) ?? "?"}`,
    );

  if (otherChannels.length > 0 && flags.force) {
    return {
      action: "change-channel",
      summary: `switch to ${label} from the ${otherChannels.join("/")} channel`,
      warnings,
      notes: storedNotes,
      forced,
    };
  }
  if (downgrade) {
    return {
      action: "downgrade",
      summary: `downgrade to ${label} from ${formatReleaseVersion(newest)}`,
      warnings,
      notes: storedNotes,
      forced,
    };
  }
  const sameVersion = recognised.length > 0 && recognised.every((crd) => crd.bundleVersion === requested.version);
  if (sameVersion) {
    const missing = requested.crds.filter((crd) => !installedNames.has(crd.name));
    if (missing.length === 0 && unrecognised.length === 0) {
      const pending = installed.filter((crd) => bundleNames.has(crd.name) && !crd.established);
      if (pending.length > 0) warnings.push(`${describeNames(pending)} not Established yet`);
      return { action: "already-installed", summary: `${label} is already installed`, warnings, notes: [], forced };
    }
    if (missing.length > 0)
      warnings.push(`${missing.length} of the bundle's ${requested.crds.length} CRDs are missing: ${describeNames(missing)}`);
    return { action: "install", summary: `complete ${label}`, warnings, notes: [], forced };
  }
  const from = oldest === undefined ? "unrecognised CRDs" : distinct.length === 1 ? formatReleaseVersion(oldest) : "a mixed installation";
  return { action: "upgrade", summary: `upgrade to ${label} from ${from}`, warnings, notes: storedNotes, forced };
}

/** Whether a CRD carries the bundle-version and channel annotations of a Gateway API release bundle. */
export function isRecognised(crd: InstalledCrd): boolean {
  return (
    crd.bundleVersion !== undefined &&
    parseReleaseVersion(crd.bundleVersion) !== undefined &&
    crd.channel !== undefined &&
    (CHANNELS as readonly string[]).includes(crd.channel)
  );
}

/** From v1.5 upstream ships an admission policy that denies older bundles and experimental-over-standard. */
function safeUpgradesRefusal(state: InstalledState, requested: RequestedBundle): InstallDecision | undefined {
  if (!state.safeUpgradesPolicy) return undefined;
  if (!shipsSafeUpgradesPolicy(requested.release)) {
    return {
      action: "refuse",
      reason: `the cluster's ValidatingAdmissionPolicy ${SAFE_UPGRADES_POLICY_NAME} denies Gateway API CRDs older than ${SAFE_UPGRADES_SINCE}, so ${requested.version} cannot be installed, even with --force`,
      hint: policyHint,
    };
  }
  const standardCrds = state.crds.filter((crd) => crd.channel === "standard" && crd.group === "gateway.networking.k8s.io");
  if (requested.channel === "experimental" && standardCrds.length > 0) {
    return {
      action: "refuse",
      reason: `the cluster's ValidatingAdmissionPolicy ${SAFE_UPGRADES_POLICY_NAME} denies experimental CRDs over the installed standard ones (${describeNames(standardCrds)}), even with --force`,
      hint: policyHint,
    };
  }
  return undefined;
}

/** The API server rejects a CRD update whose spec.versions drops a version still listed in status.storedVersions. */
function storedVersionRefusal(installed: InstalledCrd[], requested: RequestedBundle): InstallDecision | undefined {
  const problems: string[] = [];
  for (const crd of installed) {
    const next = requested.crds.find((entry) => entry.name === crd.name);
    if (!next) continue;
    const kept = new Set(next.versions.map((version) => version.name));
    const dropped = crd.storedVersions.filter((version) => !kept.has(version));
    if (dropped.length > 0) {
      problems.push(
        `${crd.name} still lists ${dropped.join(", ")} in status.storedVersions but ${requested.version} no longer defines ${dropped.length === 1 ? "it" : "them"}`,
      );
    }
  }
  if (problems.length === 0) return undefined;
  return {
    action: "refuse",
    reason: `the API server would reject the update: ${problems.join("; ")}`,
    hint:
      "Rewrite the stored objects in the current storage version and remove the old version from status.storedVersions " +
      "(see the Gateway API upgrade notes), or upgrade through a release that still defines it.",
  };
}

function channelChangeReason(from: Channel, requested: RequestedBundle, recognised: InstalledCrd[]): string {
  const version = [...new Set(recognised.filter((crd) => crd.channel === from).map((crd) => crd.bundleVersion))].join("/");
  if (from === "experimental") {
    return (
      `Gateway API ${version} is installed from the experimental channel; the standard CRDs of ${requested.version} lack its experimental fields, ` +
      "so values stored in those fields are dropped when objects are next written, and experimental-only CRDs stay installed but are no longer updated"
    );
  }
  return (
    `Gateway API ${version} is installed from the standard channel; the experimental CRDs of ${requested.version} add alpha fields and resources ` +
    "that may change incompatibly between releases, and going back to standard later drops them"
  );
}

function describeNames(crds: Array<{ name: string }>): string {
  const names = crds.map((crd) => crd.name);
  return names.length > 4 ? `${names.slice(0, 4).join(", ")} and ${names.length - 4} more` : names.join(", ");
}

function describeAnnotations(crd: InstalledCrd): string {
  return `${crd.name} bundle-version=${crd.bundleVersion ?? "none"} channel=${crd.channel ?? "none"}`;
}
