import { describe, expect, it } from "vitest";
import { pruneEmpty, stringMapOf } from "../../../src/core/convert/plain-data.js";
import { convertIstioToGatewayApi, defaultConvertOptions } from "../../../src/core/convert/index.js";
import { parseManifestText } from "../../../src/core/documents/index.js";
import { setOwn } from "../../../src/core/validate/structural-defaults.js";
import { seededRandom } from "../../support/seeded-random.js";

/** The copying definition pruneEmpty must agree with: a fresh copy without empty lists, empty objects, null and undefined. */
function prunedCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value ?? undefined;
  if (Array.isArray(value)) {
    const items = value.map(prunedCopy).filter((item) => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const key in value) {
    const pruned = prunedCopy((value as Record<string, unknown>)[key]);
    if (pruned !== undefined) {
      setOwn(out, key, pruned);
      empty = false;
    }
  }
  return empty ? undefined : out;
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return next() < 0.5 ? "" : `s${Math.floor(next() * 5)}`;
    case 3:
      return Math.floor(next() * 3) - 1;
    case 4:
      return next() < 0.5;
    case 5:
      return next() < 0.5 ? [] : {};
    case 6:
    case 7: {
      const record: Record<string, unknown> = {};
      const keys = ["a", "b", "c", "name", "__proto__", "spec"];
      const count = Math.floor(next() * 5);
      for (let index = 0; index < count; index++) {
        const key = keys[Math.floor(next() * keys.length)]!;
        Object.defineProperty(record, key, { value: randomValue(next, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return record;
    }
    default:
      return Array.from({ length: Math.floor(next() * 5) }, () => randomValue(next, depth + 1));
  }
}

describe("pruneEmpty", () => {
  it("gives what a pruned copy gives, and leaves its input unchanged, for 5,000 random values", () => {
    const next = seededRandom(16);
    for (let round = 0; round < 5000; round++) {
      const value = randomValue(next, 0);
      const before = JSON.stringify(value);
      const pruned = pruneEmpty(value);
      expect(JSON.stringify(pruned)).toBe(JSON.stringify(prunedCopy(value)));
      expect(pruned).toEqual(prunedCopy(value));
      expect(JSON.stringify(value)).toBe(before);
    }
  });

  it("returns parts with nothing to remove as they are", () => {
    const listeners = [{ name: "http", port: 80 }];
    const spec = { gatewayClassName: "istio", listeners, addresses: [] };
    const pruned = pruneEmpty(spec) as { listeners: unknown };
    expect(pruned).toEqual({ gatewayClassName: "istio", listeners });
    expect(pruned.listeners).toBe(listeners);
  });

  it("keeps an own __proto__ key as an own field of the copy, not as its prototype", () => {
    const headers = JSON.parse('{"__proto__": {"x-debug": "1"}, "empty": [], "name": "n"}') as Record<string, unknown>;
    const pruned = pruneEmpty<{ headers: Record<string, unknown> }>({ headers });
    expect(Object.keys(pruned.headers)).toEqual(["__proto__", "name"]);
    expect(Object.getPrototypeOf(pruned.headers)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(pruned.headers, "__proto__")?.value).toEqual({ "x-debug": "1" });
    expect(JSON.stringify(pruned)).toBe('{"headers":{"__proto__":{"x-debug":"1"},"name":"n"}}');
  });
});

describe("stringMapOf", () => {
  it("keeps an own __proto__ key as an own entry", () => {
    const map = stringMapOf(JSON.parse('{"__proto__": "1", "x-other": 2}'));
    expect(Object.entries(map)).toEqual([
      ["__proto__", "1"],
      ["x-other", "2"],
    ]);
  });

  it("so a header named __proto__ is converted, not dropped", () => {
    const input = [
      "apiVersion: networking.istio.io/v1",
      "kind: Gateway",
      "metadata: {name: gw, namespace: ns}",
      "spec:",
      "  servers:",
      "  - port: {number: 80, name: http, protocol: HTTP}",
      '    hosts: ["*"]',
      "---",
      "apiVersion: networking.istio.io/v1",
      "kind: VirtualService",
      "metadata: {name: vs, namespace: ns}",
      "spec:",
      '  hosts: ["a.example.com"]',
      '  gateways: ["gw"]',
      "  http:",
      "  - headers:",
      "      request:",
      '        set: {__proto__: "1", x-other: "2"}',
      "    route:",
      "    - destination: {host: svc, port: {number: 80}}",
    ].join("\n");
    const { objects } = convertIstioToGatewayApi(parseManifestText(input, "in.yaml").documents, defaultConvertOptions());
    const route = objects.find((object) => object.kind === "HTTPRoute");
    expect(JSON.stringify(route?.spec)).toContain('"set":[{"name":"__proto__","value":"1"},{"name":"x-other","value":"2"}]');
  });
});
