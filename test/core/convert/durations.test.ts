import { describe, expect, it } from "vitest";
import { formatGatewayDuration, gatewayDurationToIstio, parseIstioDuration } from "../../../src/core/convert/durations.js";

describe("convert's durations", () => {
  it("read Istio's durations with Go's syntax, in milliseconds", () => {
    expect(parseIstioDuration("1.5s")).toBe(1500);
    expect(parseIstioDuration(" 1m30s ")).toBe(90_000);
    expect(parseIstioDuration("100ms")).toBe(100);
    expect(parseIstioDuration("250us")).toBe(0.25);
    expect(parseIstioDuration("1h2m3s4ms")).toBe(3_723_004);
    expect(parseIstioDuration("0")).toBe(0);
    expect(parseIstioDuration(".5s")).toBe(500);
  });

  it("refuse what is not a duration, and negative durations", () => {
    for (const text of ["", "5", "5x", "s", "1s-", "-1s", "1 s"]) expect(parseIstioDuration(text), text).toBeUndefined();
  });

  it("write Gateway API durations and read them back as Istio's", () => {
    expect(formatGatewayDuration(90_000)).toEqual({ value: "1m30s", rounded: false });
    expect(formatGatewayDuration(1500.25)).toEqual({ value: "1s501ms", rounded: true });
    expect(gatewayDurationToIstio("1s500ms")).toBe("1.500s");
    expect(gatewayDurationToIstio("1m30s")).toBe("90s");
  });
});
