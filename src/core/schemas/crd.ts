import type { KubeObject } from "../objects.js";
import type { ResolvedKind } from "./types.js";

/** An apiextensions.k8s.io/v1 CustomResourceDefinition for one resolved kind, fields in kubectl's order. */
export function customResourceDefinitionOf(kind: ResolvedKind): KubeObject {
  const metadata: KubeObject["metadata"] = {};
  if (Object.keys(kind.annotations).length > 0) metadata.annotations = { ...kind.annotations };
  if (Object.keys(kind.labels).length > 0) metadata.labels = { ...kind.labels };
  metadata.name = `${kind.plural}.${kind.group}`;

  const names: Record<string, unknown> = {};
  if (kind.categories.length > 0) names.categories = [...kind.categories];
  names.kind = kind.kind;
  names.listKind = kind.listKind;
  names.plural = kind.plural;
  if (kind.shortNames.length > 0) names.shortNames = [...kind.shortNames];
  names.singular = kind.singular;

  const versions = kind.versions.map((version) => {
    const owner = version.schemaFrom === undefined ? version : kind.versions.find((v) => v.name === version.schemaFrom)!;
    const entry: Record<string, unknown> = {};
    // A version that shares another's schema also shares its printer columns and subresources unless it
    // declares its own (an empty list declares "none", as upstream's BackendTLSPolicy v1alpha3 does).
    const printerColumns = version.additionalPrinterColumns ?? owner.additionalPrinterColumns;
    const subresources = version.subresources ?? owner.subresources;
    if (printerColumns && printerColumns.length > 0) entry.additionalPrinterColumns = structuredClone(printerColumns);
    if (version.deprecated) entry.deprecated = true;
    if (version.deprecationWarning !== undefined) entry.deprecationWarning = version.deprecationWarning;
    entry.name = version.name;
    entry.schema = { openAPIV3Schema: structuredClone(owner.openAPIV3Schema) };
    if (version.selectableFields) entry.selectableFields = structuredClone(version.selectableFields);
    entry.served = version.served;
    entry.storage = version.storage;
    if (subresources) entry.subresources = structuredClone(subresources);
    return entry;
  });

  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata,
    spec: { group: kind.group, names, scope: kind.scope, versions },
  };
}
