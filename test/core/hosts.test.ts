import { describe, expect, it } from "vitest";
import { HostIndex, hostSubsetOf, hostToFqdn, hostsMatch, serviceOfFqdn, splitGatewayHost } from "../../src/core/hosts.js";

describe("Istio host matching", () => {
  it.each([
    ["a.example.com", "a.example.com", true],
    ["a.example.com", "b.example.com", false],
    ["*.example.com", "a.example.com", true],
    ["a.example.com", "*.example.com", true],
    ["*.example.com", "example.com", false],
    ["*.example.com", "*.a.example.com", true],
    ["*.a.example.com", "*.example.com", true],
    ["*.a.example.com", "*.b.example.com", false],
    ["*", "anything.at.all", true],
    ["*", "*.example.com", true],
    ["*example.com", "fooexample.com", true],
  ])("%s ~ %s is %s", (a, b, expected) => {
    expect(hostsMatch(a, b)).toBe(expected);
    expect(hostsMatch(b, a)).toBe(expected);
  });

  it.each([
    ["a.example.com", "*.example.com", true],
    ["*.example.com", "a.example.com", false],
    ["*.a.example.com", "*.example.com", true],
    ["*.example.com", "*.a.example.com", false],
    ["a.example.com", "a.example.com", true],
  ])("%s ⊆ %s is %s", (a, b, expected) => expect(hostSubsetOf(a, b)).toBe(expected));

  it("expands only single-label names, with the mesh's cluster domain", () => {
    expect(hostToFqdn("reviews", "default")).toBe("reviews.default.svc.cluster.local");
    expect(hostToFqdn("reviews", "default", "corp.internal")).toBe("reviews.default.svc.corp.internal");
    expect(hostToFqdn("reviews.default", "other")).toBe("reviews.default");
    expect(hostToFqdn("*", "other")).toBe("*");
    expect(serviceOfFqdn("reviews.default.svc.cluster.local")).toEqual({ name: "reviews", namespace: "default" });
    expect(serviceOfFqdn("example.com")).toBeUndefined();
  });

  it("reads a Gateway server host's namespace part", () => {
    expect(splitGatewayHost("./a.example.com", "istio-system")).toEqual({ namespace: "istio-system", host: "a.example.com" });
    expect(splitGatewayHost("apps/a.example.com", "istio-system")).toEqual({ namespace: "apps", host: "a.example.com" });
    expect(splitGatewayHost("a.example.com", "istio-system")).toEqual({ namespace: "*", host: "a.example.com" });
  });
});

describe("HostIndex", () => {
  const hosts = [
    "a.example.com",
    "b.example.com",
    "*.example.com",
    "*.a.example.com",
    "*",
    "example.com",
    "*ample.com",
    "c.other.org",
    "*.org",
  ];
  const queries = [...hosts, "x.a.example.com", "*.com", "*.b.example.com", "nothing.net", "*.net", "ample.com"];

  it.each(queries)("answers %s exactly like comparing with every host", (query) => {
    const index = new HostIndex<string>();
    for (const host of hosts) index.add(host, host);
    const expected = hosts.filter((host) => hostsMatch(host, query)).sort();
    expect(index.matching(query).sort()).toEqual(expected);
  });

  it("indexes 300k hosts and answers a query for each of them", () => {
    const index = new HostIndex<number>();
    const count = 300_000;
    for (let i = 0; i < count; i++) index.add(i % 10 === 0 ? `*.s${i}.example.com` : `h${i}.s${i - (i % 10)}.example.com`, i);
    let overlaps = 0;
    for (let i = 0; i < count; i++)
      overlaps += index.matching(i % 10 === 0 ? `*.s${i}.example.com` : `h${i}.s${i - (i % 10)}.example.com`).length;
    // Each wildcard covers itself and its 9 hosts; each host matches itself and its wildcard.
    expect(overlaps).toBe(30_000 * 10 + 270_000 * 2);
  });
});
