/**
 * Systematic mutations of a valid document for the CRD-agreement conformance test: every field removed,
 * every object given an unknown field, every list emptied, duplicated and overfilled, every scalar replaced
 * by values that break types, enums, patterns, lengths and ranges. Each mutant records what was changed
 * in a non-enumerable `__mutation` property (invisible to validation).
 */
type Json = Record<string, unknown>;

const stringValues: unknown[] = ["", "INVALID Value!", "x".repeat(300), 12345, "*", "/a//b", "a.b", "-", "http", "Service", "0"];
const numberValues: unknown[] = [-1, 0, 70000, 1.5, "80", 4294967296];
const booleanValues: unknown[] = ["true", 1];

export function corpusMutations(document: Json): Json[] {
  const mutants: Json[] = [];
  const add = (description: string, mutate: (copy: Json) => void) => {
    const copy = structuredClone(document);
    mutate(copy);
    Object.defineProperty(copy, "__mutation", { value: description, enumerable: false });
    mutants.push(copy);
  };
  const walk = (value: unknown, path: (string | number)[]) => {
    const at = (copy: Json) => path.slice(0, -1).reduce<any>((node, segment) => node[segment], copy);
    const last = path[path.length - 1]!;
    const label = path.join(".");
    if (Array.isArray(value)) {
      add(`${label} emptied`, (copy) => (at(copy)[last] = []));
      if (value.length > 0) {
        add(`${label} first item duplicated`, (copy) => at(copy)[last].push(structuredClone(value[0])));
        add(`${label} overfilled`, (copy) => (at(copy)[last] = Array.from({ length: 70 }, (_, i) => renamed(value[0], i))));
      }
      add(`${label} replaced by a string`, (copy) => (at(copy)[last] = "list"));
      value.forEach((item, index) => walk(item, [...path, index]));
    } else if (typeof value === "object" && value !== null) {
      for (const key of Object.keys(value)) add(`${label}.${key} removed`, (copy) => delete at(copy)[last][key]);
      add(`${label} given an unknown field`, (copy) => (at(copy)[last].zzUnknown = 1));
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    } else if (typeof value === "string") {
      for (const replacement of stringValues)
        add(`${label} = ${JSON.stringify(replacement).slice(0, 20)}`, (copy) => (at(copy)[last] = replacement));
    } else if (typeof value === "number") {
      for (const replacement of numberValues) add(`${label} = ${JSON.stringify(replacement)}`, (copy) => (at(copy)[last] = replacement));
    } else if (typeof value === "boolean") {
      for (const replacement of booleanValues) add(`${label} = ${JSON.stringify(replacement)}`, (copy) => (at(copy)[last] = replacement));
    }
  };
  walk(document.spec, ["spec"]);
  add("metadata.name invalid", (copy) => ((copy.metadata as Json).name = "Not_A_Name"));
  return mutants;
}

/** A copy of a list item with its `name` (if any) made unique, so overfilling tests maxItems, not uniqueness. */
function renamed(item: unknown, index: number): unknown {
  const copy = structuredClone(item);
  if (typeof copy === "object" && copy !== null && typeof (copy as Json).name === "string")
    (copy as Json).name = `${String((copy as Json).name)}-${index}`;
  return copy;
}
