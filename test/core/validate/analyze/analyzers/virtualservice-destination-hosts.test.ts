import { describe, expect, it } from "vitest";
import { virtualServiceDestinationHosts } from "../../../../../src/core/validate/analyze/analyzers/virtualservice-destination-hosts.js";
import { runAnalyzers } from "../harness.js";

// The gateway VirtualService has tcp routes (listed before http ones), a rule that is not an object, routes without a
// host and with a subset: IST0140 must point at the http routes by their index in the written lists.
const text = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: mesh-routes, namespace: default}
spec:
  hosts: [reviews, ratings]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
    - destination: {host: ratings, subset: v2}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ingress, namespace: default}
spec:
  hosts: [bookinfo.example.com]
  gateways: [bookinfo-gateway]
  tcp:
  - route:
    - destination: {host: reviews}
  http:
  - 7
  - route:
    - destination: {host: ratings, subset: v2}
    - destination: {subset: v1}
    - destination: {host: reviews}
  - route:
    - destination: {host: details}
    - destination: {host: ratings}
`;

describe("virtualservice.DestinationHostAnalyzer IST0140", () => {
  it("reports each gateway http route without subset to a host other VirtualServices route to by subset", () => {
    const reported = runAnalyzers([{ file: "vs.yaml", text }], [virtualServiceDestinationHosts]).map(
      ({ code, resource, path, line, message }) => `${code} ${resource} ${path} ${line} ${message}`,
    );
    const message = "Subset in virtual service default/mesh-routes has no effect on ingress gateway default/ingress requests";
    expect(reported).toEqual([
      `IST0140 VirtualService default/ingress spec.http[1].route[2].destination.host 25 ${message}`,
      `IST0140 VirtualService default/ingress spec.http[2].route[1].destination.host 28 ${message}`,
    ]);
  });
});
