/**
 * Istio host names as the control plane compares them: FQDNs, short names (a single label, resolved in the namespace
 * of the object that names them) and wildcards (`*` alone, or `*` followed by a suffix such as `*.example.com`).
 */

export const DEFAULT_CLUSTER_DOMAIN = "cluster.local";

export function isWildcardHost(host: string): boolean {
  return host.startsWith("*");
}

/**
 * Whether two hosts can name the same request host (Istio's `host.Name.Matches`): a wildcard covers every host that
 * ends with its suffix, two wildcards overlap when one suffix ends with the other, and `*` overlaps everything.
 */
export function hostsMatch(a: string, b: string): boolean {
  const aWild = isWildcardHost(a);
  const bWild = isWildcardHost(b);
  if (aWild && bWild) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aWild) return b.endsWith(a.slice(1));
  if (bWild) return a.endsWith(b.slice(1));
  return a === b;
}

/** Whether every host that `a` names is also named by `b` (Istio's `host.Name.SubsetOf`). */
export function hostSubsetOf(a: string, b: string): boolean {
  if (isWildcardHost(b)) return isWildcardHost(a) ? a.slice(1).endsWith(b.slice(1)) : a.endsWith(b.slice(1));
  return !isWildcardHost(a) && a === b;
}

/**
 * A short name (one label, no wildcard) becomes `<name>.<namespace>.svc.<domain>`; anything with a dot or a wildcard
 * is taken as written — `reviews.default` is *not* expanded, as in Istio's analyzers.
 */
export function hostToFqdn(host: string, namespace: string, clusterDomain = DEFAULT_CLUSTER_DOMAIN): string {
  if (isWildcardHost(host) || host.includes(".")) return host;
  return `${host}.${namespace}.svc.${clusterDomain}`;
}

/** `<name>.<namespace>.svc.<domain>` split back into name and namespace, or undefined for other hosts. */
export function serviceOfFqdn(fqdn: string, clusterDomain = DEFAULT_CLUSTER_DOMAIN): { name: string; namespace: string } | undefined {
  const suffix = `.svc.${clusterDomain}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const labels = fqdn.slice(0, -suffix.length).split(".");
  if (labels.length !== 2 || !labels[0] || !labels[1]) return undefined;
  return { name: labels[0], namespace: labels[1] };
}

/**
 * A Gateway server host `namespace/dnsName`: `./x` means the Gateway's own namespace, `*` or no prefix any namespace.
 * The namespace says which namespaces' VirtualServices may bind to the host.
 */
export function splitGatewayHost(entry: string, gatewayNamespace: string): { namespace: string; host: string } {
  const slash = entry.indexOf("/");
  if (slash === -1) return { namespace: "*", host: entry };
  const namespace = entry.slice(0, slash);
  return { namespace: namespace === "." ? gatewayNamespace : namespace, host: entry.slice(slash + 1) };
}

interface SortedEntry<T> {
  reversed: string;
  values: T[];
}

/**
 * Hosts with values, answering "which indexed hosts does this host overlap" (by {@link hostsMatch}) without comparing
 * against every entry: exact hosts and `*.suffix` wildcards sit in maps probed at the query's label boundaries, and a
 * sorted list of reversed names answers wildcard queries by range. Building is O(n log n); a query costs
 * O(labels + log n + matches).
 */
export class HostIndex<T> {
  private readonly exact = new Map<string, T[]>();
  /** Wildcards keyed by what follows the `*`: `""` for `*`, `.example.com` for `*.example.com`. */
  private readonly wildcards = new Map<string, T[]>();
  /** Wildcards whose suffix does not start at a label boundary (`*example.com`); Istio rarely admits them. */
  private readonly irregular: { suffix: string; values: T[] }[] = [];
  private sortedExact?: SortedEntry<T>[];
  private sortedWildcards?: SortedEntry<T>[];

  add(host: string, value: T): void {
    if (isWildcardHost(host)) {
      const suffix = host.slice(1);
      if (suffix === "" || suffix.startsWith(".")) push(this.wildcards, suffix, value);
      else {
        const entry = this.irregular.find((candidate) => candidate.suffix === suffix);
        if (entry) entry.values.push(value);
        else this.irregular.push({ suffix, values: [value] });
      }
      this.sortedWildcards = undefined;
    } else {
      push(this.exact, host, value);
      this.sortedExact = undefined;
    }
  }

  /** Every value whose host overlaps `host`, each value once, in insertion order per host. */
  matching(host: string): T[] {
    const found = new Set<T>();
    const take = (values: readonly T[] | undefined) => values?.forEach((value) => found.add(value));
    const name = isWildcardHost(host) ? host.slice(1) : host;
    // Wildcards whose suffix the name ends with: `*`, and `*.b.c`, `*.c` for `a.b.c` (or for `*.b.c`).
    take(this.wildcards.get(""));
    for (let index = name.indexOf("."); index !== -1; index = name.indexOf(".", index + 1)) take(this.wildcards.get(name.slice(index)));
    for (const entry of this.irregular) if (name.endsWith(entry.suffix)) take(entry.values);
    if (!isWildcardHost(host)) {
      take(this.exact.get(host));
      return [...found];
    }
    // A wildcard query also covers exact hosts and narrower wildcards that end with its suffix.
    const reversedSuffix = reverse(name);
    for (const entry of rangeWithPrefix(this.sortedExactEntries(), reversedSuffix)) take(entry.values);
    for (const entry of rangeWithPrefix(this.sortedWildcardEntries(), reversedSuffix)) take(entry.values);
    return [...found];
  }

  private sortedExactEntries(): SortedEntry<T>[] {
    this.sortedExact ??= sortReversed(this.exact);
    return this.sortedExact;
  }

  private sortedWildcardEntries(): SortedEntry<T>[] {
    if (!this.sortedWildcards) {
      const all = new Map(this.wildcards);
      for (const entry of this.irregular) all.set(entry.suffix, entry.values);
      this.sortedWildcards = sortReversed(all);
    }
    return this.sortedWildcards;
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}

function reverse(text: string): string {
  let out = "";
  for (let index = text.length - 1; index >= 0; index--) out += text[index];
  return out;
}

function sortReversed<T>(map: Map<string, T[]>): SortedEntry<T>[] {
  return [...map]
    .map(([key, values]) => ({ reversed: reverse(key), values }))
    .sort((a, b) => (a.reversed < b.reversed ? -1 : a.reversed > b.reversed ? 1 : 0));
}

function* rangeWithPrefix<T>(sorted: readonly SortedEntry<T>[], prefix: string): Generator<SortedEntry<T>> {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]!.reversed < prefix) low = middle + 1;
    else high = middle;
  }
  for (let index = low; index < sorted.length && sorted[index]!.reversed.startsWith(prefix); index++) yield sorted[index]!;
}
