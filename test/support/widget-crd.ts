/** The example.com Widget: a CustomResourceDefinition as a user would pass it with --crds, for CRD-driven tests. */

/**
 * The Widget CRD whose `spec` has the schema `spec` (a bare object schema when omitted), served as v1 and, with
 * `extraVersions`, as v2, v3, … too.
 */
export function widgetCrd(spec?: unknown, extraVersions = 0) {
  const version = (name: string) => ({
    name,
    served: true,
    storage: name === "v1",
    schema: { openAPIV3Schema: spec === undefined ? { type: "object" } : { type: "object", properties: { spec } } },
  });
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
      versions: [version("v1"), ...Array.from({ length: extraVersions }, (_, index) => version(`v${index + 2}`))],
    },
  };
}

/** A Widget `w` in the default namespace with this spec. */
export const widget = (spec: unknown) => ({
  apiVersion: "example.com/v1",
  kind: "Widget",
  metadata: { name: "w", namespace: "default" },
  spec,
});
