/**
 * kubectl reads a stream whose first non-blank character is `{` as a sequence of JSON values, not as YAML
 * (apimachinery's YAMLOrJSONDecoder). This cuts such a stream into its top-level values; each is then parsed
 * with JSON's rules, where YAML's would differ (`"\/"` is a JSON escape go-yaml refuses, for one).
 */

// Go's unicode.IsSpace, which kubectl skips before looking for `{`.
const leadingSpace = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;

export function isJsonStream(text: string): boolean {
  return text[leadingSpace.exec(text)![0].length] === "{";
}

export interface JsonValueText {
  /** UTF-16 offset and 0-based line of the value's first character. */
  offset: number;
  line: number;
  text: string;
}

export interface JsonStreamProblem {
  offset: number;
  line: number;
  message: string;
}

/**
 * The top-level values of a JSON stream, found by matching brackets outside strings. What is neither
 * whitespace nor an object or array where a value should start ends the stream with a problem, as
 * json.Decoder stops there.
 */
export function splitJsonStream(text: string): { values: JsonValueText[]; problem?: JsonStreamProblem } {
  const values: JsonValueText[] = [];
  let offset = 0;
  let line = 0;
  const skipSpace = () => {
    while (offset < text.length && " \t\r\n".includes(text[offset]!)) {
      if (text[offset] === "\n") line++;
      offset++;
    }
  };
  for (;;) {
    skipSpace();
    if (offset >= text.length) return { values };
    const start = offset;
    const startLine = line;
    const first = text[offset];
    if (first !== "{" && first !== "[") {
      return {
        values,
        problem: {
          offset,
          line,
          message: `invalid character ${JSON.stringify(first)} between JSON values (kubectl reads this stream as JSON because it starts with "{")`,
        },
      };
    }
    let depth = 0;
    let inString = false;
    for (; offset < text.length; offset++) {
      const c = text[offset]!;
      if (c === "\n") line++;
      if (inString) {
        if (c === "\\") offset++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) {
          offset++;
          break;
        }
      }
    }
    values.push({ offset: start, line: startLine, text: text.slice(start, offset) });
    if (depth !== 0) return { values };
  }
}
