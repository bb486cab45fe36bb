import { isMap, type JsonMap } from "./types.js";

/**
 * IstioOperator overlay merge: maps merge key by key, lists and scalars replace, and a null in the
 * overlay leaves the base value alone (a file whose `spec:` is null counts as having no spec).
 * Neither input is modified.
 */
export function mergeOverlay(base: unknown, overlay: unknown): unknown {
  if (overlay === undefined || overlay === null) return clone(base);
  if (isMap(base) && isMap(overlay)) {
    const out = clone<JsonMap>(base);
    for (const [key, value] of Object.entries(overlay)) out[key] = mergeOverlay(base[key], value);
    return out;
  }
  return clone(overlay);
}

/**
 * Helm-style value layering inside a chart: like {@link mergeOverlay}, but an empty string or an empty
 * map in the overlay does not override a default (docs/design/install.md §1.1).
 */
export function mergeChartValues(base: unknown, overlay: unknown): unknown {
  if (overlay === undefined || overlay === null) return clone(base);
  // An empty string does not override a default (mergo's override skips empty values) but is kept where nothing was.
  if (overlay === "") return base === undefined ? "" : clone(base);
  if (isMap(overlay) && Object.keys(overlay).length === 0 && base !== undefined) return clone(base);
  if (isMap(base) && isMap(overlay)) {
    const out = clone<JsonMap>(base);
    for (const [key, value] of Object.entries(overlay)) out[key] = mergeChartValues(base[key], value);
    return out;
  }
  return clone(overlay);
}

export function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (isMap(value)) {
    const out: JsonMap = {};
    for (const [key, item] of Object.entries(value)) out[key] = clone(item);
    return out as T;
  }
  return value;
}

/** The value at `path` (map keys and list indices), or undefined. */
export function getPath(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof segment === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!isMap(current)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

/** Dotted-path lookup for chart values (`"global.proxy.image"`); keys never contain dots there. */
export function valueAt(values: unknown, dotted: string): unknown {
  return getPath(values, dotted.split("."));
}
