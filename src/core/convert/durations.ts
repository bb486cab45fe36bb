import { parseGoDuration } from "../durations.js";

/**
 * Istio durations (protobuf `1.5s`, Go `1m30s`, `100ms`) to Gateway API durations (`1s500ms`):
 * whole h/m/s/ms parts, zero parts left out, at most 4 parts of at most 5 digits.
 */

/** Milliseconds (possibly fractional) of a Go duration, or undefined when the text is not one or is negative. */
export function parseIstioDuration(text: string): number | undefined {
  const nanos = parseGoDuration(text.trim());
  return nanos === undefined || nanos < 0 ? undefined : nanos / 1e6;
}

export interface GatewayDuration {
  value: string;
  /** The input had a fraction of a millisecond, rounded up. */
  rounded: boolean;
}

export function formatGatewayDuration(milliseconds: number): GatewayDuration | undefined {
  const whole = Math.ceil(milliseconds - 1e-9);
  const rounded = Math.abs(whole - milliseconds) > 1e-9;
  if (whole === 0) return { value: "0s", rounded };
  const parts: string[] = [];
  let rest = whole;
  for (const [unit, size] of [
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
    ["ms", 1],
  ] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count}${unit}`);
  }
  if (parts.some((part) => part.replace(/\D/g, "").length > 5)) return undefined;
  return { value: parts.join(""), rounded };
}

/** Gateway API duration back to an Istio (protobuf) duration: `1m30s` → `90s`, `1s500ms` → `1.500s`. */
export function gatewayDurationToIstio(text: string): string | undefined {
  const ms = parseIstioDuration(text);
  if (ms === undefined) return undefined;
  const seconds = Math.floor(ms / 1000);
  const millis = Math.round(ms - seconds * 1000);
  return millis === 0 ? `${seconds}s` : `${seconds}.${String(millis).padStart(3, "0")}s`;
}
