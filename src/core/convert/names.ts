import { createHash } from "node:crypto";

const maxNameLength = 253;

/** A name sanitizeName leaves as it is: lower-case letters, digits, `.` and single `-`, neither first nor last. */
const alreadySanitized = /^[a-z0-9](?:[a-z0-9.]|-(?!-))*$/;

/** Generated object and listener names (docs/design/convert.md §10.2): lower-case DNS subdomain, long names hashed. */
export function sanitizeName(name: string): string {
  // Most generated names are clean once lower-cased; the replacements below would give those back unchanged.
  const lower = name.toLowerCase();
  if (lower.length <= maxNameLength && alreadySanitized.test(lower) && !lower.endsWith(".") && !lower.endsWith("-")) return lower;
  return sanitizeSlowly(name);
}

/** sanitizeName without the shortcut (exported for the test that compares the two). */
export function sanitizeSlowly(name: string): string {
  let out = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  if (out === "") out = "unnamed";
  if (out.length > maxNameLength) {
    const digest = createHash("sha256").update(name).digest("hex").slice(0, 8);
    out = `${out.slice(0, 244).replace(/[-.]+$/, "")}-${digest}`;
  }
  return out;
}

/** `ns/name` keys → the next free variant: `name`, `name-2`, `name-3`, … */
export class NameRegistry {
  private readonly taken = new Set<string>();

  /** Returns `name` when free, else the first free `<name><suffix(n)>`; records the result. */
  claim(scope: string, name: string, suffix: (attempt: number) => string = (attempt) => `-${attempt}`): string {
    let candidate = name;
    for (let attempt = 2; this.taken.has(`${scope}\u0000${candidate}`); attempt++) {
      candidate = `${name}${suffix(attempt)}`;
    }
    this.taken.add(`${scope}\u0000${candidate}`);
    return candidate;
  }

  has(scope: string, name: string): boolean {
    return this.taken.has(`${scope}\u0000${name}`);
  }
}
