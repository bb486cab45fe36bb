// A strategic merge patch for core/v1 Pod, limited to what injection needs (docs/design/injection.md §1.7):
// maps merge key by key (patch wins), lists with a merge key merge by it (patch items first, then the
// original's remaining items), other lists are replaced whole, and a null in the patch deletes the field.

type Json = unknown;
type JsonObject = Record<string, Json>;

/** Merge keys by the path of the list, `*` standing for any list item. */
const mergeKeys: Record<string, string> = {
  "spec.containers": "name",
  "spec.initContainers": "name",
  "spec.volumes": "name",
  "spec.imagePullSecrets": "name",
  "spec.containers.*.env": "name",
  "spec.initContainers.*.env": "name",
  "spec.containers.*.volumeMounts": "mountPath",
  "spec.initContainers.*.volumeMounts": "mountPath",
  "spec.containers.*.ports": "containerPort",
  "spec.initContainers.*.ports": "containerPort",
};

export function isObject(value: Json): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function strategicMerge(original: Json, patch: Json, at = ""): Json {
  if (!isObject(patch)) return clone(patch);
  const base: JsonObject = isObject(original) ? clone(original) : {};
  for (const [key, patchValue] of Object.entries(patch)) {
    const childPath = at ? `${at}.${key}` : key;
    if (patchValue === null) {
      delete base[key];
      continue;
    }
    const mergeKey = mergeKeys[childPath];
    if (Array.isArray(patchValue) && mergeKey !== undefined) {
      base[key] = mergeList(base[key], patchValue, mergeKey, childPath);
    } else if (isObject(patchValue)) {
      base[key] = strategicMerge(base[key], patchValue, childPath);
    } else {
      base[key] = clone(patchValue);
    }
  }
  return base;
}

function mergeList(original: Json, patch: Json[], mergeKey: string, at: string): Json[] {
  const originalItems = Array.isArray(original) ? original : [];
  const itemPath = `${at}.*`;
  const merged: Json[] = [];
  const used = new Set<number>();
  for (const item of patch) {
    const key = isObject(item) ? item[mergeKey] : undefined;
    const index = originalItems.findIndex((o, i) => !used.has(i) && isObject(o) && o[mergeKey] === key);
    if (index >= 0) {
      used.add(index);
      merged.push(strategicMerge(originalItems[index], item, itemPath));
    } else {
      merged.push(strategicMerge({}, item, itemPath));
    }
  }
  originalItems.forEach((item, i) => {
    if (!used.has(i)) merged.push(clone(item));
  });
  return merged;
}
