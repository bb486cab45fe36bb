/**
 * How Kubernetes exposes an object to CEL rules: property names escaped into CEL identifiers (reserved words as
 * `__word__`, `.`/`-`/`/`/`__` spelled out), and at the root only apiVersion, kind, metadata.name and
 * metadata.generateName of the metadata (plus spec and status). Shared by the interpreter and the compiler.
 */

const celReserved = new Set([
  "true",
  "false",
  "null",
  "in",
  "as",
  "break",
  "const",
  "continue",
  "else",
  "for",
  "function",
  "if",
  "import",
  "let",
  "loop",
  "package",
  "namespace",
  "return",
  "var",
  "void",
  "while",
]);
const escapedNames = new Map<string, string | undefined>();

/** Kubernetes' escaping of property names for CEL; undefined when the name stays inaccessible. */
export function escapePropertyName(name: string): string | undefined {
  if (escapedNames.has(name)) return escapedNames.get(name);
  let escaped: string | undefined;
  if (celReserved.has(name)) escaped = `__${name}__`;
  else {
    const candidate = name
      .replace(/__/g, "__underscores__")
      .replace(/\./g, "__dot__")
      .replace(/-/g, "__dash__")
      .replace(/\//g, "__slash__");
    escaped = /^[A-Za-z_][A-Za-z0-9_]*$/.test(candidate) ? candidate : undefined;
  }
  escapedNames.set(name, escaped);
  return escaped;
}

/** The original property name of an escaped field access. */
export function unescapeFieldName(name: string): string {
  const keyword = /^__(.+)__$/.exec(name);
  if (keyword && celReserved.has(keyword[1]!)) return keyword[1]!;
  return name.replace(
    /__(underscores|dot|dash|slash)__/g,
    (_match, what: string) => ({ underscores: "__", dot: ".", dash: "-", slash: "/" })[what]!,
  );
}

/** At the root, CEL sees apiVersion, kind, metadata.name and metadata.generateName only (plus spec, status). */
export function rootView(value: unknown): Record<string, unknown> {
  const object = value as Record<string, unknown>;
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const visible: Record<string, unknown> = {};
  if (typeof metadata.name === "string") visible.name = metadata.name;
  if (typeof metadata.generateName === "string") visible.generateName = metadata.generateName;
  return { ...object, metadata: visible };
}
