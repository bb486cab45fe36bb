import { describe, expect, it } from "vitest";
import { virtualServiceDestinationRules } from "../../../../../src/core/validate/analyze/analyzers/virtualservice-destination-rules.js";
import { runAnalyzers } from "../harness.js";

// Subsets are looked up by host, then by name: a host and a subset name that spell the same "host+subset" text as
// another pair (possible only in objects the webhook refuses, which are analysed all the same) do not stand for it.
const text = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: plus, namespace: default}
spec:
  host: example.com+b
  subsets: [{name: v1}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets: [{name: v1}, {name: v2}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: routes, namespace: default}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
    - destination: {host: reviews, subset: v3}
    - destination: {host: reviews.default.svc.cluster.local, subset: v2}
    - destination: {host: example.com, subset: b+v1}
    - destination: {host: example.com+b, subset: v1}
    mirror: {host: reviews, subset: v9}
`;

describe("virtualservice.DestinationRuleAnalyzer IST0101", () => {
  it("reports each route and mirror subset that no DestinationRule for its host defines", () => {
    const reported = runAnalyzers([{ file: "vs.yaml", text }], [virtualServiceDestinationRules]).map(
      ({ code, path, message }) => `${code} ${path} ${message}`,
    );
    expect(reported).toEqual([
      'IST0101 spec.http[0].route[1].destination.subset Referenced host+subset in destinationrule not found: "reviews+v3"',
      'IST0101 spec.http[0].route[3].destination.subset Referenced host+subset in destinationrule not found: "example.com+b+v1"',
      'IST0101 spec.http[0].mirror.subset Referenced mirror+subset in destinationrule not found: "reviews+v9"',
    ]);
  });
});
