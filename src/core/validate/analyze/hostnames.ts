/** Gateway API hostname intersection: a leading `*.` matches one or more labels; absent means any. */
export function hostnamesIntersect(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a === b) return true;
  const matches = (wild: string, other: string) => wild.startsWith("*.") && other.endsWith(wild.slice(1)) && other.length > wild.length - 1;
  if (a.startsWith("*.") && b.startsWith("*.")) return a.endsWith(b.slice(1)) || b.endsWith(a.slice(1));
  return matches(a, b) || matches(b, a);
}
