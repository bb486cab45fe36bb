/**
 * Appends `items` to `target` one by one. `target.push(...items)` passes every item as a call argument,
 * which overflows the stack once input-sized arrays reach about a hundred thousand items.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
