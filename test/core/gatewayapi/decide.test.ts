import { describe, expect, it } from "vitest";
import { summariseCrd, summariseInstalledCrd, type InstalledCrd } from "../../../src/core/gatewayapi/crd.js";
import { decideInstall, type InstalledState, type RequestedBundle } from "../../../src/core/gatewayapi/decide.js";
import { parseReleaseVersion, type Channel } from "../../../src/core/gatewayapi/versions.js";
import type { KubeObject } from "../../../src/core/objects.js";
import { syntheticBundleDocuments, syntheticCrd, syntheticCrdNames } from "../../fixtures/gateway-api/synthetic-bundle.js";

function requested(version: string, channel: Channel = "standard"): RequestedBundle {
  const crds = syntheticBundleDocuments(version, channel)
    .filter((document) => document.kind === "CustomResourceDefinition")
    .map((document) => summariseCrd(document as unknown as KubeObject));
  return { version, release: parseReleaseVersion(version)!, channel, crds };
}

interface InstalledOptions {
  established?: boolean;
  storedVersions?: string[];
  only?: string[];
  bundleVersion?: string | null;
  channelAnnotation?: string | null;
}

/** The CRDs a cluster holds after installing `version`/`channel` (Established, storedVersions = storage version). */
function installed(version: string, channel: Channel, options: InstalledOptions = {}): InstalledCrd[] {
  return syntheticCrdNames(version, channel)
    .filter((name) => !options.only || options.only.some((plural) => name.startsWith(`${plural}.`)))
    .map((name) => {
      const object = syntheticCrd(name, version, channel, {
        bundleVersion: options.bundleVersion,
        channel: options.channelAnnotation,
      }) as unknown as KubeObject;
      const storage = summariseCrd(object).versions.find((entry) => entry.storage)!.name;
      object.status = {
        conditions: [{ type: "Established", status: options.established === false ? "False" : "True" }],
        storedVersions: options.storedVersions ?? [storage],
      };
      return summariseInstalledCrd(object);
    });
}

const state = (crds: InstalledCrd[], safeUpgradesPolicy = false): InstalledState => ({ crds, safeUpgradesPolicy });
const none = state([]);

