import { labelSelectorMatches, type LabelSelector } from "../../label-selectors.js";
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
  const typed: LabelSelector = {
    matchLabels: labels,
    matchExpressions: expressions.map((item) => ({
      key: stringOf(item.key),
      operator: stringOf(item.operator),
      values: stringsOf(item.values),
    })),
  };
  return [...context.namespaceLabels]
    .filter(([, namespaceLabels]) => labelSelectorMatches(typed, namespaceLabels))
    .map(([name]) => name)
    .sort();
}

/** Namespace objects of the input → their labels, with the name label Kubernetes adds to every namespace. */
export function namespaceLabelsOf(
  namespaces: readonly { name: string; labels: Record<string, string> }[],
): Map<string, Record<string, string>> | undefined {
  if (namespaces.length === 0) return undefined;
  return new Map(namespaces.map((namespace) => [namespace.name, { ...namespace.labels, [namespaceNameLabel]: namespace.name }]));
}
