import type { SourceDocument } from "../documents/index.js";
import { formatFieldPath, type FieldPath, type Finding, type ResourceIdentity, type Severity, type SourcePosition } from "../findings.js";

/**
 * Conversion findings, collected as data while converting and handed to the printer at the end
 * (ingress2gateway's notifications, plus a stable code, the field path and the source position).
 */
export class Notes {
  readonly findings: Finding[] = [];
  private readonly onceKeys = new Set<string>();

  add(severity: Severity, code: string, message: string, source?: SourceDocument, path: FieldPath = []): void {
    this.findings.push(source ? new NoteFinding(severity, code, message, source, path) : { severity, code, message, origin: "convert" });
  }

  error(code: string, message: string, source?: SourceDocument, path?: FieldPath): void {
    this.add("error", code, message, source, path);
  }

  warning(code: string, message: string, source?: SourceDocument, path?: FieldPath): void {
    this.add("warning", code, message, source, path);
  }

  info(code: string, message: string, source?: SourceDocument, path?: FieldPath): void {
    this.add("info", code, message, source, path);
  }

  /** Adds the finding only the first time `key` is seen (e.g. once per Gateway). */
  once(key: string, add: () => void): void {
    if (this.onceKeys.has(key)) return;
    this.onceKeys.add(key);
    add();
  }
}

/**
 * A note about a place in the input. Most notes are only counted (infos without -v), so where it is (which
 * re-reads its document) and its field path's text are found on first read. Prototype getters keep building a
 * note cheap (an object literal with getters costs several times as much, and ~6,000 notes are built for 1,000
 * Gateways); `toJSON` gives `-o json` the fields, in the order, of a plain finding.
 */
class NoteFinding implements Finding {
  readonly origin = "convert" as const;
  readonly resource: ResourceIdentity;
  readonly #source: SourceDocument;
  readonly #path: FieldPath;
  #position: SourcePosition | undefined;

  constructor(
    readonly severity: Severity,
    readonly code: string,
    readonly message: string,
    source: SourceDocument,
    path: FieldPath,
  ) {
    this.resource = source.identity;
    this.#source = source;
    this.#path = path;
  }

  get file(): string | undefined {
    return this.#at().file;
  }

  get line(): number | undefined {
    return this.#at().line;
  }

  get column(): number | undefined {
    return this.#at().column;
  }

  get path(): string | undefined {
    return this.#path.length > 0 ? formatFieldPath(this.#path) : undefined;
  }

  #at(): SourcePosition {
    return (this.#position ??= this.#source.locate(this.#path));
  }

  toJSON(): Finding {
    const { file, line, column, path } = this;
    return {
      severity: this.severity,
      code: this.code,
      message: this.message,
      origin: this.origin,
      file,
      line,
      column,
      resource: this.resource,
      path,
    };
  }
}
