import type { PlainRecord } from "./plain-data.js";

/** CRD limits every route kind shares: at most 32 parentRefs and 16 hostnames per route. */
export const maxParentRefsPerRoute = 32;
export const maxHostnamesPerRoute = 16;

export interface RouteGroup {
  parents: PlainRecord[];
  hostnames: string[];
  /** Appended to the route's name: "" for the first group, `-p2`, `-h2`, `-p2-h2`, … for the others. */
  suffix: string;
}

/**
 * Splits a route's parentRefs and hostnames into groups that fit the limits; every (parents, hostnames) pair
 * becomes one route with the same rules, so each parent still serves each hostname. `compat` keeps one group
 * (ingress2gateway parity).
 */
export function routeGroups(parentRefs: readonly PlainRecord[], hostnames: readonly string[], split: boolean): RouteGroup[] {
  const parentGroups = split ? chunk(parentRefs, maxParentRefsPerRoute) : [[...parentRefs]];
  const hostnameGroups = split ? chunk(hostnames, maxHostnamesPerRoute) : [[...hostnames]];
  return parentGroups.flatMap((parents, parentIndex) =>
    hostnameGroups.map((group, hostIndex) => ({
      parents,
      hostnames: group,
      suffix: `${parentIndex === 0 ? "" : `-p${parentIndex + 1}`}${hostIndex === 0 ? "" : `-h${hostIndex + 1}`}`,
    })),
  );
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  if (items.length <= size) return [[...items]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
