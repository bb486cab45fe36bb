import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { parseDurationFlag, parseGoDuration } from "../../src/core/durations.js";

describe("Go durations", () => {
  it.each([
    ["0", 0],
    ["300ms", 300e6],
    ["1m30s", 90e9],
    ["1.5h", 5400e9],
    ["-2s", -2e9],
    ["+2s", 2e9],
    ["1us", 1e3],
    ["1µs", 1e3],
    ["2ns", 2],
    [".5s", 0.5e9],
    ["5", undefined],
    ["", undefined],
    ["1d", undefined],
    ["s", undefined],
    [".s", undefined],
    ["1s ", undefined],
  ])("parseGoDuration(%j) is %j", (text, nanos) => {
    expect(parseGoDuration(text)).toBe(nanos);
  });
});

describe("duration flags", () => {
  it.each([
    ["30s", 30_000],
    ["5m", 300_000],
    ["1m30s", 90_000],
    ["300ms", 300],
    ["1h", 3_600_000],
    ["2", 2_000],
    ["0.5", 500],
    [" 10s ", 10_000],
    ["0", 0],
  ])("%j is %i ms", (text, ms) => {
    expect(parseDurationFlag(text, "--timeout")).toBe(ms);
  });

  it.each(["", "ten", "-5s", "5d", "1.2.3s"])("%j is a usage error naming the flag", (text) => {
    expect(() => parseDurationFlag(text, "--timeout")).toThrow(UsageError);
    expect(() => parseDurationFlag(text, "--timeout")).toThrow(`invalid duration "${text}" for --timeout`);
  });
});
