/**
 * Server-side apply field ownership, as the real API server tracks it in `metadata.managedFields`.
 * Fields are paths of map keys and list-item keys; lists whose items have a natural key (`name`, `port`+`protocol`,
 * `containerPort`+`protocol`, `type` for conditions, `mountPath`) are merged per item, all other lists are atomic.
 */
import { isDeepStrictEqual } from "node:util";

type Json = any;

export interface ManagedEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  /** Encoded field paths (see `encodePath`). */
  fields: Set<string>;
}

export interface Conflict {
  manager: string;
  apiVersion: string;
  /** `.data.mesh`, `.spec.template.spec.containers[name="discovery"].image` */
  field: string;
}

type Segment = { f: string } | { k: Record<string, unknown> };

/** Top-level bookkeeping fields nobody owns. */
const unowned = new Set(["apiVersion", "kind"]);
const unownedMetadata = new Set([
  "name",
  "namespace",
  "managedFields",
  "resourceVersion",
  "uid",
  "creationTimestamp",
  "generation",
  "deletionTimestamp",
]);

function isMap(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function listKeyOf(fieldName: string, item: Json): Record<string, unknown> | undefined {
  if (!isMap(item)) return undefined;
  if (fieldName === "ports" && item.containerPort !== undefined)
    return { containerPort: item.containerPort, protocol: item.protocol ?? "TCP" };
  if (fieldName === "ports" && item.port !== undefined) return { port: item.port, protocol: item.protocol ?? "TCP" };
  if (fieldName === "conditions" && typeof item.type === "string") return { type: item.type };
  if (fieldName === "volumeMounts" && typeof item.mountPath === "string") return { mountPath: item.mountPath };
  if (typeof item.name === "string" && fieldName !== "versions") return { name: item.name };
  return undefined;
}

/** The item keys of a list, or undefined when the list is atomic (some item has no key, or keys repeat). */
function listKeys(fieldName: string, list: Json[]): Record<string, unknown>[] | undefined {
  if (list.length === 0) return undefined;
  const keys = list.map((item) => listKeyOf(fieldName, item));
  if (keys.some((key) => key === undefined)) return undefined;
  const seen = new Set(keys.map((key) => JSON.stringify(key)));
  return seen.size === keys.length ? (keys as Record<string, unknown>[]) : undefined;
}

function encodePath(segments: Segment[]): string {
  return JSON.stringify(segments.map((segment) => ("f" in segment ? `f:${segment.f}` : `k:${JSON.stringify(segment.k)}`)));
}

function decodePath(path: string): Segment[] {
  return (JSON.parse(path) as string[]).map((part) =>
    part.startsWith("f:") ? { f: part.slice(2) } : { k: JSON.parse(part.slice(2)) as Record<string, unknown> },
  );
}

/** The path as the API server prints it in conflict messages. */
export function displayPath(path: string): string {
  return decodePath(path)
    .map((segment) => {
      if ("f" in segment) return `.${segment.f}`;
      const parts = Object.entries(segment.k).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
      return `[${parts.join(",")}]`;
    })
    .join("");
}

/** Every owned path of an object: leaves (scalars, atomic lists, empty maps) and keyed list items. */
export function fieldsOf(object: Json, options: { ignoreStatus: boolean }): Set<string> {
  const fields = new Set<string>();
  const walk = (value: Json, path: Segment[], fieldName: string) => {
    if (isMap(value)) {
      const entries = Object.entries(value).filter(([key]) => {
        if (path.length === 0) return !unowned.has(key) && !(options.ignoreStatus && key === "status");
        if (path.length === 1 && fieldName === "metadata") return !unownedMetadata.has(key);
        return true;
      });
      if (Object.keys(value).length === 0 && path.length > 0) fields.add(encodePath(path));
      for (const [key, child] of entries) walk(child, [...path, { f: key }], key);
      return;
    }
    if (Array.isArray(value)) {
      const keys = listKeys(fieldName, value);
      if (!keys) {
        fields.add(encodePath(path));
        return;
      }
      value.forEach((item, index) => {
        const itemPath: Segment[] = [...path, { k: keys[index]! }];
        fields.add(encodePath(itemPath));
        walk(item, itemPath, "");
      });
      return;
    }
    fields.add(encodePath(path));
  };
  walk(object, [], "");
  return fields;
}

function lastFieldName(segments: Segment[], index: number): string {
  const segment = segments[index];
  return segment && "f" in segment ? segment.f : "";
}

function valueAt(object: Json, segments: Segment[]): Json {
  let current = object;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if ("f" in segment) {
      if (!isMap(current)) return undefined;
      current = current[segment.f];
    } else {
      if (!Array.isArray(current)) return undefined;
      const name = lastFieldName(segments, i - 1);
      current = current.find((item) => isDeepStrictEqual(listKeyOf(name, item), segment.k));
    }
  }
  return current;
}

