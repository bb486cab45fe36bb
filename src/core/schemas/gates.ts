import type { SchemaVariant } from "./types.js";
import { scalarText } from "../json.js";
import { compareVersions, parseVersion } from "../versions.js";

/**
 * The gating keys of schema sources (docs/design/validation.md §2.2). Sources are written once for every Gateway API bundle variant;
 * resolving them for one variant drops what is not in it, applies per-variant values and inlines fragments.
 * None of these keys survives resolution. On any object (schema node, rule, versions[] entry, crd.yaml):
 *   x-mesh-channel: experimental     present only in that channel
 *   x-mesh-since / x-mesh-until: vX  present only in bundles ≥ / ≤ vX
 *   x-mesh-unless: {conditions}|[…]  absent where any condition set holds (e.g. v1.2.1 standard only)
 *   x-mesh-variants: [{since?, until?, channel?, set?, unset?}]  per-variant keywords, applied in order
 *   x-mesh-ref: name                 the group fragment, sibling keys laid over it (a list fragment alone)
 * A property dropped by a gate also leaves its parent's `required`.
 */
export const CHANNEL_GATE = "x-mesh-channel";
export const SINCE_GATE = "x-mesh-since";
export const UNTIL_GATE = "x-mesh-until";
/** Drops the node where the conditions hold: `{channel: standard, until: v1.2.1}` = "absent from v1.2.1 standard". */
export const UNLESS_GATE = "x-mesh-unless";
export const VARIANTS_KEY = "x-mesh-variants";
export const REF_KEY = "x-mesh-ref";
const GATING_KEYS = [CHANNEL_GATE, SINCE_GATE, UNTIL_GATE, UNLESS_GATE, VARIANTS_KEY, REF_KEY];

/** One entry of `x-mesh-variants`: when the conditions hold, `set` keywords replace and `unset` ones go. */
interface VariantOverride {
  since?: string;
  until?: string;
  channel?: string;
  set?: Record<string, unknown>;
  unset?: string[];
}

export type Fragments = Record<string, unknown>;

export interface ResolveContext {
  variant: SchemaVariant;
  fragments: Fragments;
  /** Where the value comes from, for error messages (a file name). */
  source: string;
}

/** Thrown for a malformed source (unknown fragment, bad gate); the build fails on it. */
export class SchemaSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SchemaSourceError";
  }
}

const DROPPED = Symbol("dropped");

/** Gates name bundle versions as `vMAJOR.MINOR.PATCH`; anything else is a mistake in a schema source. */
function assertBundleVersion(version: string, source = "<gate>"): void {
  if (!/^v\d+\.\d+\.\d+$/.test(version)) throw new SchemaSourceError(`${source}: "${version}" is not a bundle version like v1.3.0`);
}

export function compareBundleVersions(left: string, right: string): number {
  assertBundleVersion(left);
  assertBundleVersion(right);
  return compareVersions(parseVersion(left)!, parseVersion(right)!);
}

