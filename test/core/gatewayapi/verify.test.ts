import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/errors.js";
import { parseReleaseVersion, type Channel } from "../../../src/core/gatewayapi/versions.js";
import { sha256Hex, verifyBundle } from "../../../src/core/gatewayapi/verify.js";
import { syntheticBundle, syntheticCrd } from "../../fixtures/gateway-api/synthetic-bundle.js";

const expectation = (version: string, channel: Channel = "standard") => ({
  version,
  release: parseReleaseVersion(version)!,
  channel,
});

function refusal(text: string, version = "v1.2.1", channel: Channel = "standard"): string {
  try {
    verifyBundle(text, expectation(version, channel), "test.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error("the bundle was accepted");
}

describe("verifying a Gateway API bundle", () => {
  it("accepts the v1.2.1 standard bundle: five CRDs, status removed, digest of the text", () => {
    const text = syntheticBundle("v1.2.1", "standard");
    const bundle = verifyBundle(text, expectation("v1.2.1"), "test.yaml");
    expect(bundle.summaries.map((crd) => crd.name)).toEqual([
      "gatewayclasses.gateway.networking.k8s.io",
      "gateways.gateway.networking.k8s.io",
      "grpcroutes.gateway.networking.k8s.io",
      "httproutes.gateway.networking.k8s.io",
      "referencegrants.gateway.networking.k8s.io",
    ]);
    expect(bundle.crds.every((crd) => !("status" in crd))).toBe(true);
    expect(bundle.policies).toEqual([]);
    expect(bundle.sha256).toBe(sha256Hex(text));
  });

  it("accepts the v1.5.1 experimental bundle with the safe-upgrades policy and binding (whatever their annotations)", () => {
    const bundle = verifyBundle(syntheticBundle("v1.5.1", "experimental"), expectation("v1.5.1", "experimental"), "t");
    expect(bundle.summaries.some((crd) => crd.group === "gateway.networking.x-k8s.io")).toBe(true);
    expect(bundle.policies.map((policy) => policy.kind)).toEqual(["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]);
  });

  it.each(["v1.3.0", "v1.4.0", "v1.4.1", "v1.5.0"])("accepts a %s bundle holding the required CRDs", (version) => {
    expect(() => verifyBundle(syntheticBundle(version, "standard"), expectation(version), "t")).not.toThrow();
  });

  it("refuses an empty download", () => {
    expect(refusal("  \n")).toMatch(/is empty/);
  });

  it("refuses an HTML page, naming its title", () => {
    const page = "<!DOCTYPE html>\n<html><head><title>Sign in – Corporate Proxy</title></head><body>…</body></html>";
    expect(refusal(page)).toMatch(/is an HTML page \("Sign in – Corporate Proxy"\), not YAML/);
  });

  it("refuses a bundle of another version, saying which version it holds", () => {
    const message = refusal(syntheticBundle("v1.2.1", "standard"), "v1.5.1");
    expect(message).toMatch(/is not the v1\.5\.1 standard bundle/);
    expect(message).toMatch(/bundle-version is v1\.2\.1, not v1\.5\.1/);
    expect(message).toMatch(/It contains bundle-version v1\.2\.1, channel standard/);
  });

  it("refuses a bundle of the other channel", () => {
    expect(refusal(syntheticBundle("v1.2.1", "experimental"), "v1.2.1", "standard")).toMatch(/channel is experimental, not standard/);
  });

  it("refuses CRDs without the bundle annotations", () => {
    const text = syntheticBundle("v1.2.1", "standard", { crd: { bundleVersion: null, channel: null } });
    expect(refusal(text)).toMatch(/bundle-version is missing, not v1\.2\.1; channel is missing, not standard/);
  });

  it("refuses a tampered bundle that carries another object", () => {
    const text = syntheticBundle("v1.2.1", "standard", {
      mutate: (documents) => [
        ...documents,
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "gimme-admin" } },
      ],
    });
    expect(refusal(text)).toMatch(
      /ClusterRoleBinding gimme-admin at line \d+ \(rbac\.authorization\.k8s\.io\/v1\) is not a Gateway API CRD/,
    );
  });

  it("refuses a CRD of another API group even when annotated like a bundle", () => {
    const text = syntheticBundle("v1.2.1", "standard", {
      mutate: (documents) => [...documents, syntheticCrd("widgets.example.com", "v1.2.1", "standard")],
    });
    expect(refusal(text)).toMatch(/widgets\.example\.com.*group "example\.com" is not a Gateway API group/);
  });

  it("refuses a bundle cut off in the middle of a document", () => {
    const text = syntheticBundle("v1.2.1", "standard");
    const cut = text.slice(0, text.indexOf("openAPIV3Schema", text.indexOf("name: httproutes")) + 5);
    expect(refusal(cut)).toMatch(/no openAPIV3Schema|not valid YAML|missing CRDs/);
  });

  it("refuses a bundle cut off between documents, naming the missing CRDs", () => {
    const text = syntheticBundle("v1.2.1", "standard");
    const cut = text.slice(0, text.lastIndexOf("---\n"));
    expect(refusal(cut)).toMatch(/missing CRDs referencegrants\.gateway\.networking\.k8s\.io \(truncated or incomplete bundle\?\)/);
  });

  it("refuses a v1.5 bundle without the safe-upgrades binding", () => {
    const text = syntheticBundle("v1.5.1", "standard", { mutate: (documents) => documents.slice(0, -1) });
    expect(refusal(text, "v1.5.1")).toMatch(/missing ValidatingAdmissionPolicyBinding safe-upgrades/);
  });

  it("refuses the safe-upgrades policy in a bundle older than v1.5", () => {
    const v15 = syntheticBundle("v1.5.1", "standard");
    const policy = v15.slice(v15.indexOf("apiVersion: admissionregistration.k8s.io/v1"));
    const text = `${syntheticBundle("v1.4.1", "standard")}---\n${policy}`;
    expect(refusal(text, "v1.4.1")).toMatch(/ValidatingAdmissionPolicy safe-upgrades.* is only part of bundles from v1\.5\.0 on/);
  });

  it("refuses a CRD that appears twice", () => {
    const text = syntheticBundle("v1.2.1", "standard", { mutate: (documents) => [...documents, documents[0]!] });
    expect(refusal(text)).toMatch(/gatewayclasses\.gateway\.networking\.k8s\.io at line \d+ appears twice/);
  });

  it("refuses a known release whose CRD list differs from the published one", () => {
    const text = syntheticBundle("v1.2.1", "standard", {
      mutate: (documents) => [...documents, syntheticCrd("tcproutes.gateway.networking.k8s.io", "v1.2.1", "standard")],
    });
    expect(refusal(text)).toMatch(/unexpected CRDs tcproutes\.gateway\.networking\.k8s\.io for v1\.2\.1 standard/);
  });

  it("refuses text that is not YAML", () => {
    expect(refusal("apiVersion: [unclosed\n")).toMatch(/is not valid YAML \(line \d+: .*the download may be truncated/);
  });

  it("refuses a CRD with two storage versions", () => {
    const text = syntheticBundle("v1.2.1", "standard", {
      crd: {
        versions: [
          { name: "v1", served: true, storage: true },
          { name: "v1beta1", served: true, storage: true },
        ],
      },
    });
    expect(refusal(text)).toMatch(/2 storage versions instead of one/);
  });
});