function removeAt(object: Json, segments: Segment[]): void {
  const parent = valueAt(object, segments.slice(0, -1));
  const last = segments[segments.length - 1]!;
  if ("f" in last) {
    if (isMap(parent)) delete parent[last.f];
    return;
  }
  if (!Array.isArray(parent)) return;
  const name = lastFieldName(segments, segments.length - 2);
  const index = parent.findIndex((item) => isDeepStrictEqual(listKeyOf(name, item), last.k));
  if (index >= 0) parent.splice(index, 1);
}

/** Merges an applied configuration into a live object: maps per key, keyed lists per item, everything else replaced. */
function mergeValue(live: Json, applied: Json, fieldName: string): Json {
  if (isMap(live) && isMap(applied)) {
    const result: Record<string, Json> = { ...live };
    for (const [key, value] of Object.entries(applied)) result[key] = mergeValue(live[key], value, key);
    return result;
  }
  if (Array.isArray(live) && Array.isArray(applied)) {
    const appliedKeys = listKeys(fieldName, applied);
    const liveKeys = listKeys(fieldName, live);
    if (appliedKeys && liveKeys) {
      const merged = applied.map((item, index) => {
        const match = live.find((_, liveIndex) => isDeepStrictEqual(liveKeys[liveIndex], appliedKeys[index]));
        return match === undefined ? item : mergeValue(match, item, "");
      });
      const rest = live.filter((_, liveIndex) => !appliedKeys.some((key) => isDeepStrictEqual(key, liveKeys[liveIndex])));
      return [...merged, ...rest];
    }
  }
  return structuredClone(applied);
}

export interface ApplyResult {
  object: Json;
  managed: ManagedEntry[];
  conflicts: Conflict[];
}

/**
 * Server-side apply of `applied` by `manager` onto `live` (undefined when creating). Without `force`, fields another
 * manager owns with a different value are conflicts and nothing changes; with `force`, `manager` takes them over.
 */
export function applyConfiguration(options: {
  live: Json | undefined;
  managed: ManagedEntry[];
  applied: Json;
  manager: string;
  apiVersion: string;
  force: boolean;
  ignoreStatus: boolean;
  now: string;
}): ApplyResult {
  const { live, applied, manager, force } = options;
  const appliedFields = fieldsOf(applied, { ignoreStatus: options.ignoreStatus });
  const appliedBody = structuredClone(applied);
  if (options.ignoreStatus) delete appliedBody.status;
  const others = options.managed.filter((entry) => !(entry.manager === manager && entry.operation === "Apply"));
  const conflicts: Conflict[] = [];
  const conflicting = new Set<string>();
  if (live !== undefined) {
    for (const path of appliedFields) {
      const segments = decodePath(path);
      const last = segments[segments.length - 1];
      if (last && "k" in last) continue;
      for (const entry of others) {
        if (entry.manager === manager || !entry.fields.has(path)) continue;
        if (isDeepStrictEqual(valueAt(live, segments), valueAt(applied, segments))) continue;
        conflicts.push({ manager: entry.manager, apiVersion: entry.apiVersion, field: displayPath(path) });
        conflicting.add(path);
      }
    }
  }
  if (conflicts.length > 0 && !force) return { object: live, managed: options.managed, conflicts };

  const previous = options.managed.find((entry) => entry.manager === manager && entry.operation === "Apply");
  const ownedByOthers = new Set(others.flatMap((entry) => [...entry.fields]));
  let object = live === undefined ? {} : structuredClone(live);
  if (previous) {
    const released = [...previous.fields].filter((path) => !appliedFields.has(path) && !ownedByOthers.has(path));
    // Shallowest first: a released list item goes as a whole, before its key fields could be removed from it.
    released.sort((a, b) => decodePath(a).length - decodePath(b).length);
    for (const path of released) removeAt(object, decodePath(path));
  }
  object = mergeValue(object, appliedBody, "");

  const managed: ManagedEntry[] = [];
  for (const entry of options.managed) {
    if (entry.manager === manager && entry.operation === "Apply") continue;
    const fields = new Set([...entry.fields].filter((path) => !conflicting.has(path)));
    if (fields.size > 0) managed.push({ ...entry, fields });
  }
  const sameFields =
    previous && previous.fields.size === appliedFields.size && [...appliedFields].every((path) => previous.fields.has(path));
  managed.push({
    manager,
    operation: "Apply",
    apiVersion: options.apiVersion,
    time: sameFields && previous ? previous.time : options.now,
    fields: appliedFields,
  });
  return { object, managed, conflicts: force ? conflicts : [] };
}

