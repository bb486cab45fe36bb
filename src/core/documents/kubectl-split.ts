/**
 * How kubectl cuts a manifest stream into documents (apimachinery's YAMLReader) before reading each one:
 * every line that begins with `---` ends a document, whatever YAML would make of it, and only blanks or a
 * comment may follow the marker on that line. A stretch of lines between markers is one document even if
 * it holds nothing but comments; consecutive markers make no empty documents.
 */

export interface ManifestChunk {
  /** 0-based position among the file's documents, as kubectl counts them. */
  index: number;
  /** UTF-16 offset and 0-based line where the document's text starts. */
  offset: number;
  line: number;
  text: string;
}

export interface SeparatorProblem {
  /** 0-based line and column of what follows the marker. */
  line: number;
  column: number;
  message: string;
}

export interface SplitManifest {
  chunks: ManifestChunk[];
  problems: SeparatorProblem[];
}

// Go's unicode.IsSpace, which kubectl trims the rest of a marker line with.
const goSpace = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;
const goSpaceEnd = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

export function splitManifest(text: string): SplitManifest {
  const chunks: ManifestChunk[] = [];
  const problems: SeparatorProblem[] = [];
  let chunkStart = 0;
  let chunkLine = 0;
  let line = 0;
  let offset = 0;
  const flush = (end: number) => {
    if (end > chunkStart) chunks.push({ index: chunks.length, offset: chunkStart, line: chunkLine, text: text.slice(chunkStart, end) });
  };
  while (offset < text.length) {
    const newline = text.indexOf("\n", offset);
    const lineEnd = newline === -1 ? text.length : newline;
    const next = newline === -1 ? text.length : newline + 1;
    if (text.startsWith("---", offset)) {
      const rest = text.slice(offset + 3, lineEnd);
      const leading = goSpace.exec(rest)![0].length;
      const trimmed = rest.slice(leading).replace(goSpaceEnd, "");
      if (trimmed !== "" && !trimmed.startsWith("#"))
        problems.push({
          line,
          column: 3 + leading,
          message: `invalid YAML document separator: "${trimmed}" follows "---" on its line; kubectl allows only a comment there (put the content on the next line)`,
        });
      flush(offset);
      chunkStart = next;
      chunkLine = line + 1;
    }
    offset = next;
    line++;
  }
  flush(text.length);
  return { chunks, problems };
}
