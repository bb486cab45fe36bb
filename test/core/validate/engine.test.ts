import { describe, expect, it } from "vitest";
import { validateObjects } from "../../../src/core/validate/index.js";
import { validWidget, widgetCrds } from "./widget-fixture.js";

const validate = (object: unknown) => validateObjects([object], { crds: widgetCrds });
const errors = (object: unknown) => validate(object).filter((finding) => finding.severity === "error");

describe("the CRD-semantics engine on a user CRD", () => {
  it("accepts the valid Widget, ignoring a status the API server would drop", () => {
    expect(errors(validWidget())).toEqual([]);
  });

  it("reports a top-level field named __proto__ (a YAML map can hold one) as unknown", () => {
    const widget = validWidget() as Record<string, unknown>;
    Object.defineProperty(widget, "__proto__", { value: { a: 1 }, enumerable: true, writable: true, configurable: true });
    expect(errors(widget).map((finding) => [finding.code, finding.path])).toEqual([["SCHEMA_UNKNOWN_FIELD", "__proto__"]]);
  });

  type Case = [name: string, mutate: (widget: Record<string, any>) => void, code: string, path: string | undefined, message: RegExp];
  const cases: Case[] = [
    [
      "an unknown field, with a did-you-mean",
      (w) => (w.spec.replicaz = 2),
      "SCHEMA_UNKNOWN_FIELD",
      "spec.replicaz",
      /unknown field "spec.replicaz" \(did you mean "replicas"\?\)/,
    ],
    [
      "an unknown field named like an Object.prototype member",
      (w) => (w.spec.constructor = 2),
      "SCHEMA_UNKNOWN_FIELD",
      "spec.constructor",
      /unknown field "spec.constructor"/,
    ],
    ["an unknown field named toString", (w) => (w.spec.toString = "x"), "SCHEMA_UNKNOWN_FIELD", "spec.toString", /unknown field/],
    ["an unknown field inside metadata", (w) => (w.metadata.label = {}), "SCHEMA_UNKNOWN_FIELD", "metadata.label", /did you mean "labels"/],
    ["a missing required field", (w) => delete w.spec.size, "SCHEMA_REQUIRED", "spec.size", /spec.size: Required value/],
    [
      "a value outside the enum",
      (w) => (w.spec.size = "huge"),
      "SCHEMA_ENUM",
      "spec.size",
      /Unsupported value: "huge": supported values: "small", "medium", "large"/,
    ],
    ["a wrong type, with the YAML hint", (w) => (w.spec.name = true), "SCHEMA_TYPE", "spec.name", /must be of type string.*quote it/],
    ["a pattern mismatch", (w) => (w.spec.name = "Demo"), "SCHEMA_PATTERN", "spec.name", /should match '\^\[a-z\]/],
    ["a too-short string", (w) => (w.spec.name = "d"), "SCHEMA_TOO_SHORT", "spec.name", /at least 2 chars/],
    ["a too-long string", (w) => (w.spec.mode = "Automatic-mode"), "SCHEMA_TOO_LONG", "spec.mode", /Too long: may not be more than 8/],
    ["a number above maximum", (w) => (w.spec.replicas = 11), "SCHEMA_RANGE", "spec.replicas", /less than or equal to 10/],
    [
      "an invalid ipv4 (leading zero octet)",
      (w) => (w.spec.address = "10.00.0.1"),
      "SCHEMA_FORMAT",
      "spec.address",
      /must be of type ipv4/,
    ],
    ["a float where int-or-string is expected", (w) => (w.spec.port = 1.5), "SCHEMA_TYPE", "spec.port", /integer or string/],
    [
      "too many items",
      (w) => (w.spec.tags = ["a", "b", "c", "d", "e"]),
      "SCHEMA_TOO_MANY",
      "spec.tags",
      /Too many: 5: must have at most 4 items/,
    ],
    ["a duplicate in a set list", (w) => (w.spec.tags = ["a", "a"]), "SCHEMA_DUPLICATE", "spec.tags[1]", /Duplicate value: "a"/],
    [
      "a duplicate key in a map list",
      (w) => w.spec.ports.push({ name: "http", number: 81 }),
      "SCHEMA_DUPLICATE",
      "spec.ports[1]",
      /Duplicate value: \{"name":"http"\}/,
    ],
    [
      "both oneOf alternatives",
      (w) => (w.spec.match = { exact: "/x", prefix: "/" }),
      "SCHEMA_ONE_OF",
      "spec.match",
      /one and only one schema/,
    ],
    ["a non-string map value", (w) => (w.spec.settings = { colour: 3 }), "SCHEMA_TYPE", "spec.settings.colour", /must be of type string/],
    ["a CEL rule on defaulted values", (w) => (w.spec.replicas = 5), "CEL_RULE", "spec", /replicas must not exceed maxReplicas/],
    [
      "a CEL rule reading an escaped property",
      (w) => (w.spec.owner.namespace = "kube-system"),
      "CEL_RULE",
      "spec",
      /owner must not live in kube-system/,
    ],
    [
      "a CEL rule with RE2 (?i), reason and fieldPath",
      (w) => (w.spec.tags = ["ok", "n0t"]),
      "CEL_RULE",
      "spec.tags",
      /Forbidden: tags are letters only/,
    ],
    ["a CEL rule on list items", (w) => (w.spec.ports[0].number = -1), "CEL_RULE", "spec.ports[0]", /port numbers are positive/],
    [
      "a root CEL rule reading metadata.name",
      (w) => (w.metadata.name = "forbidden"),
      "CEL_RULE",
      undefined,
      /the name "forbidden" is reserved/,
    ],
    ["an invalid name", (w) => (w.metadata.name = "Demo_1"), "METADATA_NAME", "metadata.name", /RFC 1123 subdomain/],
    ["an invalid namespace", (w) => (w.metadata.namespace = "apps.prod"), "METADATA_NAMESPACE", "metadata.namespace", /RFC 1123 label/],
    ["an invalid label value", (w) => (w.metadata.labels = { app: "-x" }), "METADATA_LABEL_VALUE", "metadata.labels.app", /valid label/],
    [
      "a non-string label value",
      (w) => (w.metadata.labels = { enabled: true }),
      "METADATA_TYPE",
      "metadata.labels.enabled",
      /quote "true"/,
    ],
    ["a missing name", (w) => delete w.metadata.name, "METADATA_NAME_REQUIRED", "metadata.name", /Required value/],
  ];

  it.each(cases)("rejects %s", (_name, mutate, code, path, message) => {
    const widget = validWidget();
    mutate(widget);
    const found = errors(widget);
    const match = found.find((finding) => finding.code === code);
    expect(match, JSON.stringify(found, null, 2)).toBeDefined();
    expect(match!.path).toBe(path);
    expect(match!.message).toMatch(message);
  });

  it("skips CEL rules when a blocking error exists, and says so", () => {
    const widget = validWidget();
    widget.spec.size = "huge";
    widget.spec.replicas = 5;
    const findings = validate(widget);
    expect(findings.map((finding) => finding.code)).toContain("CEL_NOT_CHECKED");
    expect(findings.map((finding) => finding.code)).not.toContain("CEL_RULE");
  });

  it("still runs CEL after non-blocking errors (pattern)", () => {
    const widget = validWidget();
    widget.spec.name = "Demo";
    widget.spec.replicas = 5;
    expect(
      errors(widget)
        .map((finding) => finding.code)
        .sort(),
    ).toEqual(["CEL_RULE", "SCHEMA_PATTERN"]);
  });

  it("skips transition rules (oldSelf) on create", () => {
    expect(validate(validWidget()).some((finding) => finding.message.includes("immutable"))).toBe(false);
  });

  it("drops a null of a non-nullable field and then applies its default", () => {
    const widget = validWidget();
    widget.spec.replicas = null;
    widget.spec.maxReplicas = 0;
    // replicas defaults to 1 > maxReplicas 0: only visible if the null was replaced by the default.
    expect(errors(widget).map((finding) => finding.message)).toEqual([expect.stringMatching(/replicas must not exceed maxReplicas/)]);
  });

  it("keeps a null of a nullable field", () => {
    const widget = validWidget();
    widget.spec.ratio = null;
    expect(errors(widget)).toEqual([]);
  });

  it("turns a runtime CEL error into a rejection", () => {
    const crd = structuredClone(widgetCrds[0]) as any;
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec["x-kubernetes-validations"] = [
      { rule: "self.missing.size() > 0", message: "never" },
    ];
    const found = validateObjects([validWidget()], { crds: [crd] });
    expect(found.map((finding) => finding.code)).toEqual(["CEL_RUNTIME_ERROR"]);
  });

  it("absorbs errors in || and && as CEL does", () => {
    const crd = structuredClone(widgetCrds[0]) as any;
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec["x-kubernetes-validations"] = [
      { rule: "self.missing.size() > 0 || true" },
      { rule: "!(self.missing.size() > 0 && false)" },
    ];
    expect(validateObjects([validWidget()], { crds: [crd] })).toEqual([]);
  });

  it("reports unknown fields as warnings with field validation Warn", () => {
    const widget = validWidget();
    widget.spec.replicaz = 2;
    const found = validateObjects([widget], { crds: widgetCrds, fieldValidation: "Warn" });
    expect(found.map((finding) => [finding.code, finding.severity])).toEqual([["SCHEMA_UNKNOWN_FIELD", "warning"]]);
  });

  it("says 'no matches' for an unknown kind of a known group, with a did-you-mean", () => {
    const widget = validWidget();
    widget.kind = "Widgit";
    expect(errors(widget)).toEqual([
      expect.objectContaining({ code: "NO_MATCHES_FOR_KIND", message: expect.stringMatching(/did you mean kind "Widget"/) }),
    ]);
  });

  it("skips kinds without a schema (no finding), reports them as errors with strict, and skips them when ignored", () => {
    const gadget = { apiVersion: "example.com/v1", kind: "Gadget", metadata: { name: "web" }, spec: {} };
    expect(validateObjects([gadget])).toEqual([]);
    expect(validateObjects([gadget], { strict: true })).toEqual([expect.objectContaining({ code: "NO_SCHEMA", severity: "error" })]);
    expect(validateObjects([gadget], { strict: true, ignoreMissingSchemas: true })).toEqual([]);
    expect(validateObjects([gadget], { strict: true, skipKinds: ["Gadget"] })).toEqual([]);
  });

  it("requires apiVersion and kind", () => {
    expect(validateObjects([{ metadata: { name: "x" } }]).map((finding) => finding.code)).toEqual(["MISSING_APIVERSION", "MISSING_KIND"]);
  });

  it("does not change the caller's objects", () => {
    const widget = validWidget();
    const before = structuredClone(widget);
    validate(widget);
    expect(widget).toEqual(before);
  });
});

describe("core Kubernetes kinds", () => {
  it("applies the API server's metadata rules, with the kind's name rule", () => {
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "1web" }, spec: { ports: [{ name: "http", port: 80 }] } };
    const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "team.a" } };
    const codes = validateObjects([service, namespace]).map((finding) => `${finding.resource?.kind} ${finding.code} ${finding.severity}`);
    expect(codes).toEqual(["Service METADATA_NAME error", "Namespace METADATA_NAME error"]);
  });

  it("accepts RBAC names that are path segments but not DNS names", () => {
    const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "system:auth-delegator" } };
    expect(validateObjects([role])).toEqual([]);
    expect(validateObjects([{ ...role, metadata: { name: "a/b" } }]).map((finding) => finding.message)).toEqual([
      `metadata.name: Invalid value: "a/b": may not contain '/'`,
    ]);
  });

  it("rejects a removed API version with the served ones as hint, and a misspelt kind with a suggestion", () => {
    const deployment = { apiVersion: "apps/v1beta1", kind: "Deployment", metadata: { name: "web" } };
    expect(validateObjects([deployment]).map((finding) => finding.message)).toEqual([
      `kind: Invalid value: "Deployment": no matches for kind "Deployment" in version "apps/v1beta1" (served versions: apps/v1)`,
    ]);
    const typo = { apiVersion: "apps/v1", kind: "Deploymnet", metadata: { name: "web" } };
    expect(validateObjects([typo])[0]?.message).toContain(`did you mean kind "Deployment"?`);
  });
});
