import type { KindSchema, StructuralSchema } from "../schema-types.js";

interface CrdVersion {
  name?: unknown;
  served?: unknown;
  storage?: unknown;
  deprecated?: unknown;
  deprecationWarning?: unknown;
  schema?: { openAPIV3Schema?: unknown };
  subresources?: { status?: unknown };
}

export function isCustomResourceDefinition(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const object = value as Record<string, unknown>;
  return (
    object.kind === "CustomResourceDefinition" &&
    typeof object.apiVersion === "string" &&
    object.apiVersion.startsWith("apiextensions.k8s.io/")
  );
}

/**
 * The served schemas of one CustomResourceDefinition object (apiextensions.k8s.io/v1), one entry per
 * version — this is how `--crds` turns a user's (or upstream's) CRD files into schemas for the engine.
 * Throws with a readable message when the object is not a usable v1 CRD.
 */
export function schemasFromCrd(crd: unknown): KindSchema[] {
  const object = crd as { metadata?: { name?: string }; spec?: Record<string, unknown> };
  const name = object.metadata?.name ?? "<unnamed>";
  const spec = object.spec;
  if (!spec || typeof spec !== "object") throw new Error(`CustomResourceDefinition ${name} has no spec`);
  const names = (spec.names ?? {}) as { kind?: unknown; plural?: unknown };
  const group = spec.group;
  if (typeof group !== "string" || typeof names.kind !== "string") {
    throw new Error(`CustomResourceDefinition ${name} needs spec.group and spec.names.kind`);
  }
  const versions = Array.isArray(spec.versions) ? (spec.versions as CrdVersion[]) : [];
  if (versions.length === 0) throw new Error(`CustomResourceDefinition ${name} lists no spec.versions`);
  const sharedSchema = (spec.validation as { openAPIV3Schema?: unknown } | undefined)?.openAPIV3Schema;
  return versions.map((version): KindSchema => {
    const schema = (version.schema?.openAPIV3Schema ??
      sharedSchema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true }) as StructuralSchema;
    const subresources = version.subresources ?? (spec.subresources as CrdVersion["subresources"]);
    return {
      group,
      version: String(version.name),
      kind: names.kind as string,
      plural: typeof names.plural === "string" ? names.plural : `${(names.kind as string).toLowerCase()}s`,
      scope: spec.scope === "Cluster" ? "Cluster" : "Namespaced",
      served: version.served !== false,
      storage: version.storage === true,
      deprecated: version.deprecated === true,
      ...(typeof version.deprecationWarning === "string" ? { deprecationWarning: version.deprecationWarning } : {}),
      openAPIV3Schema: schema,
      statusSubresource: subresources?.status !== undefined,
    };
  });
}
