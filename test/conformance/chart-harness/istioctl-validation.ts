// istioctl's refusal of chart values its Values message does not accept (istioctl-refused-values.json), so that the
// suite expects mesh to refuse the same overlays instead of rendering them.
import { readFileSync } from "node:fs";

type Json = Record<string, unknown>;
const isMap = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

interface RefusedValues {
  undeclared: Record<string, string>;
  enums: Record<string, string[]>;
  mapLists: Record<string, string>;
}

const refused = JSON.parse(readFileSync(new URL("./istioctl-refused-values.json", import.meta.url), "utf8")) as RefusedValues;

function at(root: unknown, dotted: string): unknown {
  let current = root;
  for (const segment of dotted.split(".")) {
    if (!isMap(current)) return undefined;
    current = current[segment];
  }
  return current;
}

/** Why istioctl refuses the overlays' spec.values, or undefined when it accepts them. */
export function istioctlRefusal(overlays: Json[]): string | undefined {
  for (const overlay of overlays) {
    const values = at(overlay, "spec.values");
    for (const [dotted, reason] of Object.entries(refused.undeclared))
      if (at(values, dotted) !== undefined) return `unknown field values.${dotted}: ${reason}`;
    for (const [dotted, names] of Object.entries(refused.enums)) {
      const value = at(values, dotted);
      if (value !== undefined && !(typeof value === "string" && names.includes(value)))
        return `values.${dotted}: invalid enum value ${JSON.stringify(value)}`;
    }
    for (const [dotted, reason] of Object.entries(refused.mapLists)) {
      const value = at(values, dotted);
      if (Array.isArray(value) && value.some((item) => !isMap(item))) return `values.${dotted}: ${reason}`;
    }
  }
  return undefined;
}
