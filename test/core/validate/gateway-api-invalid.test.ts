import { describe, expect, it } from "vitest";
import { validateObjects } from "../../../src/core/validate/index.js";

// Documents in the spirit of Gateway API's hack/invalid-examples, each rejected by one mechanism
// (docs/design/validation.md §2.6), checked against the built-in schemas.
const gateway = (listeners: object[], extra: object = {}) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { name: "gw", namespace: "infra" },
  spec: { gatewayClassName: "example", listeners, ...extra },
});
const route = (rules: object[]) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name: "r", namespace: "apps" },
  spec: { parentRefs: [{ name: "gw", namespace: "infra" }], rules },
});
const http = { name: "http", port: 80, protocol: "HTTP" };
const backend = { name: "svc", port: 8080 };

const errorCodes = (object: unknown, options = {}) =>
  validateObjects([object], options)
    .filter((finding) => finding.severity === "error")
    .map((finding) => `${finding.code} ${finding.path ?? ""}`);

describe("Gateway API invalid examples are rejected by the built-in schemas", () => {
  it.each([
    ["duplicate listeners", gateway([http, { ...http }]), "SCHEMA_DUPLICATE spec.listeners[1]"],
    ["an IPAddress that is not an IP", gateway([http], { addresses: [{ value: "not-an-ip" }] }), "spec.addresses[0]"],
    [
      "a listener hostname with an inner wildcard",
      gateway([{ ...http, hostname: "a.*.example.com" }]),
      "SCHEMA_PATTERN spec.listeners[0].hostname",
    ],
    ["a port out of range", gateway([{ ...http, port: 70000 }]), "SCHEMA_RANGE spec.listeners[0].port"],
    [
      "HTTPS with passthrough",
      gateway([{ name: "https", port: 443, protocol: "HTTPS", tls: { mode: "Passthrough" } }]),
      "CEL_RULE spec.listeners",
    ],
    [
      "a portless Service backend (defaults make it a core Service ref)",
      route([{ backendRefs: [{ name: "svc" }] }]),
      "CEL_RULE spec.rules[0].backendRefs[0]",
    ],
    [
      "duplicate header matches",
      route([
        {
          matches: [
            {
              headers: [
                { name: "x", value: "1" },
                { name: "x", value: "2" },
              ],
            },
          ],
          backendRefs: [backend],
        },
      ]),
      "SCHEMA_DUPLICATE spec.rules[0].matches[0].headers[1]",
    ],
    [
      "duplicate query matches",
      route([
        {
          matches: [
            {
              queryParams: [
                { name: "q", value: "1" },
                { name: "q", value: "2" },
              ],
            },
          ],
          backendRefs: [backend],
        },
      ]),
      "SCHEMA_DUPLICATE spec.rules[0].matches[0].queryParams[1]",
    ],
    [
      "a duplicate header in a modifier",
      route([
        {
          filters: [
            {
              type: "RequestHeaderModifier",
              requestHeaderModifier: {
                set: [
                  { name: "a", value: "1" },
                  { name: "a", value: "2" },
                ],
              },
            },
          ],
          backendRefs: [backend],
        },
      ]),
      "SCHEMA_DUPLICATE spec.rules[0].filters[0].requestHeaderModifier.set[1]",
    ],
    [
      "a redirect together with backends",
      route([{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https" } }], backendRefs: [backend] }]),
      "CEL_RULE spec.rules[0]",
    ],
    [
      "a path with //",
      route([{ matches: [{ path: { type: "PathPrefix", value: "/a//b" } }], backendRefs: [backend] }]),
      "CEL_RULE spec.rules[0].matches[0].path",
    ],
    [
      "an unknown filter field",
      route([{ filters: [{ type: "RequestHeaderModifier", requestHeaderModifier: { sett: [] } }], backendRefs: [backend] }]),
      "SCHEMA_UNKNOWN_FIELD spec.rules[0].filters[0].requestHeaderModifier.sett",
    ],
    [
      "a weight above 1,000,000",
      route([{ backendRefs: [{ ...backend, weight: 1_000_001 }] }]),
      "SCHEMA_RANGE spec.rules[0].backendRefs[0].weight",
    ],
    [
      "a bad timeout",
      route([{ backendRefs: [backend], timeouts: { request: "10 seconds" } }]),
      "SCHEMA_PATTERN spec.rules[0].timeouts.request",
    ],
  ])("rejects %s", (_name, object, expected) => {
    expect(errorCodes(object).join("\n")).toContain(expected);
  });

  it("rejects header values with control characters only on the experimental channel", () => {
    const object = route([{ matches: [{ headers: [{ name: "x", value: "a\u0001b" }] }], backendRefs: [backend] }]);
    expect(errorCodes(object, { channel: "standard" })).toEqual([]);
    expect(errorCodes(object, { channel: "experimental" }).join("\n")).toContain(
      "SCHEMA_PATTERN spec.rules[0].matches[0].headers[0].value",
    );
  });

  it("refuses v1alpha2 TLSRoute on v1.5.1 standard, naming where it exists", () => {
    const tls = {
      apiVersion: "gateway.networking.k8s.io/v1alpha2",
      kind: "TLSRoute",
      metadata: { name: "t" },
      spec: { parentRefs: [{ name: "gw" }], hostnames: ["a.example.com"], rules: [{ backendRefs: [backend] }] },
    };
    const findings = validateObjects([tls]).filter((finding) => finding.severity === "error");
    expect(findings.map((finding) => finding.code)).toEqual(["NO_MATCHES_FOR_KIND"]);
    expect(validateObjects([tls], { channel: "experimental" }).filter((finding) => finding.severity === "error")).toEqual([]);
  });
});

describe("pattern errors say what a valid value looks like", () => {
  it("explains Gateway API durations and hostnames", () => {
    const object = {
      ...route([{ backendRefs: [backend], timeouts: { request: "1.5s" } }]),
      spec: { hostnames: ["Foo.example.com"], rules: [{ backendRefs: [backend], timeouts: { request: "1.5s" } }] },
    };
    const messages = validateObjects([object]).map((finding) => finding.message);
    expect(messages).toContainEqual(expect.stringContaining("expected a Gateway API duration such as 10s, 500ms or 1h30m"));
    expect(messages).toContainEqual(expect.stringContaining("expected a lowercase hostname"));
  });
});
