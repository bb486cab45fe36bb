import { InputError } from "../errors.js";
import { closestWord } from "../suggest.js";
import { operatorBundle } from "./bundle.js";
import { clone, mergeOverlay } from "./merge.js";
import type { IstioOperator } from "./types.js";

/** Profiles mesh ships, sorted by name. */
export function profileNames(): string[] {
  return Object.keys(operatorBundle().profiles).sort();
}

/** The profile as istioctl uses it: `default` with the named profile's delta merged on top. */
export function loadProfile(name: string): IstioOperator {
  const { profiles } = operatorBundle();
  const base = profiles.default;
  if (!base) throw new Error("the default profile is missing from the bundle");
  const delta = Object.prototype.hasOwnProperty.call(profiles, name) ? profiles[name] : undefined;
  if (!delta) {
    const suggestion = closestWord(name, Object.keys(profiles));
    throw new InputError(`profile "${name}" not found${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`, {
      hint: `available profiles: ${profileNames().join(", ")}`,
    });
  }
  return (name === "default" ? clone(base) : mergeOverlay(base, delta)) as IstioOperator;
}
