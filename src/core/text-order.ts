/**
 * localeCompare's order, without its cost where the two orders agree: the first localeCompare of a run loads ICU's
 * collator (10–25 ms). Names made of lowercase ASCII letters, digits, `-` and `.` (Kubernetes object names, DNS labels,
 * revisions) sort in the root collation exactly as by code point (`-` < `.` < digits < letters, no case or accents to
 * weigh), so they are compared directly; anything else goes to localeCompare.
 */
const plainName = /^[a-z0-9.-]*$/;

export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  if (plainName.test(a) && plainName.test(b)) return a < b ? -1 : 1;
  return a.localeCompare(b);
}