/** Ownership after a non-apply write (create, update, merge patch): `manager` takes every field it changed. */
export function recordUpdate(options: {
  before: Json | undefined;
  after: Json;
  managed: ManagedEntry[];
  manager: string;
  apiVersion: string;
  ignoreStatus: boolean;
  now: string;
}): ManagedEntry[] {
  const afterFields = fieldsOf(options.after, { ignoreStatus: options.ignoreStatus });
  const changed = new Set<string>();
  for (const path of afterFields) {
    const segments = decodePath(path);
    if (options.before === undefined || !isDeepStrictEqual(valueAt(options.before, segments), valueAt(options.after, segments))) {
      changed.add(path);
    }
  }
  const managed: ManagedEntry[] = [];
  let own: ManagedEntry | undefined;
  for (const entry of options.managed) {
    const isOwn = entry.manager === options.manager && entry.operation === "Update";
    const fields = new Set([...entry.fields].filter((path) => afterFields.has(path) && (isOwn || !changed.has(path))));
    if (isOwn) {
      own = { ...entry, fields };
      continue;
    }
    if (fields.size > 0) managed.push({ ...entry, fields });
  }
  if (changed.size > 0 || own) {
    const fields = new Set([...(own?.fields ?? []), ...changed]);
    if (fields.size > 0) {
      managed.push({
        manager: options.manager,
        operation: "Update",
        apiVersion: options.apiVersion,
        time: changed.size > 0 ? options.now : own!.time,
        fields,
      });
    }
  }
  return managed;
}

/** The `metadata.managedFields` list as the API returns it (FieldsV1 trees with `.` for list items). */
export function renderManagedFields(managed: readonly ManagedEntry[]): Json[] {
  return managed.map((entry) => {
    const tree: Record<string, Json> = {};
    for (const path of entry.fields) {
      let node = tree;
      const parts = JSON.parse(path) as string[];
      parts.forEach((part, index) => {
        node[part] ??= {};
        node = node[part];
        if (index === parts.length - 1 && part.startsWith("k:")) node["."] = {};
      });
    }
    return {
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      time: entry.time,
      fieldsType: "FieldsV1",
      fieldsV1: tree,
    };
  });
}

/** The API server's conflict message: `Apply failed with 1 conflict: conflict with "kubectl" using v1: .data.x`. */
export function conflictMessage(conflicts: readonly Conflict[]): string {
  const count = conflicts.length === 1 ? "1 conflict" : `${conflicts.length} conflicts`;
  const byManager = new Map<string, Conflict[]>();
  for (const conflict of conflicts) {
    const key = `"${conflict.manager}" using ${conflict.apiVersion}`;
    byManager.set(key, [...(byManager.get(key) ?? []), conflict]);
  }
  const parts = [...byManager].map(([who, list]) =>
    list.length === 1 ? `conflict with ${who}: ${list[0]!.field}` : `conflicts with ${who}:\n${list.map((c) => `- ${c.field}`).join("\n")}`,
  );
  return `Apply failed with ${count}: ${parts.join("\n")}`;
}
