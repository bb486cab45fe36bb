import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/errors.js";
import { formatPath, parsePath, PathSyntaxError, setAtPath } from "../../../src/core/operator/path-language.js";
import { parseSetFlag, typedScalar } from "../../../src/core/operator/set-flags.js";

describe("the --set path language", () => {
  it.each([
    ["profile", [{ kind: "key", key: "profile" }]],
    [
      "values.global.hub",
      [
        { kind: "key", key: "values" },
        { kind: "key", key: "global" },
        { kind: "key", key: "hub" },
      ],
    ],
    [
      "values.sidecarInjectorWebhook.injectedAnnotations.container\\.apparmor\\.security\\.beta\\.kubernetes\\.io/istio-proxy",
      [
        { kind: "key", key: "values" },
        { kind: "key", key: "sidecarInjectorWebhook" },
        { kind: "key", key: "injectedAnnotations" },
        { kind: "key", key: "container.apparmor.security.beta.kubernetes.io/istio-proxy" },
      ],
    ],
    [
      "components.ingressGateways[0].enabled",
      [
        { kind: "key", key: "components" },
        { kind: "key", key: "ingressGateways" },
        { kind: "index", index: 0 },
        { kind: "key", key: "enabled" },
      ],
    ],
    [
      "components.ingressGateways.[0].enabled",
      [
        { kind: "key", key: "components" },
        { kind: "key", key: "ingressGateways" },
        { kind: "index", index: 0 },
        { kind: "key", key: "enabled" },
      ],
    ],
    [
      "gateways[name:istio-ingressgateway].k8s",
      [
        { kind: "key", key: "gateways" },
        { kind: "select", field: "name", value: "istio-ingressgateway" },
        { kind: "key", key: "k8s" },
      ],
    ],
    [
      "args.[30m]",
      [
        { kind: "key", key: "args" },
        { kind: "value", value: "30m" },
      ],
    ],
    [
      "args.[:30m]",
      [
        { kind: "key", key: "args" },
        { kind: "value", value: "30m" },
      ],
    ],
    [
      "webhooks.[name:namespace\\.sidecar-injector\\.istio\\.io].x",
      [
        { kind: "key", key: "webhooks" },
        { kind: "select", field: "name", value: "namespace.sidecar-injector.istio.io" },
        { kind: "key", key: "x" },
      ],
    ],
  ])("parses %s", (text, segments) => {
    expect(parsePath(text)).toEqual(segments);
  });

  it.each(["", "a..b", ".a", "a.", "a[0", "a]b", "a[]", "a[0]b"])("rejects the malformed path %j", (text) => {
    expect(() => parsePath(text)).toThrow(PathSyntaxError);
  });

  it("formats paths back, escaping dots inside keys", () => {
    expect(formatPath(parsePath("a\\.b[0][name:x].c"))).toBe("a\\.b[0][name:x].c");
  });

  it("appends when an index is past the end, also on a missing list", () => {
    const spec: Record<string, unknown> = {};
    setAtPath(spec, parsePath("components.ingressGateways[0].enabled"), false);
    expect(spec).toEqual({ components: { ingressGateways: [{ enabled: false }] } });
    setAtPath(spec, parsePath("components.ingressGateways[5].name"), "second");
    expect(spec).toEqual({ components: { ingressGateways: [{ enabled: false }, { name: "second" }] } });
  });

  it("resolves a [name:x] selector against the fallback (profile) list when the document has none", () => {
    const spec: Record<string, unknown> = {};
    const profile = {
      components: {
        ingressGateways: [
          { name: "istio-ingressgateway", enabled: true },
          { name: "other", enabled: true },
        ],
      },
    };
    setAtPath(spec, parsePath("components.ingressGateways[name:istio-ingressgateway].enabled"), false, { fallback: profile });
    expect(spec).toEqual({
      components: {
        ingressGateways: [
          { name: "istio-ingressgateway", enabled: false },
          { name: "other", enabled: true },
        ],
      },
    });
    expect(profile.components.ingressGateways[0]!.enabled).toBe(true);
  });

  it("fails when a selector matches nothing", () => {
    expect(() => setAtPath({ list: [{ name: "a" }] }, parsePath("list[name:b].x"), 1)).toThrow("element [name:b] not found");
  });
});

describe("--set value typing", () => {
  it.each([
    ["2", 2],
    ["-3", -3],
    ["0", 0],
    ["1", 1],
    ["1.5", 1.5],
    ["1e3", 1000],
    ["true", true],
    ["True", true],
    ["TRUE", true],
    ["t", true],
    ["false", false],
    ["f", false],
    ["yes", "yes"],
    ["docker.io/istio", "docker.io/istio"],
    ["a\\,b", "a,b"],
    ["", ""],
  ])("types %j as %j", (raw, typed) => {
    expect(typedScalar(raw)).toEqual(typed);
  });

  it.each([
    ["tag=1.30", "1.30"],
    ["tag=1", "1"],
    ["values.global.tag=1.30.3", "1.30.3"],
    ["components.pilot.tag=2", "2"],
    ["compatibilityVersion=1.29", "1.29"],
    ["values.compatibilityVersion=1.29", "1.29"],
    ["meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true", "true"],
    ["values.meshConfig.defaultConfig.proxyMetadata.X=1", "1"],
  ])("keeps %s as the string %j", (flag, value) => {
    expect(parseSetFlag(flag).value).toBe(value);
  });

  it("splits at the first = so values may contain one", () => {
    expect(parseSetFlag("values.pilot.env.EXTRA=a=b")).toMatchObject({ value: "a=b" });
  });

  it("accepts a leading spec. and drops it", () => {
    expect(parseSetFlag("spec.hub=example.com/istio").path).toEqual([{ kind: "key", key: "hub" }]);
  });

  it("rejects a flag without = and a bad path, naming the flag", () => {
    expect(() => parseSetFlag("profile")).toThrow(InputError);
    expect(() => parseSetFlag("a..b=1")).toThrow('--set "a..b=1": bad path');
  });
});
