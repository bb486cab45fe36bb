import type { FieldPath } from "../findings.js";
import type { KubeObject } from "../objects.js";
import type { ServiceHost } from "./hosts.js";
import type { InputObject } from "./input.js";
import type { Notes } from "./notes.js";
import { gatewayApiVersions, type ConvertOptions } from "./options.js";

/** A generated object before emission; the emitter names, merges, annotates and orders these. */
export interface Emitted {
  object: KubeObject;
  /** The input object it came from (for the `mesh/converted-from` annotation and findings). */
  from?: InputObject;
  /** ReferenceGrants with the same namespace/name are merged instead of renamed. */
  mergeByName?: boolean;
  /** Maps a path in the object to the input field it came from (for findings about the output). */
  inputPath?: (outputPath: FieldPath) => FieldPath;
}

export interface ConvertContext {
  options: ConvertOptions;
  notes: Notes;
  apiVersions: ReturnType<typeof gatewayApiVersions>;
  full: boolean;
  /** Core Services of the input (then of the cluster) by `namespace/name`: ports and selectors. */
  services: Map<string, InputObject>;
  /** DestinationRules (input, then cluster) by the FQDN of their host. */
  destinationRules: Map<string, InputObject>;
  /** full: the per-subset Services routes send traffic to (subset-services.ts). */
  subsetServices: SubsetServiceResolver;
}

/** Finds or creates the Service that selects one subset of a Service; undefined after an error finding. */
export interface SubsetServiceResolver {
  resolve(service: ServiceHost, subset: string, at: FieldPath, virtualService: InputObject, context: ConvertContext): string | undefined;
  emit(): Emitted[];
}

export function objectMeta(name: string, namespace: string, from?: InputObject): KubeObject["metadata"] {
  const metadata: KubeObject["metadata"] = { name, namespace };
  if (from && Object.keys(from.labels).length > 0) metadata.labels = { ...from.labels };
  if (from && Object.keys(from.annotations).length > 0) metadata.annotations = { ...from.annotations };
  return metadata;
}

export function referenceGrantName(fromNamespace: string, toNamespace: string): string {
  return `generated-reference-grant-from-${fromNamespace}-to-${toNamespace}`;
}
