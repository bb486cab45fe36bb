/** Option parsers shared by the commands. */

/** commander collector for repeatable flags: `-f a -f b` → ["a", "b"]. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
