/** Guards against inputs that would exhaust memory or time; each limit hit becomes a finding. */
export interface ReadLimits {
  /** Largest file (or stdin) read, in bytes. */
  maxFileBytes: number;
  /** Alias dereferences allowed per document (billion-laughs guard). */
  maxAliasCount: number;
  /** Deepest nesting of mappings and sequences. */
  maxDepth: number;
}

export const defaultReadLimits: ReadLimits = {
  maxFileBytes: 32 * 1024 * 1024,
  maxAliasCount: 100,
  maxDepth: 200,
};

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} B`;
}