describe("deciding what `gateway-api install` does", () => {
  it.each([
    // installed                                   requested                 force   action
    ["nothing", none, requested("v1.2.1"), false, "install"],
    ["v1.2.1 standard", state(installed("v1.2.1", "standard")), requested("v1.2.1"), false, "already-installed"],
    ["v1.2.1 standard", state(installed("v1.2.1", "standard")), requested("v1.3.0"), false, "upgrade"],
    ["v1.2.1 standard", state(installed("v1.2.1", "standard")), requested("v1.5.1"), false, "upgrade"],
    ["v1.4.1 experimental", state(installed("v1.4.1", "experimental")), requested("v1.5.1", "experimental"), false, "upgrade"],
    ["v1.5.1 standard", state(installed("v1.5.1", "standard")), requested("v1.2.1"), false, "refuse"],
    ["v1.5.1 standard", state(installed("v1.5.1", "standard")), requested("v1.2.1"), true, "downgrade"],
    ["v1.2.1 standard", state(installed("v1.2.1", "standard")), requested("v1.2.1", "experimental"), false, "refuse"],
    ["v1.2.1 standard", state(installed("v1.2.1", "standard")), requested("v1.2.1", "experimental"), true, "change-channel"],
    ["v1.2.1 experimental", state(installed("v1.2.1", "experimental")), requested("v1.5.1"), false, "refuse"],
    ["v1.2.1 experimental", state(installed("v1.2.1", "experimental")), requested("v1.5.1"), true, "change-channel"],
    ["unannotated CRDs", state(installed("v1.2.1", "standard", { bundleVersion: null })), requested("v1.5.1"), false, "refuse"],
    ["unannotated CRDs", state(installed("v1.2.1", "standard", { bundleVersion: null })), requested("v1.5.1"), true, "upgrade"],
    ["an unknown channel", state(installed("v1.2.1", "standard", { channelAnnotation: "beta" })), requested("v1.2.1"), false, "refuse"],
    ["part of v1.2.1", state(installed("v1.2.1", "standard", { only: ["gateways", "httproutes"] })), requested("v1.2.1"), false, "install"],
    ["v1.5.1 + policy", state(installed("v1.5.1", "standard"), true), requested("v1.2.1"), true, "refuse"],
    ["v1.5.1 + policy", state(installed("v1.5.1", "standard"), true), requested("v1.5.1", "experimental"), true, "refuse"],
    ["v1.5.0 + policy", state(installed("v1.5.0", "standard"), true), requested("v1.5.1"), false, "upgrade"],
    ["only the policy", state([], true), requested("v1.4.1"), true, "refuse"],
  ] as const)("installed %s, requested %s, --force=%s → %s", (_label, cluster, bundle, force, action) => {
    expect(decideInstall(cluster, bundle, { force }).action).toBe(action);
  });

  it("says what is already installed and applies nothing", () => {
    expect(decideInstall(state(installed("v1.2.1", "standard")), requested("v1.2.1"), { force: false })).toMatchObject({
      action: "already-installed",
      summary: "Gateway API v1.2.1 (standard) is already installed",
      warnings: [],
    });
  });

  it("warns about CRDs not yet Established when already installed", () => {
    const decision = decideInstall(state(installed("v1.2.1", "standard", { established: false })), requested("v1.2.1"), { force: false });
    expect(decision.action === "already-installed" && decision.warnings.join("\n")).toMatch(/not Established yet/);
  });

  it("warns about skipped minor releases and shows storedVersions on upgrade", () => {
    const decision = decideInstall(state(installed("v1.2.1", "standard")), requested("v1.5.1"), { force: false });
    if (decision.action === "refuse") throw new Error(decision.reason);
    expect(decision.summary).toBe("upgrade to Gateway API v1.5.1 (standard) from v1.2.1");
    expect(decision.warnings.join("\n")).toMatch(/upgrading from v1\.2\.1 skips v1\.3, v1\.4/);
    expect(decision.notes).toContain("gateways.gateway.networking.k8s.io: storedVersions [v1], new storage version v1");
  });

  it("refuses a downgrade and says how to force it", () => {
    const decision = decideInstall(state(installed("v1.5.1", "standard")), requested("v1.2.1"), { force: false });
    expect(decision).toMatchObject({
      action: "refuse",
      reason: expect.stringMatching(/v1\.5\.1 is installed, newer than the requested v1\.2\.1/),
      hint: expect.stringMatching(/--force/),
    });
  });

  it("explains what switching from experimental to standard drops", () => {
    const decision = decideInstall(state(installed("v1.2.1", "experimental")), requested("v1.2.1"), { force: false });
    expect(decision.action === "refuse" && decision.reason).toMatch(/installed from the experimental channel.*dropped/);
  });

  it("keeps CRDs that the requested bundle does not hold, and says so", () => {
    const decision = decideInstall(state(installed("v1.2.1", "experimental")), requested("v1.2.1"), { force: true });
    if (decision.action === "refuse") throw new Error(decision.reason);
    expect(decision.warnings.join("\n")).toMatch(/tcproutes\.gateway\.networking\.k8s\.io.* stay installed \(install never deletes CRDs\)/);
    expect(decision.forced).toHaveLength(1);
  });

  it("refuses when a stored version would disappear, even with --force", () => {
    const crds = installed("v1.2.1", "standard", { only: ["gateways"], storedVersions: ["v1alpha2", "v1"] });
    const decision = decideInstall(state(crds), requested("v1.5.1"), { force: true });
    expect(decision).toMatchObject({
      action: "refuse",
      reason: expect.stringMatching(/gateways\.gateway\.networking\.k8s\.io still lists v1alpha2 in status\.storedVersions/),
    });
  });

  it("names CRDs that were not installed from a release bundle", () => {
    const decision = decideInstall(
      state(installed("v1.2.1", "standard", { bundleVersion: null, only: ["gateways"] })),
      requested("v1.5.1"),
      {
        force: false,
      },
    );
    expect(decision.action === "refuse" && decision.reason).toMatch(
      /gateways\.gateway\.networking\.k8s\.io was not installed from a Gateway API release bundle .*bundle-version=none channel=standard/,
    );
  });

  it("brings a mixed installation to the requested version and says it was mixed", () => {
    const crds = [...installed("v1.2.1", "standard", { only: ["gateways"] }), ...installed("v1.3.0", "standard", { only: ["httproutes"] })];
    const decision = decideInstall(state(crds), requested("v1.3.0"), { force: false });
    if (decision.action === "refuse") throw new Error(decision.reason);
    expect(decision.action).toBe("upgrade");
    expect(decision.summary).toMatch(/from a mixed installation/);
    expect(decision.warnings.join("\n")).toMatch(/mixed installation found: v1\.2\.1 \(standard\), v1\.3\.0 \(standard\)/);
  });

  it("refuses an older version under the safe-upgrades policy with the command to remove it", () => {
    const decision = decideInstall(state(installed("v1.5.1", "standard"), true), requested("v1.4.1"), { force: true });
    expect(decision).toMatchObject({
      action: "refuse",
      reason: expect.stringMatching(/denies Gateway API CRDs older than v1\.5\.0.*even with --force/),
      hint: expect.stringMatching(/kubectl delete validatingadmissionpolicybinding,validatingadmissionpolicy safe-upgrades/),
    });
  });
});

describe("deciding a forced channel switch across versions", () => {
  it("still warns about the minor releases it skips", () => {
    const decision = decideInstall(state(installed("v1.2.1", "experimental")), requested("v1.5.1"), { force: true });
    if (decision.action === "refuse") throw new Error(decision.reason);
    expect(decision.action).toBe("change-channel");
    expect(decision.warnings.join("\n")).toMatch(/upgrading from v1\.2\.1 skips v1\.3, v1\.4/);
  });
});
