import type { KindSchema, SchemaSource } from "./schema-types.js";

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Schemas held in memory, e.g. from user CRDs; later entries for the same kind/version replace earlier ones. */
export function schemaSourceOf(schemas: readonly KindSchema[]): SchemaSource {
  const byKindVersion = new Map<string, KindSchema>();
  const byKind = new Map<string, KindSchema[]>();
  const groups = new Set<string>();
  for (const schema of schemas) {
    groups.add(schema.group);
    byKindVersion.set(`${schema.group}/${schema.version}/${schema.kind}`, schema);
    const key = `${schema.group}/${schema.kind}`;
    const list = (byKind.get(key) ?? []).filter((existing) => existing.version !== schema.version);
    list.push(schema);
    byKind.set(key, list);
  }
  return {
    lookup(apiVersion, kind) {
      const { group, version } = splitApiVersion(apiVersion);
      return byKindVersion.get(`${group}/${version}/${kind}`);
    },
    versionsOf(group, kind) {
      return byKind.get(`${group}/${kind}`) ?? [];
    },
    whereElse() {
      return [];
    },
    groups() {
      return groups;
    },
    kindsOf(group) {
      return [...new Set(schemas.filter((schema) => schema.group === group).map((schema) => schema.kind))];
    },
  };
}

/** The first source that knows a kind answers for it: user CRDs shadow the built-in catalog. */
export function layeredSchemaSource(sources: readonly SchemaSource[]): SchemaSource {
  return {
    lookup(apiVersion, kind) {
      const { group } = splitApiVersion(apiVersion);
      for (const source of sources) {
        if (source.versionsOf(group, kind).length > 0) return source.lookup(apiVersion, kind);
      }
      return undefined;
    },
    versionsOf(group, kind) {
      for (const source of sources) {
        const versions = source.versionsOf(group, kind);
        if (versions.length > 0) return versions;
      }
      return [];
    },
    whereElse(apiVersion, kind) {
      return sources.flatMap((source) => source.whereElse(apiVersion, kind));
    },
    groups() {
      return new Set(sources.flatMap((source) => [...source.groups()]));
    },
    kindsOf(group) {
      return [...new Set(sources.flatMap((source) => source.kindsOf(group)))];
    },
  };
}

export { splitApiVersion };
