/**
 * A composed document turned into the JSON value kubectl sends: go-yaml v2's decoding into interface{}
 * (merge keys applied in document order, later keys overwriting merged ones) followed by
 * sigs.k8s.io/yaml's conversion (non-string keys written as strings; null and collection keys, NaN and
 * infinities rejected). Two deliberate differences, both refusals: a key repeated in one mapping is an
 * error (the API server's strict field validation rejects it, kubectl would silently keep the last), and
 * an integer beyond ±2^53 is an error (a JavaScript number cannot hold it exactly).
 */

import { YamlError } from "./errors.js";
import type { MappingNode, ScalarNode, YamlNode } from "./parser.js";
import {
  BINARY_TAG,
  FLOAT_TAG,
  INT_TAG,
  MAX_EXACT_INTEGER,
  MERGE_TAG,
  NULL_TAG,
  TIMESTAMP_TAG,
  BOOL_TAG,
  formatFloatKey,
  resolveScalar,
  type Resolved,
} from "./resolve.js";

export interface ToJsonLimits {
  /** Alias dereferences allowed in one document (nested ones count too). */
  maxAliasCount: number;
  maxDepth: number;
}

const strictBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

class Converter {
  private aliasCount = 0;
  private readonly expanding = new Set<YamlNode>();

  constructor(private readonly limits: ToJsonLimits) {}

  value(node: YamlNode, depth: number): unknown {
    switch (node.kind) {
      case "scalar":
        return this.scalarValue(node);
      case "alias":
        return this.alias(node, (target) => this.value(target, depth));
      case "sequence": {
        this.checkDepth(node, depth);
        const items: unknown[] = new Array(node.items.length);
        for (let i = 0; i < node.items.length; i++) items[i] = this.value(node.items[i]!, depth + 1);
        return items;
      }
      case "mapping": {
        this.checkDepth(node, depth);
        const out: Record<string, unknown> = {};
        this.mapping(node, out, depth);
        return out;
      }
    }
  }

  private checkDepth(node: YamlNode, depth: number): void {
    if (depth >= this.limits.maxDepth)
      throw new YamlError(
        `document nests deeper than ${this.limits.maxDepth} levels; refusing to read it`,
        node.start,
        "",
        undefined,
        "depth-limit",
      );
  }

  private alias<T>(node: Extract<YamlNode, { kind: "alias" }>, read: (target: YamlNode) => T): T {
    if (this.expanding.has(node)) throw new YamlError(`anchor '${node.name}' value contains itself`, node.start);
    if (++this.aliasCount > this.limits.maxAliasCount)
      throw new YamlError(
        `document expands YAML aliases more than ${this.limits.maxAliasCount} times (possible "billion laughs" input); refusing to read it`,
        node.start,
        "",
        undefined,
        "alias-limit",
      );
    this.expanding.add(node);
    try {
      return read(node.target);
    } finally {
      this.expanding.delete(node);
    }
  }

