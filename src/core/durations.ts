import { UsageError } from "./errors.js";

const durationPart = /([0-9]*(?:\.[0-9]*)?)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;
const unitNanos: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration, in nanoseconds; undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest.startsWith("-") ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return undefined;
  let total = 0;
  let offset = 0;
  while (offset < rest.length) {
    durationPart.lastIndex = offset;
    const match = durationPart.exec(rest);
    if (!match || match[1] === "" || match[1] === ".") return undefined;
    total += Number(match[1]) * unitNanos[match[2]!]!;
    offset = durationPart.lastIndex;
  }
  return sign * total;
}

/**
 * A duration flag as kubectl and istioctl read it (`300ms`, `30s`, `5m`, `1m30s`, `1h`: Go's syntax; a bare number
 * is seconds), in milliseconds. Negative or malformed values are a usage error naming the flag.
 */
export function parseDurationFlag(text: string, flag: string): number {
  const trimmed = text.trim();
  const nanos = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1e9 : parseGoDuration(trimmed);
  if (nanos === undefined || nanos < 0 || !Number.isFinite(nanos)) {
    throw new UsageError(`invalid duration "${text}" for ${flag}`, { hint: "use a duration such as 30s, 5m or 1m30s" });
  }
  return Math.round(nanos / 1e6);
}
