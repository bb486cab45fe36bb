import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ALL_VARIANTS,
  AVAILABILITY_FILE,
  buildAvailability,
  buildGatewayBundle,
  buildUngatedBundle,
  gatewayBundleFileName,
  KIND_DIRECTORY,
  kindFileName,
  UNGATED_BUNDLE_FILE,
  variantKey,
  type Availability,
} from "./bundle.js";
import { readSchemaSources, type GroupSource } from "./sources.js";
import type { ResolvedKind, SchemaBundle, SchemaVariant } from "./types.js";
import { distPath, packagePath } from "../package-paths.js";

/** Where resolved bundles come from: the JSON files the build wrote, or the YAML sources resolved in memory. */
export interface SchemaStore {
  gatewayBundle(variant: SchemaVariant): SchemaBundle;
  ungatedBundle(): SchemaBundle;
  availability(): Availability;
  /** One kind of a bundle file: null when the bundle has no such kind, undefined when the store cannot tell (read the bundle). */
  bundleKind?(bundleFile: string, group: string, kind: string): ResolvedKind | null | undefined;
}

/** Reads dist/schemas/*.json: one JSON.parse per file, memoised. */
export function bundleDirectoryStore(directory: string): SchemaStore {
  const cache = new Map<string, unknown>();
  const read = <T>(file: string): T => {
    let value = cache.get(file);
    if (value === undefined) {
      value = JSON.parse(readFileSync(join(directory, file), "utf8"));
      cache.set(file, value);
    }
    return value as T;
  };
  let kindFiles: boolean | undefined;
  return {
    gatewayBundle: (variant) => read<SchemaBundle>(gatewayBundleFileName(variant)),
    ungatedBundle: () => read<SchemaBundle>(UNGATED_BUNDLE_FILE),
    availability: () => read<Availability>(AVAILABILITY_FILE),
    bundleKind(bundleFile, group, kind) {
      kindFiles ??= existsSync(join(directory, KIND_DIRECTORY));
      if (!kindFiles) return undefined;
      const file = kindFileName(bundleFile, group, kind);
      if (file === undefined) return null;
      let text: string;
      try {
        text = readFileSync(join(directory, KIND_DIRECTORY, file), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
      const resolved = JSON.parse(text) as ResolvedKind;
      // A case-insensitive file system finds Gateway.json for "gateway"; names must match exactly.
      return resolved.group === group && resolved.kind === kind ? resolved : null;
    },
  };
}

/** Resolves the YAML sources on demand (tests running from source, or no build yet). */
export function sourceDirectoryStore(directory: string): SchemaStore {
  let sources: GroupSource[] | undefined;
  const load = () => (sources ??= readSchemaSources(directory));
  const gateway = new Map<string, SchemaBundle>();
  let ungated: SchemaBundle | undefined;
  let availability: Availability | undefined;
  const gatewayBundle = (variant: SchemaVariant): SchemaBundle => {
    const key = variantKey(variant);
    let bundle = gateway.get(key);
    if (!bundle) {
      bundle = buildGatewayBundle(load(), variant);
      gateway.set(key, bundle);
    }
    return bundle;
  };
  return {
    gatewayBundle,
    ungatedBundle: () => (ungated ??= buildUngatedBundle(load())),
    availability: () => (availability ??= buildAvailability(ALL_VARIANTS.map(gatewayBundle))),
  };
}

/** The project's `schemas/` directory. */
export const SOURCE_DIRECTORY = packagePath("schemas");
/** `dist/schemas`, written by the build step 10-schemas; absent before the first build. */
export const BUNDLE_DIRECTORY = distPath("schemas");

export function defaultSchemaStore(): SchemaStore {
  return existsSync(join(BUNDLE_DIRECTORY, UNGATED_BUNDLE_FILE))
    ? bundleDirectoryStore(BUNDLE_DIRECTORY)
    : sourceDirectoryStore(SOURCE_DIRECTORY);
}
