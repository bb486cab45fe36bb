import { describe, expect, it } from "vitest";
import { composeOperator } from "../../../src/core/operator/compose.js";
import { readOperatorFiles } from "../../../src/core/operator/read-files.js";
import { loadProfile, profileNames } from "../../../src/core/operator/profiles.js";
import { inputErrorOf } from "../../support/input-error.js";

const file = (path: string, text: string) => ({ path, text });
const compose = (sets: string[], files: { path: string; text: string }[] = [], force = false) =>
  composeOperator({ documents: readOperatorFiles(files), sets, force });

describe("profiles", () => {
  it("ships the documented profiles", () => {
    expect(profileNames()).toEqual([
      "ambient",
      "default",
      "demo",
      "empty",
      "minimal",
      "openshift",
      "openshift-ambient",
      "preview",
      "remote",
      "stable",
    ]);
  });

  it("layers every profile on default: demo keeps default's settings and turns egress on", () => {
    const demo = loadProfile("demo");
    expect(demo.metadata?.namespace).toBe("istio-system");
    expect(demo.spec?.hub).toBe("docker.io/istio");
    expect(demo.spec?.tag).toBe("1.30.3");
    expect(demo.spec?.components?.egressGateways).toEqual([{ name: "istio-egressgateway", enabled: true }]);
    expect(demo.spec?.values).toMatchObject({ profile: "demo", defaultRevision: "", global: { istioNamespace: "istio-system" } });
  });

  it("rejects an unknown profile with a suggestion", () => {
    const error = inputErrorOf(() => compose(["profile=minimall"]));
    expect(error.message).toBe('profile "minimall" not found (did you mean "minimal"?)');
  });
});

describe("merge precedence: profile < -f files in order < --set in order", () => {
  it("lets later files beat earlier ones and --set beat files", () => {
    const first = file("a.yaml", "spec:\n  hub: one.example\n  values:\n    global:\n      logging:\n        level: default:debug\n");
    const second = file("b.yaml", "spec:\n  hub: two.example\n");
    expect(compose([], [first, second]).operator.spec?.hub).toBe("two.example");
    expect(compose(["hub=three.example"], [first, second]).operator.spec?.hub).toBe("three.example");
    expect(compose(["hub=x.example", "hub=y.example"]).operator.spec?.hub).toBe("y.example");
    expect(compose([], [first, second]).operator.spec?.values).toMatchObject({
      global: { logging: { level: "default:debug" }, istioNamespace: "istio-system" },
    });
  });

  it("takes the profile from a file or from --set", () => {
    expect(compose([], [file("p.yaml", "spec:\n  profile: demo\n")]).profile).toBe("demo");
    expect(compose(["profile=minimal"], [file("p.yaml", "spec:\n  profile: demo\n")]).profile).toBe("minimal");
  });

  it("replaces lists wholesale: a user ingressGateways list drops the profile's", () => {
    const composed = compose(["components.ingressGateways[0].name=my-gateway"]);
    expect(composed.operator.spec?.components?.ingressGateways).toEqual([{ name: "my-gateway" }]);
  });

  it("resolves [name:…] selectors against the profile's list (istioctl would fail)", () => {
    const composed = compose(["components.ingressGateways[name:istio-ingressgateway].enabled=false"]);
    expect(composed.operator.spec?.components?.ingressGateways).toEqual([{ name: "istio-ingressgateway", enabled: false }]);
  });

  it("treats a file whose spec is null as empty and maps --revision to spec.revision", () => {
    const composed = composeOperator({
      documents: readOperatorFiles([file("n.yaml", "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n")]),
      sets: [],
      revision: "canary",
    });
    expect(composed.operator.spec?.revision).toBe("canary");
    expect(composeOperator({ documents: [], sets: [], revision: "default" }).operator.spec?.revision).toBeUndefined();
  });
});

