/**
 * Istio durations (protobuf `1.5s`, Go `1m30s`, `100ms`) to Gateway API durations (`1s500ms`):
 * whole h/m/s/ms parts, zero parts left out, at most 4 parts of at most 5 digits.
 */
const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
const goDuration = /^(\d+(?:\.\d+)?)(h|ms|m|s|us|\u00b5s|ns)/;

/** Milliseconds (possibly fractional), or undefined when the text is not a duration. */
export function parseIstioDuration(text: string): number | undefined {
  let rest = text.trim();
  if (rest === "") return undefined;
  if (rest === "0") return 0;
  let total = 0;
  while (rest.length > 0) {
    const match = goDuration.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * unitMs[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return total;
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
