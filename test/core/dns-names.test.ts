import { describe, expect, it } from "vitest";
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isIstioDnsLabel, isWildcardDnsSubdomain } from "../../src/core/dns-names.js";

describe("DNS name rules", () => {
  it.each([
    ["a", true, true, true, true],
    ["my-name", true, true, true, true],
    ["0abc", true, true, false, true],
    ["My-Name", false, false, false, true],
    ["-a", false, false, false, false],
    ["a-", false, false, false, false],
    ["a.b", false, true, false, false],
    ["a_b", false, false, false, false],
    ["", false, false, false, false],
    ["a".repeat(63), true, true, true, true],
    ["a".repeat(64), false, true, false, false],
  ])("%j: label %s, subdomain %s, 1035 label %s, Istio label %s", (text, label, subdomain, dns1035, istio) => {
    expect(isDns1123Label(text)).toBe(label);
    expect(isDns1123Subdomain(text)).toBe(subdomain);
    expect(isDns1035Label(text)).toBe(dns1035);
    expect(isIstioDnsLabel(text)).toBe(istio);
  });

  it("limits subdomains to 253 characters", () => {
    const name = Array.from({ length: 4 }, () => "a".repeat(62)).join(".");
    expect(name.length).toBe(251);
    expect(isDns1123Subdomain(name)).toBe(true);
    expect(isDns1123Subdomain(`${name}.ab`)).toBe(false);
  });

  it.each([
    ["example.com", true],
    ["*.example.com", true],
    ["*", false],
    ["a.*.example.com", false],
    ["**.example.com", false],
    ["Example.com", false],
  ])("Gateway API hostname %j: %s", (text, valid) => {
    expect(isWildcardDnsSubdomain(text)).toBe(valid);
  });
});
