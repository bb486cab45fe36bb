import { createHash } from "node:crypto";

const maxNameLength = 253;

/** Generated object and listener names (docs/design/convert.md §10.2): lower-case DNS subdomain, long names hashed. */
export function sanitizeName(name: string): string {
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
