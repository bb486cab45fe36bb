import { InputError } from "../errors.js";
import { parsePath, PathSyntaxError, type PathSegment } from "./path-language.js";

/** One parsed `--set path=value` flag; `path` is relative to the IstioOperator `spec`. */
export interface SetFlag {
  flag: string;
  /** How the user wrote it, for messages, when not as `--set flag` (e.g. `--revision canary`). */
  source?: string;
  path: PathSegment[];
  value: unknown;
}

/** Paths whose values stay strings even when they look like numbers (image tags, versions, proxy metadata). */
function keepsString(path: string): boolean {
  return (
    path === "tag" ||
    path.endsWith(".tag") ||
    path === "compatibilityVersion" ||
    path === "values.compatibilityVersion" ||
    path.startsWith("meshConfig.defaultConfig.proxyMetadata.") ||
    path.startsWith("values.meshConfig.defaultConfig.proxyMetadata.")
  );
}

/**
 * Parses `path=value`, splitting at the first `=` (istioctl splits at every `=` and silently
 * drops values that contain one). A flag without `=` is rejected rather than set to "".
 */
export function parseSetFlag(flag: string): SetFlag {
  const equals = flag.indexOf("=");
  if (equals === -1)
    throw new InputError(`--set "${flag}": expected path=value`, { hint: "for example --set values.global.logging.level=default:debug" });
  const pathText = flag.slice(0, equals).trim();
  const raw = flag.slice(equals + 1);
  let path: PathSegment[];
  try {
    path = parsePath(pathText);
  } catch (error) {
    if (error instanceof PathSyntaxError) throw new InputError(`--set "${flag}": bad path: ${error.message}`);
    throw error;
  }
  const normalized = pathText.replace(/^spec\./, "");
  if (pathText.startsWith("spec.")) path = path.slice(1);
  return { flag, path, value: keepsString(normalized) ? raw.replace(/\\,/g, ",") : typedScalar(raw) };
}

/** istioctl's typing of a --set value: integer, then float, then boolean, else string (with `\,` → `,`). */
export function typedScalar(raw: string): unknown {
  if (/^[-+]?\d+$/.test(raw)) {
    const number = Number(raw);
    if (Number.isSafeInteger(number)) return number;
  }
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(raw)) return Number(raw);
  if (["true", "TRUE", "True", "t", "T"].includes(raw)) return true;
  if (["false", "FALSE", "False", "f", "F"].includes(raw)) return false;
  return raw.replace(/\\,/g, ",");
}
