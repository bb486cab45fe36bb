import { afterEach, describe, expect, it } from "vitest";
import { rememberRuleOutcomes } from "../../../../src/core/validate/cel/rules.js";
import { validateObjects } from "../../../../src/core/validate/index.js";

/**
 * HTTPRoutes whose rule values repeat (every fourth route shares its filters and matches) or are new every time (names,
 * hosts), some breaking CEL rules: enough objects that rules go past the trial after which a rule with new values
 * stops remembering outcomes.
 */
function routes(count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => {
    const shared = i % 4 === 0;
    const filters = [
      { type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "x-route", value: shared ? "shared" : `route-${i}` }] } },
      ...(i % 7 === 0
        ? [
            { type: "RequestRedirect", requestRedirect: { scheme: "https" } },
            { type: "URLRewrite", urlRewrite: {} },
          ]
        : []),
      ...(i % 11 === 0 ? [{ type: "CORS" }] : []),
    ];
    return {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: `route-${i}`, namespace: `team-${i % 5}` },
      spec: {
        parentRefs: [{ name: shared ? "edge" : `gw-${i}`, sectionName: "http" }],
        hostnames: [shared ? "shop.example.com" : `app-${i}.example.com`],
        rules: [
          {
            matches: [{ path: { type: "PathPrefix", value: shared ? "/api" : `/v${i}` } }],
            filters,
            backendRefs: i % 13 === 0 ? [{ name: `svc-${i}` }] : [{ name: shared ? "svc" : `svc-${i}`, port: 8080 }],
            timeouts: i % 9 === 0 ? { request: "1s", backendRequest: "2s" } : { request: "10s" },
          },
        ],
      },
    };
  });
}

describe("remembered CEL rule outcomes", () => {
  afterEach(() => rememberRuleOutcomes(true));

  it("give the findings that evaluating every rule gives", () => {
    const objects = routes(1200);
    rememberRuleOutcomes(true);
    const remembered = validateObjects(objects, { analyze: false });
    rememberRuleOutcomes(false);
    const evaluated = validateObjects(objects, { analyze: false });
    expect(remembered).toEqual(evaluated);
    // The corpus does reach the rules: redirects with rewrites, CORS filters without cors, Service refs without port.
    const codes = new Set(evaluated.map((finding) => finding.code));
    expect(codes.has("CEL_RULE")).toBe(true);
    expect(evaluated.filter((finding) => finding.code === "CEL_RULE").length).toBeGreaterThan(200);
  });
});
