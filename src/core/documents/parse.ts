import type { Document, Node } from "yaml";
import type { FieldPath, Finding, ResourceIdentity, SourcePosition } from "../findings.js";
import { defaultReadLimits, type ReadLimits } from "./limits.js";
import { kubectlYamlOptions, toJsOptions } from "./yaml-dialect.js";
import { fastLocator, parseFast, type FastDocument } from "./fast-parse.js";
import { yamlModule } from "./yaml-module.js";
import { applyGoYamlFlowScalars } from "./go-yaml-flow.js";

/** One manifest read from a file: its plain value plus the means to find any field's position. */
export interface SourceDocument {
  file: string;
  /** 0-based index of the YAML document in its file. */
  index: number;
  /** Where the document (or List item) starts. */
  line: number;
  column: number;
  /** The document as JSON-like data (objects, arrays, strings, numbers, booleans, null). */
  object: unknown;
  identity: ResourceIdentity;
  /** For items flattened out of a `kind: List`: the path of the item inside the file's document. */
  basePath: FieldPath;
  /**
   * Position of the field at `path` (relative to `object`). Map fields resolve to their key, list items
   * to the item; a path that does not exist resolves to its closest existing ancestor.
   */
  locate(path: FieldPath): SourcePosition;
}

export interface ParsedFile {
  documents: SourceDocument[];
  findings: Finding[];
}

/** Splits a file into documents (empty ones skipped, `kind: List` flattened); syntax problems are findings. */
export function parseManifestText(text: string, file: string, limits: ReadLimits = defaultReadLimits): ParsedFile {
  const fast = parseFast(text, limits.maxDepth);
  if (fast) return { documents: fast.flatMap((document) => fastSourceDocuments(document, file)), findings: [] };
  return parseWithYaml(text, file, limits);
}

/**
 * Documents read by the fast path carry no node positions; the first `locate` call re-reads that one
 * document, with the fast reader recording positions or else with the `yaml` package. Only documents
 * with findings pay for it.
 */
function fastSourceDocuments(document: FastDocument, file: string): SourceDocument[] {
  let root: unknown;
  let position: ((offset: number) => SourcePosition) | undefined;
  let fast: ReturnType<typeof fastLocator> | null = null;
  const locateIn = (basePath: FieldPath) => (path: FieldPath) => {
    if (fast === null) fast = fastLocator(document);
    if (fast) return { file, ...fast([...basePath, ...path]) };
    if (!position) {
      const lineCounter = new (yamlModule().LineCounter)();
      root = yamlModule()
        .parseAllDocuments(document.text, { ...kubectlYamlOptions, lineCounter })
        .find((candidate) => candidate.contents !== null)?.contents;
      position = (offset: number) => {
        const { line, col } = lineCounter.linePos(offset);
        return { file, line: line + document.firstLine, column: col };
      };
    }
    return locateNode(root, [...basePath, ...path], position);
  };
  const value = document.value;
  if (isListKind(value)) {
    return value.items.map((item, itemIndex) => {
      const basePath = ["items", itemIndex];
      const locate = locateIn(basePath);
      const at = locate([]);
      return { file, index: document.index, line: at.line, column: at.column, object: item, identity: identityOf(item), basePath, locate };
    });
  }
  return [
    {
      file,
      index: document.index,
      line: document.line,
      column: document.column,
      object: value,
      identity: identityOf(value),
      basePath: [],
      locate: locateIn([]),
    },
  ];
}

