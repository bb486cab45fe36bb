import { UsageError } from "../core/errors.js";

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations as kubectl and istioctl accept them: `300ms`, `30s`, `5m`, `1m30s`, `1h`; a bare number is seconds. */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const pattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(pattern)) {
    total += Number(match[1]) * units[match[2]!]!;
    consumed += match[0].length;
  }
  if (trimmed === "" || consumed !== trimmed.length) {
    throw new UsageError(`invalid duration "${text}" for ${flag}`, { hint: "use a duration such as 30s, 5m or 1m30s" });
  }
  return Math.round(total);
}
