/** A position in the text as go-yaml counts it. */
export interface Mark {
  /** UTF-16 offset into the text. */
  offset: number;
  /** Characters (code points) read so far: go-yaml's mark index, used by the 1,024-character key rule. */
  index: number;
  /** 0-based. */
  line: number;
  /** 0-based, in characters. */
  column: number;
}

/** What went wrong, and where: the problem's position (go-yaml's problem mark) or the node the problem is about. */
export class YamlError extends Error {
  constructor(
    readonly problem: string,
    readonly mark: Mark,
    readonly context = "",
    readonly contextMark?: Mark,
    /** Finding code: a syntax error, a limit, or a value kubectl cannot turn into JSON. */
    readonly code: "yaml-syntax" | "yaml-value" | "duplicate-key" | "depth-limit" | "alias-limit" = "yaml-syntax",
  ) {
    super(context ? `${context}: ${problem}` : problem);
  }
}
