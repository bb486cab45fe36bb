import type { SourceDocument } from "../documents/index.js";
import { formatFieldPath, type FieldPath, type Finding, type Severity, type SourcePosition } from "../findings.js";

/**
 * Conversion findings, collected as data while converting and handed to the printer at the end
 * (ingress2gateway's notifications, plus a stable code, the field path and the source position).
 */
export class Notes {
  readonly findings: Finding[] = [];
  private readonly onceKeys = new Set<string>();

  add(severity: Severity, code: string, message: string, source?: SourceDocument, path: FieldPath = []): void {
    if (!source) {
      this.findings.push({ severity, code, message, origin: "convert" });
      return;
    }
    // Locating a field re-reads its document; most notes are never printed, so positions are found on first read.
    // Getters in the literal make each note a dictionary-mode object (~1.3 kB); shared getters kept notes in fast mode
    // (~1 kB) but saved under 1 % of a 1,000-Gateway conversion, so the simpler literal stays.
    let position: SourcePosition | undefined;
    const at = () => (position ??= source.locate(path));
    const finding: Finding = {
      severity,
      code,
      message,
      origin: "convert",
      get file() {
        return at().file;
      },
      get line() {
        return at().line;
      },
      get column() {
        return at().column;
      },
    };
    finding.resource = source.identity;
    if (path.length > 0) finding.path = formatFieldPath(path);
    this.findings.push(finding);
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
