/**
 * Gateway API hostname matching the way istiod does it: `*` alone matches anything, `*.example.com`
 * matches every name below example.com (not the apex), and two wildcards match when one covers the other.
 */
export function isWildcard(host: string): boolean {
  return host.startsWith("*");
}

/** Either hostname could select a request the other selects (istiod's bidirectional match). */
export function hostnamesMatch(a: string, b: string): boolean {
  if (a === b) return true;
  if (isWildcard(a) && isWildcard(b)) return a.slice(1).endsWith(b.slice(1)) || b.slice(1).endsWith(a.slice(1));
  if (isWildcard(a)) return b.endsWith(a.slice(1));
  if (isWildcard(b)) return a.endsWith(b.slice(1));
  return false;
}

/** Every request `inner` selects is also selected by `outer`. */
export function hostnameSubsetOf(inner: string, outer: string): boolean {
  if (!isWildcard(outer)) return inner === outer;
  return inner.endsWith(outer.slice(1));
}

/** The hostnames both select (the narrower of the two), or undefined when they do not overlap. */
export function hostnameIntersection(listener: string, route: string): string | undefined {
  if (!hostnamesMatch(listener, route)) return undefined;
  return hostnameSubsetOf(route, listener) ? route : listener;
}