  /** Decodes a mapping's entries into `out`; merged mappings write into the same object. */
  private mapping(node: MappingNode, out: Record<string, unknown>, depth: number): void {
    const seen = new Set<string>();
    for (let i = 0; i < node.entries.length; i += 2) {
      const keyNode = node.entries[i]!;
      const valueNode = node.entries[i + 1]!;
      if (isMergeKey(keyNode)) {
        this.merge(valueNode, out, depth);
        continue;
      }
      const key = this.key(keyNode, depth);
      if (seen.has(key))
        throw new YamlError(`mapping key "${key}" already defined; remove the duplicate`, keyNode.start, "", undefined, "duplicate-key");
      seen.add(key);
      const value = this.value(valueNode, depth + 1);
      if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
  }

  private merge(node: YamlNode, out: Record<string, unknown>, depth: number): void {
    const wantMap = () => new YamlError("map merge requires map or sequence of maps as the value", node.start);
    const mergeOne = (candidate: YamlNode) => {
      if (candidate.kind === "mapping") this.mapping(candidate, out, depth);
      else if (candidate.kind === "alias") {
        if (candidate.target.kind !== "mapping") throw wantMap();
        this.alias(candidate, (target) => this.mapping(target as MappingNode, out, depth));
      } else throw wantMap();
    };
    if (node.kind === "sequence") {
      // Earlier mappings in the list take precedence, so they are applied last.
      for (let i = node.items.length - 1; i >= 0; i--) mergeOne(node.items[i]!);
    } else mergeOne(node);
  }

  /** A key as sigs.k8s.io/yaml writes it into JSON. */
  key(node: YamlNode, depth: number): string {
    if (node.kind === "alias") return this.alias(node, (target) => this.key(target, depth));
    if (node.kind !== "scalar")
      throw new YamlError(`invalid map key: a ${node.kind} cannot be a key`, node.start, "", undefined, "yaml-value");
    const resolved = this.resolve(node);
    switch (resolved.tag) {
      case NULL_TAG:
        throw new YamlError(
          "a null key (empty, ~ or null) cannot be a JSON field name; kubectl rejects it (quote it if it is a name)",
          node.start,
          "",
          undefined,
          "yaml-value",
        );
      case BOOL_TAG:
        return resolved.value ? "true" : "false";
      case INT_TAG:
        if ((resolved as { unsigned: boolean }).unsigned)
          throw new YamlError(
            `key ${node.value} is too large an integer for a JSON field name; kubectl rejects it (quote it)`,
            node.start,
            "",
            undefined,
            "yaml-value",
          );
        return String(resolved.value);
      case FLOAT_TAG:
        return formatFloatKey(resolved.value as number);
      default:
        return resolved.value as string;
    }
  }

  private resolve(node: ScalarNode): Resolved {
    if (node.tag === "" && !node.implicit) return { tag: "", value: node.value };
    const resolved = resolveScalar(node.tag, node.value);
    if ("error" in resolved) throw new YamlError(resolved.error, node.start, "", undefined, "yaml-value");
    if (resolved.tag === BINARY_TAG) {
      const base64 = resolved.value.replace(/[\r\n]/g, "");
      if (!strictBase64.test(base64))
        throw new YamlError("!!binary value contains invalid base64 data", node.start, "", undefined, "yaml-value");
      return { tag: BINARY_TAG, value: Buffer.from(base64, "base64").toString("utf8") };
    }
    if (resolved.tag === TIMESTAMP_TAG) return { tag: TIMESTAMP_TAG, value: node.value };
    return resolved;
  }

  private scalarValue(node: ScalarNode): unknown {
    const resolved = this.resolve(node);
    switch (resolved.tag) {
      case INT_TAG: {
        const value = resolved.value as bigint;
        if (value > MAX_EXACT_INTEGER || value < -MAX_EXACT_INTEGER)
          throw new YamlError(
            `integer ${node.value} is beyond ±2^53 and cannot be checked exactly; quote it if it is a string`,
            node.start,
            "",
            undefined,
            "yaml-value",
          );
        return Number(value);
      }
      case FLOAT_TAG: {
        const value = resolved.value as number;
        if (!Number.isFinite(value))
          throw new YamlError(
            `${node.value} (${Number.isNaN(value) ? "NaN" : "infinity"}) cannot be represented in JSON; kubectl rejects the document (quote it if it is a string)`,
            node.start,
            "",
            undefined,
            "yaml-value",
          );
        return value;
      }
      default:
        return resolved.value;
    }
  }
}

function isMergeKey(node: YamlNode): boolean {
  return node.kind === "scalar" && node.value === "<<" && (node.implicit || node.tag === MERGE_TAG);
}

/** The JSON value of a composed document, as kubectl computes it; YamlError when kubectl would reject it. */
export function documentToJson(root: YamlNode, limits: ToJsonLimits): unknown {
  return new Converter(limits).value(root, 0);
}

/** The JSON field name a key node becomes, or undefined when it cannot be one (used to find positions). */
export function jsonKeyOf(node: YamlNode): string | undefined {
  if (isMergeKey(node)) return undefined;
  try {
    return new Converter({ maxAliasCount: 100, maxDepth: 200 }).key(node, 0);
  } catch {
    return undefined;
  }
}