describe("validation of the merged IstioOperator", () => {
  it("names the path, file, line and a suggestion for an unknown field", () => {
    const overlay = file("overlay.yaml", ["spec:", "  components:", "    pilot:", "      k8s:", "        replicaCont: 2", ""].join("\n"));
    const error = inputErrorOf(() => compose([], [overlay]));
    expect(error.message).toBe(
      'overlay.yaml:5:9: spec.components.pilot.k8s.replicaCont: unknown field "replicaCont" (did you mean "replicaCount"?)',
    );
  });

  it("rejects unknown fields inside Kubernetes structs such as tolerations", () => {
    const overlay = file(
      "t.yaml",
      "spec:\n  components:\n    pilot:\n      k8s:\n        tolerations:\n        - key: a\n          thats: b\n",
    );
    expect(inputErrorOf(() => compose([], [overlay])).message).toContain(
      't.yaml:7:11: spec.components.pilot.k8s.tolerations[0].thats: unknown field "thats"',
    );
  });

  it("rejects wrong types, e.g. enabled given as a string", () => {
    const overlay = file("e.yaml", 'spec:\n  components:\n    pilot:\n      enabled: "true"\n');
    expect(inputErrorOf(() => compose([], [overlay])).message).toBe(
      'e.yaml:4:7: spec.components.pilot.enabled: expected a boolean (true or false), got the string "true"',
    );
    expect(inputErrorOf(() => compose(["components.pilot.k8s.replicaCount=abc"])).message).toContain(
      'spec.components.pilot.k8s.replicaCount: expected an integer, got the string "abc" (from --set components.pilot.k8s.replicaCount=abc)',
    );
  });

  it("rejects unknown keys in values with the flag that set them", () => {
    expect(inputErrorOf(() => compose(["values.global.badKey=1"])).message).toBe(
      'spec.values.global.badKey: unknown field "badKey" (from --set values.global.badKey=1)',
    );
  });

  it("lists every problem when there are several", () => {
    const message = inputErrorOf(() => compose(["values.global.badKey=1", "values.pilot.autoscaleEnabled=maybe"])).message;
    expect(message).toContain("invalid IstioOperator:");
    expect(message).toContain("badKey");
    expect(message).toContain("autoscaleEnabled");
  });

  it("downgrades problems to warnings with --force", () => {
    const composed = compose(["values.global.badKey=1"], [], true);
    expect(composed.findings).toMatchObject([{ severity: "warning", code: "IOP_UNKNOWN_FIELD", path: "spec.values.global.badKey" }]);
  });

  it("refuses two IstioOperators in one file, naming the line of the second", () => {
    const twice = file("two.yaml", "spec:\n  hub: a\n---\nspec:\n  hub: b\n");
    expect(inputErrorOf(() => compose([], [twice])).message).toBe(
      "two.yaml:4: contains multiple IstioOperator CRs, only one per file is supported",
    );
  });

  it("reports YAML syntax errors with their position", () => {
    expect(inputErrorOf(() => compose([], [file("bad.yaml", "spec:\n  hub: [\n")])).message).toMatch(/^bad\.yaml:\d+:\d+: /);
  });

  it.each([
    ["hub=Docker.io/Istio", "bad hub: Docker.io/Istio"],
    ["hub=registry.example:5000/team/", "bad hub: registry.example:5000/team/"],
    ["values.global.tag=1.30.3 latest", "bad tag: 1.30.3 latest"],
    ["tag=-dev", "bad tag: -dev"],
  ])("rejects an image setting that is no valid reference: %s", (set, message) => {
    expect(inputErrorOf(() => compose([set])).message).toContain(message);
  });

  it("accepts registries with ports and tags with dots and dashes", () => {
    expect(() => compose(["hub=localhost:5000/istio", "tag=1.30.3-distroless"])).not.toThrow();
  });

  it("rejects a revision that is not a DNS-1123 label and a gateway name with bad characters", () => {
    expect(inputErrorOf(() => compose(["revision=Canary_1"])).message).toContain("invalid revision specified: Canary_1");
    expect(inputErrorOf(() => compose(["components.ingressGateways[0].name=My_Gateway"])).message).toContain(
      "invalid gateway name: My_Gateway",
    );
  });
});
