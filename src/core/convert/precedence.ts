import { listOf, recordOf, stringOf, type PlainRecord } from "./plain-data.js";

/**
 * Istio tries `http` entries in order and stops at the first match; Gateway API ranks rules by
 * specificity. Returns pairs (i, j), i < j, where entry i already matches every request entry j
 * matches, so Istio never reached j and Gateway API may (docs/design/convert.md §7.1, CONV318).
 */
export function firstMatchShadows(entries: readonly unknown[]): [number, number][] {
  const pairs: [number, number][] = [];
  const matchLists = entries.map((entry) => listOf(recordOf(entry)?.match).map((match) => recordOf(match) ?? {}));
  for (let j = 1; j < entries.length; j++) {
    const later = matchLists[j]!;
    for (let i = 0; i < j; i++) {
      const earlier = matchLists[i]!;
      const coversAll = earlier.length === 0 || (later.length > 0 && later.every((match) => earlier.some((wide) => covers(wide, match))));
      if (coversAll) {
        pairs.push([i, j]);
        break;
      }
    }
  }
  return pairs;
}

/** `wide` has at most a uri prefix (no other condition) and that prefix covers `narrow`'s uri. */
function covers(wide: PlainRecord, narrow: PlainRecord): boolean {
  const conditions = Object.keys(wide).filter((key) => key !== "uri" && key !== "name" && key !== "statPrefix");
  if (conditions.length > 0) return false;
  const uri = recordOf(wide.uri);
  if (!uri) return true;
  const prefix = stringOf(uri.prefix);
  if (prefix === undefined) return false;
  const narrowUri = recordOf(narrow.uri);
  const narrowPath = stringOf(narrowUri?.prefix) ?? stringOf(narrowUri?.exact);
  return narrowPath !== undefined && narrowPath.startsWith(prefix);
}
