import { listOf, recordOf, stringMapOf, stringOf, stringsOf, type PlainRecord } from "../plain-data.js";
import type { ReverseContext } from "./context.js";

const namespaceNameLabel = "kubernetes.io/metadata.name";

/**
 * The namespaces a label selector picks. A selector on the name label alone is answered offline; any
 * other needs the namespaces' labels, read from Namespace objects in the input (undefined without them).
 */
export function namespacesSelectedBy(selector: PlainRecord, context: ReverseContext): string[] | undefined {
  const labels = stringMapOf(selector.matchLabels);
  const expressions = listOf(selector.matchExpressions).map((item) => recordOf(item) ?? {});
  const nameOnly =
    Object.keys(labels).every((key) => key === namespaceNameLabel) && expressions.every((item) => item.key === namespaceNameLabel);
  // An empty selector selects every namespace.
  if (Object.keys(labels).length === 0 && expressions.length === 0) return ["*"];
  if (nameOnly && expressions.every((item) => item.operator === "In")) {
    const named = labels[namespaceNameLabel];
    const inLists = expressions.map((item) => stringsOf(item.values));
    let candidates: string[] | undefined = named === undefined ? undefined : [named];
    for (const values of inLists) candidates = candidates === undefined ? values : candidates.filter((value) => values.includes(value));
    if (candidates !== undefined) return [...new Set(candidates)].sort();
  }
  if (!context.namespaceLabels) return undefined;
  return [...context.namespaceLabels]
    .filter(([, namespaceLabels]) => matchesSelector(labels, expressions, namespaceLabels))
    .map(([name]) => name)
    .sort();
}

function matchesSelector(labels: Record<string, string>, expressions: PlainRecord[], namespaceLabels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(labels)) if (namespaceLabels[key] !== value) return false;
  for (const expression of expressions) {
    const key = stringOf(expression.key) ?? "";
    const values = stringsOf(expression.values);
    const present = key in namespaceLabels;
    switch (stringOf(expression.operator)) {
      case "In":
        if (!present || !values.includes(namespaceLabels[key]!)) return false;
        break;
      case "NotIn":
        if (present && values.includes(namespaceLabels[key]!)) return false;
        break;
      case "Exists":
        if (!present) return false;
        break;
      case "DoesNotExist":
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Namespace objects of the input → their labels, with the name label Kubernetes adds to every namespace. */
export function namespaceLabelsOf(
  namespaces: readonly { name: string; labels: Record<string, string> }[],
): Map<string, Record<string, string>> | undefined {
  if (namespaces.length === 0) return undefined;
  return new Map(namespaces.map((namespace) => [namespace.name, { ...namespace.labels, [namespaceNameLabel]: namespace.name }]));
}
