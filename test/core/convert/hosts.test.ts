import { isIP } from "node:net";
import { describe, expect, it } from "vitest";
import { isIpAddress } from "../../../src/core/convert/hosts.js";

describe("isIpAddress", () => {
  it("agrees with node:net's isIP (brackets taken off) on addresses, near-addresses and hostnames", () => {
    const samples = [
      "10.0.0.1",
      "255.255.255.255",
      "1.2.3",
      "01.2.3.4",
      "::1",
      "[::1]",
      "fe80::1%eth0",
      "::ffff:10.0.0.1",
      "[2001:db8::1]",
      "2001:db8::g",
      "reviews.default.svc.cluster.local",
      "*.example.com",
      "a:b",
      "",
      "[]",
      "1e1",
      "0x7f.0.0.1",
      "٣.1.1.1",
    ];
    const alphabet = "0123456789abcdef.:[]%x-*";
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let index = 0; index < 3000; index++) {
      const length = 1 + Math.floor(random() * 12);
      samples.push(Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join(""));
    }
    for (const host of samples) {
      const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
      expect(isIpAddress(host), host).toBe(isIP(bare) !== 0);
    }
  });
});
