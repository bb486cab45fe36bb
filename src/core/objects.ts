/** A Kubernetes object as plain data. Renderers, converters and the cluster layer all speak in it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export function isKubeObject(value: unknown): value is KubeObject {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as KubeObject).apiVersion === "string" &&
    typeof (value as KubeObject).kind === "string"
  );
}

export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

export function apiVersionOnly(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
}

/** `Kind ns/name` or `Kind name`, as kubectl prints object references. */
export function describeObject(object: { kind?: string; metadata?: { namespace?: string; name?: string } }): string {
  const name = object.metadata?.name ?? "<unnamed>";
  const namespace = object.metadata?.namespace;
  return `${object.kind ?? "<no kind>"} ${namespace ? `${namespace}/` : ""}${name}`;
}
