/**
 * Overlapping hosts in one list (a VirtualService's `hosts`, matched against SNI hosts), found with hash
 * lookups instead of comparing every pair: each host is indexed under itself and under every suffix that starts
 * at a dot, so `*.example.com` finds `a.example.com` (and the reverse) in one lookup per dot.
 *
 * Two hosts overlap when they are equal, or one is a wildcard `*X` and the other ends with X; a bare `*`
 * overlaps everything.
 */

/** Hosts longer than a DNS name (255) are rejected elsewhere; they are matched exactly only, to keep the index linear. */
const MAX_INDEXED_LENGTH = 255;

/** Invalid wildcards (`*example.com`) compared against every host; beyond this many the list is rejected anyway. */
const MAX_LINEAR_SCANS = 64;

export class HostOverlapIndex {
  /** host or dot-suffix (`.example.com`) → first host registered under it. */
  private readonly bySuffix = new Map<string, string>();
  private readonly exact = new Map<string, string>();
  /** Wildcards by what follows the `*`: `.example.com`, or "" for `*`. */
  private readonly wildcards = new Map<string, string>();
  /** Wildcards whose rest does not start with a dot (`*example.com`): invalid hosts, compared one by one. */
  private readonly oddWildcards: string[] = [];
  private first: string | undefined;
  private linearScans = 0;

  /** The first registered host that overlaps `host`, if any. */
  find(host: string): string | undefined {
    const same = this.exact.get(host);
    if (same !== undefined) return same;
    const all = this.wildcards.get("");
    if (all !== undefined) return all;
    if (host === "*") return this.first;
    if (host.length <= MAX_INDEXED_LENGTH) {
      for (let dot = host.indexOf("."); dot !== -1; dot = host.indexOf(".", dot + 1)) {
        const wildcard = this.wildcards.get(host.slice(dot));
        if (wildcard !== undefined) return wildcard;
      }
    }
    for (const odd of this.oddWildcards) if (host.endsWith(odd.slice(1))) return odd;
    if (host.startsWith("*")) {
      const rest = host.slice(1);
      const covered = this.bySuffix.get(rest);
      if (covered !== undefined) return covered;
      // `*example.com` (no dot) is itself invalid and reported as such; a few are compared one by one.
      if (!rest.startsWith(".") && this.linearScans++ < MAX_LINEAR_SCANS) {
        for (const known of this.exact.keys()) if (known.endsWith(rest)) return known;
      }
    }
    return undefined;
  }

  add(host: string): void {
    this.first ??= host;
    if (!this.exact.has(host)) this.exact.set(host, host);
    if (host.startsWith("*")) {
      const rest = host.slice(1);
      if (rest === "" || rest.startsWith(".")) {
        if (!this.wildcards.has(rest)) this.wildcards.set(rest, host);
      } else if (this.oddWildcards.length < MAX_LINEAR_SCANS) this.oddWildcards.push(host);
    }
    if (host.length > MAX_INDEXED_LENGTH) return;
    for (let dot = host.indexOf("."); dot !== -1; dot = host.indexOf(".", dot + 1)) {
      const suffix = host.slice(dot);
      if (!this.bySuffix.has(suffix)) this.bySuffix.set(suffix, host);
    }
  }
}
