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
    const expected = hosts.filter((host) => hostsMatch(host, query));
    expect(index.matching(query)).toEqual(expected);
    expect(index.firstMatching(query)).toBe(expected[0]);
    expect(index.firstCovering(query)).toBe(hosts.find((host) => hostSubsetOf(query, host)));
  });

  it("answers like comparing with every host when adds and queries interleave, also for irregular wildcards", () => {
    const pool = [
      ...hosts,
      ...queries,
      "*le.com",
      "*e.com",
      "*m",
      "le.com",
      "x.ample.com",
      "*.x.ample.com",
      "",
      "*",
      "a.example.com",
      "*.com",
      "com",
    ];
    // A fixed pseudo-random sequence: each step adds a host, then asks about another.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % pool.length;
    const index = new HostIndex<number>();
    const added: string[] = [];
    for (let step = 0; step < 400; step++) {
      const query = pool[next()]!;
      const matching = added.flatMap((host, order) => (hostsMatch(host, query) ? [order] : []));
      expect(index.matching(query)).toEqual(matching);
      expect(index.firstMatching(query)).toBe(matching[0]);
      expect(index.firstCovering(query)).toBe(
        added.findIndex((host) => hostSubsetOf(query, host)) === -1 ? undefined : added.findIndex((host) => hostSubsetOf(query, host)),
      );
      const host = pool[next()]!;
      index.add(host, added.length);
      added.push(host);
    }
  });

  it("gives each value once and the first-added value first", () => {
    const index = new HostIndex<string>();
    index.add("a.example.com", "exact");
    index.add("*.example.com", "wildcard");
    index.add("a.example.com", "exact");
    expect(index.matching("a.example.com")).toEqual(["exact", "wildcard"]);
    expect(index.firstMatching("*.com")).toBe("exact");
    expect(index.firstCovering("a.example.com")).toBe("exact");
    expect(index.firstCovering("*.a.example.com")).toBe("wildcard");
    expect(new HostIndex<string>().firstMatching("*")).toBeUndefined();
  });

  it("finds the first earlier overlap of each of 1,000 repeats of one host, and of 300k distinct hosts, as they are added", () => {
    const repeated = new HostIndex<number>();
    let repeats = 0;
    for (let i = 0; i < 1000; i++) {
      if (repeated.firstMatching("reviews.example.com") === 0) repeats++;
      repeated.add("reviews.example.com", i);
    }
    expect(repeats).toBe(999);
    const distinct = new HostIndex<number>();
    let overlaps = 0;
    for (let i = 0; i < 300_000; i++) {
      const host = i % 10 === 0 ? `*.s${i - (i % 100)}.example.com` : `h${i}.s${i - (i % 100)}.example.com`;
      if (distinct.firstMatching(host) !== undefined) overlaps++;
      distinct.add(host, i);
    }
    // In each block of 100, the first host (a wildcard) is new and every later one overlaps it.
    expect(overlaps).toBe(300_000 - 3_000);
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
