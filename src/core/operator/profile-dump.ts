import type { SourceDocument } from "../documents/parse.js";
import { InputError } from "../errors.js";
import { composeOperator } from "./compose.js";
import { parsePath, PathSyntaxError, resolve } from "./path-language.js";
import { loadProfile } from "./profiles.js";

/** The profile as installed (default + delta), optionally with overlays, optionally narrowed to `configPath`. */
export function dumpProfile(options: { name?: string; documents?: SourceDocument[]; sets?: string[]; configPath?: string }): unknown {
  const overlays = (options.documents?.length ?? 0) > 0 || (options.sets?.length ?? 0) > 0;
  const operator = overlays
    ? composeOperator({
        documents: options.documents ?? [],
        sets: [...(options.name ? [`profile=${options.name}`] : []), ...(options.sets ?? [])],
      }).operator
    : loadProfile(options.name ?? "default");
  if (!options.configPath) return operator;
  let segments;
  try {
    segments = parsePath(options.configPath);
  } catch (error) {
    if (error instanceof PathSyntaxError) throw new InputError(`--config-path: ${error.message}`);
    throw error;
  }
  const direct = resolve(operator, segments);
  const underSpec = direct === undefined ? resolve(operator.spec, segments) : direct;
  if (underSpec === undefined) throw new InputError(`--config-path ${options.configPath}: no such field in the profile`);
  return underSpec;
}

export interface DiffLine {
  kind: "same" | "added" | "removed";
  text: string;
}

/** Line diff (longest common subsequence), enough for two profile dumps of a few hundred lines. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const table: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: "same", text: a[i]! });
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) out.push({ kind: "removed", text: a[i++]! });
    else out.push({ kind: "added", text: b[j++]! });
  }
  while (i < a.length) out.push({ kind: "removed", text: a[i++]! });
  while (j < b.length) out.push({ kind: "added", text: b[j++]! });
  return out;
}