function conditionsHold(
  conditions: { since?: unknown; until?: unknown; channel?: unknown },
  context: ResolveContext,
): boolean {
  const { variant, source } = context;
  if (conditions.channel !== undefined) {
    if (conditions.channel !== "standard" && conditions.channel !== "experimental") {
      throw new SchemaSourceError(`${source}: unknown channel gate "${scalarText(conditions.channel)}"`);
    }
    if (conditions.channel !== variant.channel) return false;
  }
  if (conditions.since !== undefined) {
    assertBundleVersion(scalarText(conditions.since), source);
    if (compareBundleVersions(variant.gatewayApiVersion, scalarText(conditions.since)) < 0) return false;
  }
  if (conditions.until !== undefined) {
    assertBundleVersion(scalarText(conditions.until), source);
    if (compareBundleVersions(variant.gatewayApiVersion, scalarText(conditions.until)) > 0) return false;
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What a fragment reference expands to: a list fragment as is, or a node with the nesting of each key. */
type Inlined =
  | { list: unknown[]; innermost: string[] }
  | { node: Record<string, unknown>; seenByKey: Map<string, string[]>; innermost: string[] };

/**
 * Replaces `{x-mesh-ref: name, …siblings}` by the fragment with the siblings laid over it (a sibling keyword
 * replaces the fragment's, except `x-mesh-variants`, which the two concatenate). Returns, per key, the
 * fragments its value is nested in: only values that come from a fragment can close a cycle.
 */
function inlineFragment(
  node: Record<string, unknown>,
  context: ResolveContext,
  seen: string[],
): Inlined {
  let current = node;
  const seenByKey = new Map<string, string[]>();
  let fragmentSeen = seen;
  while (REF_KEY in current) {
    const name = current[REF_KEY];
    if (typeof name !== "string") throw new SchemaSourceError(`${context.source}: ${REF_KEY} must name a fragment`);
    if (fragmentSeen.includes(name)) {
      throw new SchemaSourceError(`${context.source}: fragment cycle ${[...fragmentSeen, name].join(" → ")}`);
    }
    const fragment = context.fragments[name];
    const { [REF_KEY]: _ref, ...siblings } = current;
    if (Array.isArray(fragment)) {
      if (Object.keys(siblings).length > 0) throw new SchemaSourceError(`${context.source}: list fragment "${name}" takes no siblings`);
      return { list: fragment, innermost: [...fragmentSeen, name] };
    }
    if (!isPlainObject(fragment)) throw new SchemaSourceError(`${context.source}: unknown fragment "${name}"`);
    for (const key of Object.keys(siblings)) if (!seenByKey.has(key)) seenByKey.set(key, fragmentSeen);
    fragmentSeen = [...fragmentSeen, name];
    const merged: Record<string, unknown> = { ...fragment, ...siblings };
    // Overrides accumulate: the fragment's apply first, then the referring node's.
    if (Array.isArray(fragment[VARIANTS_KEY]) && Array.isArray(siblings[VARIANTS_KEY])) {
      merged[VARIANTS_KEY] = [...(fragment[VARIANTS_KEY] as unknown[]), ...(siblings[VARIANTS_KEY] as unknown[])];
    }
    current = merged;
  }
  for (const key of Object.keys(current)) if (!seenByKey.has(key)) seenByKey.set(key, fragmentSeen);
  return { node: current, seenByKey, innermost: fragmentSeen };
}

function resolveValue(value: unknown, context: ResolveContext, seen: string[]): unknown {
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const resolved = resolveValue(item, context, seen);
      if (resolved !== DROPPED) items.push(resolved);
    }
    return items;
  }
  if (!isPlainObject(value)) return value;

  let node = value;
  let seenByKey: Map<string, string[]> | undefined;
  // Keys an override sets count as coming from the innermost fragment (a cycle may run through them).
  let innermost = seen;
  if (REF_KEY in value) {
    const inlined = inlineFragment(value, context, seen);
    if ("list" in inlined) return resolveValue(inlined.list, context, inlined.innermost);
    ({ node, seenByKey, innermost } = inlined);
  }
  const gates = { channel: node[CHANNEL_GATE], since: node[SINCE_GATE], until: node[UNTIL_GATE] };
  if (!conditionsHold(gates, context)) return DROPPED;
  if (UNLESS_GATE in node && unlessHolds(node[UNLESS_GATE], context)) return DROPPED;
  if (VARIANTS_KEY in node) node = applyOverrides(node, context);

  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node)) {
    if (GATING_KEYS.includes(key)) continue;
    if (key.startsWith("x-mesh-")) throw new SchemaSourceError(`${context.source}: unknown key ${key}`);
    const resolved = resolveValue(child, context, seenByKey?.get(key) ?? innermost);
    if (resolved !== DROPPED) result[key] = resolved;
  }
  // A property present only in some variants is also required only there.
  if (isPlainObject(result.properties) && Array.isArray(result.required)) {
    const properties = result.properties;
    const gated = Object.keys(isPlainObject(node.properties) ? node.properties : {}).filter((name) => !(name in properties));
    if (gated.length > 0) {
      result.required = (result.required as unknown[]).filter((name) => !gated.includes(String(name)));
      if ((result.required as unknown[]).length === 0) delete result.required;
    }
  }
  return result;
}

function unlessHolds(value: unknown, context: ResolveContext): boolean {
  const entries = Array.isArray(value) ? value : [value];
  return entries.some((entry) => {
    if (!isPlainObject(entry) || Object.keys(entry).some((key) => !["since", "until", "channel"].includes(key))) {
      throw new SchemaSourceError(`${context.source}: ${UNLESS_GATE} takes {since, until, channel} conditions`);
    }
    return conditionsHold(entry, context);
  });
}

function applyOverrides(node: Record<string, unknown>, context: ResolveContext): Record<string, unknown> {
  const overrides = node[VARIANTS_KEY];
  if (!Array.isArray(overrides)) throw new SchemaSourceError(`${context.source}: ${VARIANTS_KEY} must be a list`);
  const result = { ...node };
  for (const entry of overrides as unknown[]) {
    if (!isPlainObject(entry)) throw new SchemaSourceError(`${context.source}: bad ${VARIANTS_KEY} entry`);
    const override = entry as VariantOverride;
    for (const key of Object.keys(override)) {
      if (!["since", "until", "channel", "set", "unset"].includes(key)) {
        throw new SchemaSourceError(`${context.source}: unknown ${VARIANTS_KEY} key "${key}"`);
      }
    }
    if (!conditionsHold(override, context)) continue;
    Object.assign(result, override.set ?? {});
    for (const keyword of override.unset ?? []) delete result[keyword];
  }
  return result;
}

/** Resolves every gate, override and fragment in `value` for one variant. Undefined when the value itself is gated out. */
export function resolveForVariant<T>(value: unknown, context: ResolveContext): T | undefined {
  const resolved = resolveValue(value, context, []);
  return resolved === DROPPED ? undefined : (resolved as T);
}

/** True when the source uses any gate or override (Istio sources must not). */
export function usesGates(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(usesGates);
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(
    ([key, child]) => [CHANNEL_GATE, SINCE_GATE, UNTIL_GATE, UNLESS_GATE, VARIANTS_KEY].includes(key) || usesGates(child),
  );
}
