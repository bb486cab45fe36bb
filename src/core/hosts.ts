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

/** The hosts both name (the narrower of the two), or undefined when they do not match. */
export function hostIntersection(a: string, b: string): string | undefined {
  if (!hostsMatch(a, b)) return undefined;
  return hostSubsetOf(b, a) ? b : a;
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

interface IndexedEntry<T> {
  /** Insertion order: "first" means the smallest. */
  order: number;
  value: T;
}

/** A node of the index: the names that end with this node's (reversed) path. */
interface HostNode<T> {
  /** Reversed characters between the parent and this node. */
  edge: string;
  /** Children by the first character of their edge. */
  children: Map<string, HostNode<T>> | undefined;
  /** Exact hosts equal to this node's name. */
  exact: IndexedEntry<T>[] | undefined;
  /** Wildcards `*` + this node's name. */
  wildcards: IndexedEntry<T>[] | undefined;
  /** The earliest entry at or below this node. */
  earliest: IndexedEntry<T>;
}

/** Where a name's reversed path ends: at a node, or inside the edge leading to `node`. */
interface PathEnd<T> {
  node: HostNode<T>;
  atNode: boolean;
}

/**
 * Hosts with values, answering "which indexed hosts match this host" ({@link hostsMatch}) and "which cover it"
 * ({@link hostSubsetOf}) without comparing against every entry. Names are kept reversed in a radix tree, so "ends
 * with" becomes "starts with": the wildcards a name ends in lie on its path, and the hosts ending in a wildcard's
 * suffix lie below it. Adding and the first-match queries cost O(length of the host), whatever was added before and
 * in whatever order adds and queries come; `matching` adds the size of its answer.
 */
export class HostIndex<T> {
  private root: HostNode<T> | undefined;
  private size = 0;

  add(host: string, value: T): void {
    const entry: IndexedEntry<T> = { order: this.size++, value };
    const wildcard = isWildcardHost(host);
    const key = reversed(wildcard ? host.slice(1) : host);
    let node = (this.root ??= { edge: "", children: undefined, exact: undefined, wildcards: undefined, earliest: entry });
    let depth = 0;
    while (depth < key.length) {
      const first = key[depth]!;
      const child = node.children?.get(first);
      if (!child) {
        const leaf: HostNode<T> = { edge: key.slice(depth), children: undefined, exact: undefined, wildcards: undefined, earliest: entry };
        (node.children ??= new Map()).set(first, leaf);
        node = leaf;
        break;
      }
      let shared = 1;
      while (shared < child.edge.length && depth + shared < key.length && child.edge[shared] === key[depth + shared]) shared++;
      if (shared < child.edge.length) {
        const middle: HostNode<T> = {
          edge: child.edge.slice(0, shared),
          children: new Map([[child.edge[shared]!, child]]),
          exact: undefined,
          wildcards: undefined,
          earliest: child.earliest,
        };
        child.edge = child.edge.slice(shared);
        node.children!.set(first, middle);
        node = middle;
      } else node = child;
      depth += shared;
    }
    if (wildcard) (node.wildcards ??= []).push(entry);
    else (node.exact ??= []).push(entry);
  }

  /** Every value whose host matches `host`, each value once, in the order they were added. */
  matching(host: string): T[] {
    const found: IndexedEntry<T>[] = [];
    const end = this.walk(host, (node) => append(found, node.wildcards));
    if (end && isWildcardHost(host)) collectBelow(end.node, found);
    else if (end?.atNode) append(found, end.node.exact);
    found.sort((a, b) => a.order - b.order);
    return [...new Set(found.map((entry) => entry.value))];
  }

  /** The first-added value whose host matches `host`. */
  firstMatching(host: string): T | undefined {
    let best: IndexedEntry<T> | undefined;
    const end = this.walk(host, (node) => (best = earlier(best, node.wildcards?.[0])));
    if (end && isWildcardHost(host)) best = earlier(best, end.node.earliest);
    else if (end?.atNode) best = earlier(best, end.node.exact?.[0]);
    return best?.value;
  }

  /** The first-added value whose host covers every host `host` names ({@link hostSubsetOf}). */
  firstCovering(host: string): T | undefined {
    let best: IndexedEntry<T> | undefined;
    const end = this.walk(host, (node) => (best = earlier(best, node.wildcards?.[0])));
    if (end?.atNode && !isWildcardHost(host)) best = earlier(best, end.node.exact?.[0]);
    return best?.value;
  }

  /** Visits the nodes on the reversed path of `host`'s name; returns where the path ends, or undefined off the tree. */
  private walk(host: string, visit: (node: HostNode<T>) => void): PathEnd<T> | undefined {
    if (!this.root) return undefined;
    const key = reversed(isWildcardHost(host) ? host.slice(1) : host);
    let node = this.root;
    visit(node);
    let depth = 0;
    while (depth < key.length) {
      const child = node.children?.get(key[depth]!);
      if (!child) return undefined;
      const remaining = key.length - depth;
      if (child.edge.length > remaining) return child.edge.startsWith(key.slice(depth)) ? { node: child, atNode: false } : undefined;
      if (!key.startsWith(child.edge, depth)) return undefined;
      node = child;
      depth += child.edge.length;
      visit(node);
    }
    return { node, atNode: true };
  }
}

function earlier<T>(a: IndexedEntry<T> | undefined, b: IndexedEntry<T> | undefined): IndexedEntry<T> | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.order <= b.order ? a : b;
}

function collectBelow<T>(start: HostNode<T>, found: IndexedEntry<T>[]): void {
  const stack = [start];
  for (let node = stack.pop(); node; node = stack.pop()) {
    append(found, node.exact);
    append(found, node.wildcards);
    if (node.children) for (const child of node.children.values()) stack.push(child);
  }
}

function append<T>(target: T[], items: readonly T[] | undefined): void {
  if (items) for (const item of items) target.push(item);
}

function reversed(text: string): string {
  let out = "";
  for (let index = text.length - 1; index >= 0; index--) out += text[index];
  return out;
}