/** The full `yaml` parser path (also the reference the fast path is tested against). */
export function parseWithYaml(text: string, file: string, limits: ReadLimits): ParsedFile {
  const lineCounter = new (yamlModule().LineCounter)();
  const findings: Finding[] = [];
  const documents: SourceDocument[] = [];
  let yamlDocuments: Document.Parsed[];
  try {
    yamlDocuments = yamlModule().parseAllDocuments(text, { ...kubectlYamlOptions, lineCounter }) as Document.Parsed[];
  } catch (error) {
    findings.push(parserCrash(error, file));
    return { documents, findings };
  }
  if (!Array.isArray(yamlDocuments)) yamlDocuments = [];
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };

  yamlDocuments.forEach((yamlDocument, index) => {
    const problems = [...yamlDocument.errors];
    if (problems.length > 0) {
      const overflow = problems.find((problem) => /call stack/i.test(problem.message));
      if (overflow) {
        const at = position(overflow.pos[0]);
        findings.push({
          severity: "error",
          code: "depth-limit",
          origin: "yaml",
          message: "document nests too deeply to parse; refusing to read it",
          file,
          line: at.line,
          column: at.column,
        });
        return;
      }
      for (const problem of problems) {
        const at = position(problem.pos[0]);
        findings.push({
          severity: "error",
          code: problem.code === "DUPLICATE_KEY" ? "duplicate-key" : "yaml-syntax",
          origin: "yaml",
          message: problem.code === "DUPLICATE_KEY" ? duplicateKeyMessage(text, problem.pos[0]) : yamlMessage(problem.message),
          file,
          line: at.line,
          column: at.column,
        });
      }
      return;
    }
    const root = yamlDocument.contents;
    if (root === null || (yamlModule().isScalar(root) && (root.value === null || root.value === undefined))) return;

    const depth = nestingDepth(root, limits.maxDepth);
    if (depth > limits.maxDepth) {
      const at = position(root.range?.[0] ?? 0);
      findings.push({
        severity: "error",
        code: "depth-limit",
        origin: "yaml",
        message: `document nests deeper than ${limits.maxDepth} levels; refusing to read it`,
        file,
        line: at.line,
        column: at.column,
      });
      return;
    }

    let value: unknown;
    try {
      applyGoYamlFlowScalars(yamlDocument, text);
      value = yamlDocument.toJS(toJsOptions(limits.maxAliasCount));
    } catch (error) {
      const at = position(root.range?.[0] ?? 0);
      const aliasBomb = error instanceof ReferenceError && /alias/i.test(error.message);
      findings.push({
        severity: "error",
        code: aliasBomb ? "alias-limit" : "yaml-syntax",
        origin: "yaml",
        message: aliasBomb
          ? `document expands YAML aliases more than ${limits.maxAliasCount} times (possible "billion laughs" input); refusing to read it`
          : yamlMessage(error instanceof Error ? error.message : String(error)),
        file,
        line: at.line,
        column: at.column,
      });
      return;
    }

    const locateIn = (basePath: FieldPath) => (path: FieldPath) => locateNode(root, [...basePath, ...path], position);
    const start = position(root.range?.[0] ?? 0);

    if (isListKind(value)) {
      value.items.forEach((item, itemIndex) => {
        const basePath = ["items", itemIndex];
        const at = locateNode(root, basePath, position);
        documents.push({
          file,
          index,
          line: at.line,
          column: at.column,
          object: item,
          identity: identityOf(item),
          basePath,
          locate: locateIn(basePath),
        });
      });
      return;
    }
    documents.push({
      file,
      index,
      line: start.line,
      column: start.column,
      object: value,
      identity: identityOf(value),
      basePath: [],
      locate: locateIn([]),
    });
  });
  return { documents, findings };
}

function isListKind(value: unknown): value is { items: unknown[] } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate.apiVersion === "v1" && typeof candidate.kind === "string" && candidate.kind.endsWith("List") && Array.isArray(candidate.items)
  );
}

export function identityOf(value: unknown): ResourceIdentity {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const object = value as Record<string, unknown>;
  const metadata = (typeof object.metadata === "object" && object.metadata !== null ? object.metadata : {}) as Record<string, unknown>;
  const identity: ResourceIdentity = {};
  if (typeof object.apiVersion === "string") identity.apiVersion = object.apiVersion;
  if (typeof object.kind === "string") identity.kind = object.kind;
  if (typeof metadata.namespace === "string") identity.namespace = metadata.namespace;
  if (typeof metadata.name === "string") identity.name = metadata.name;
  return identity;
}

function locateNode(root: unknown, path: FieldPath, position: (offset: number) => SourcePosition): SourcePosition {
  let node = root as Node | null;
  let best = node?.range?.[0] ?? 0;
  for (const segment of path) {
    if (yamlModule().isMap(node)) {
      const pair = node.items.find((item) => yamlModule().isPair(item) && keyText(item.key) === String(segment));
      if (!pair) break;
      const key = pair.key as Node | null;
      best = key?.range?.[0] ?? best;
      node = pair.value as Node | null;
    } else if (yamlModule().isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      best = item.range?.[0] ?? best;
      node = item;
    } else {
      break;
    }
  }
  return position(best);
}

function keyText(key: unknown): string | undefined {
  if (yamlModule().isScalar(key)) return String(key.value);
  return undefined;
}

/** Depth of nested collections, stopping early once the limit is passed. */
function nestingDepth(root: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (yamlModule().isMap(node) || yamlModule().isSeq(node)) {
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
      for (const item of node.items) {
        if (yamlModule().isPair(item)) {
          stack.push([item.value, depth + 1]);
          if (yamlModule().isMap(item.key) || yamlModule().isSeq(item.key)) stack.push([item.key, depth + 1]);
        } else {
          stack.push([item, depth + 1]);
        }
      }
    }
  }
  return deepest;
}

function yamlMessage(message: string): string {
  // The yaml package appends "at line L, column C" and a code excerpt; findings carry the position already.
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, "").trim();
}

function parserCrash(error: unknown, file: string): Finding {
  const overflow = error instanceof RangeError;
  return {
    severity: "error",
    code: overflow ? "depth-limit" : "yaml-syntax",
    origin: "yaml",
    message: overflow
      ? "document nests too deeply to parse; refusing to read it"
      : yamlMessage(error instanceof Error ? error.message : String(error)),
    file,
    line: 1,
    column: 1,
  };
}

/** Names the key, as kubectl does ("key \"a\" already set in map"), read from the source where the key starts. */
function duplicateKeyMessage(text: string, offset: number): string {
  const rest = text.slice(offset, text.indexOf("\n", offset) === -1 ? undefined : text.indexOf("\n", offset));
  const quoted = /^(["'])(.*?)\1\s*:/.exec(rest);
  const plain = /^(.*?):(\s|$)/.exec(rest);
  const key = quoted ? quoted[2] : plain?.[1]?.trim();
  return key ? `duplicate key "${key}": map keys must be unique` : "map keys must be unique";
}
