import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ALL_VARIANTS,
  AVAILABILITY_FILE,
  buildAvailability,
  buildGatewayBundle,
  buildUngatedBundle,
  gatewayBundleFileName,
  UNGATED_BUNDLE_FILE,
  variantKey,
  type Availability,
} from "./bundle.js";
import { readSchemaSources, type GroupSource } from "./sources.js";
import type { SchemaBundle, SchemaVariant } from "./types.js";
import { distPath, packagePath } from "../package-paths.js";

/** Where resolved bundles come from: the JSON files the build wrote, or the YAML sources resolved in memory. */
export interface SchemaStore {
  gatewayBundle(variant: SchemaVariant): SchemaBundle;
  ungatedBundle(): SchemaBundle;
  availability(): Availability;
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
  return {
    gatewayBundle: (variant) => read<SchemaBundle>(gatewayBundleFileName(variant)),
    ungatedBundle: () => read<SchemaBundle>(UNGATED_BUNDLE_FILE),
    availability: () => read<Availability>(AVAILABILITY_FILE),
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
