/**
 * Appends items in a loop: `target.push(...items)` passes every item as an argument, and V8 throws
 * "Maximum call stack size exceeded" past roughly 100,000 of them — a size user input easily reaches.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
