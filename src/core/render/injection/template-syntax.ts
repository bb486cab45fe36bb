// A static check of Go text/template source against what istiod's parser accepts: balanced actions and
// blocks, functions from istiod's set, variables declared in scope. istiod parses every entry of the
// injector ConfigMap at start-up and refuses to start on the first error (docs/design/injection.md §1.1), so mesh
// checks its own templates, and any a user adds, before they reach a cluster. It is a checker, not an
// executor: it does not evaluate pipelines.
import { helmOnlyFunctions, injectionTemplateFunctions } from "./template-functions.js";

export interface TemplateProblem {
  line: number;
  message: string;
}

export interface TemplateScan {
  /** Number of actions (`{{ … }}`), comments included. */
  actionCount: number;
  /** Every function name called. */
  functions: Set<string>;
  /** String literals passed in actions, e.g. annotation keys. */
  strings: Set<string>;
  problems: TemplateProblem[];
}

type Token = { kind: "ident" | "field" | "var" | "string" | "number" | "punct"; text: string };

const blockKeywords = new Set(["if", "range", "with", "define", "block"]);
const keywords = new Set(["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"]);
const constants = new Set(["true", "false", "nil"]);

export function scanInjectionTemplate(source: string): TemplateScan {
  const scan: TemplateScan = { actionCount: 0, functions: new Set(), strings: new Set(), problems: [] };
  const blocks: { keyword: string; line: number }[] = [];
  const scopes: Set<string>[] = [new Set(["$"])];
  let offset = 0;
  const lineAt = (at: number) => source.slice(0, at).split("\n").length;

  for (;;) {
    const open = source.indexOf("{{", offset);
    if (open < 0) break;
    scan.actionCount++;
    const line = lineAt(open);
    const problem = (message: string) => scan.problems.push({ line, message });
    let at = open + 2;
    if (source[at] === "-" && /\s/.test(source[at + 1] ?? "")) at += 2;
    while (/\s/.test(source[at] ?? "") && !source.startsWith("/*", at)) at++;
    if (source.startsWith("/*", at)) {
      const end = source.indexOf("*/", at + 2);
      const close = end < 0 ? -1 : closingAfterComment(source, end + 2);
      if (close < 0) {
        problem("unclosed comment: a comment must end with */ directly before }}");
        break;
      }
      offset = close;
      continue;
    }
    const lexed = lexAction(source, at);
    if ("error" in lexed) {
      problem(lexed.error);
      break;
    }
    offset = lexed.end;
    checkAction(lexed.tokens, { blocks, scopes, scan, line, problem });
  }
  for (const open of blocks) scan.problems.push({ line: open.line, message: `{{${open.keyword}}} is never closed by {{end}}` });
  return scan;
}

/** Index just past `}}` when only `-}}` / ` -}}` / `}}` follows the comment, else -1. */
function closingAfterComment(source: string, at: number): number {
  const match = /^(\s+-)?}}/.exec(source.slice(at, at + 8));
  return match ? at + match[0].length : -1;
}

function lexAction(source: string, start: number): { tokens: Token[]; end: number } | { error: string } {
  const tokens: Token[] = [];
  let at = start;
  let depth = 0;
  while (at < source.length) {
    const ch = source[at]!;
    if (source.startsWith("}}", at)) {
      if (depth !== 0) return { error: "unbalanced parentheses in action" };
      return { tokens, end: at + 2 };
    }
    if (ch === "-" && source.startsWith("}}", at + 1) && /\s/.test(source[at - 1] ?? "")) {
      at++;
      continue;
    }
    if (/\s/.test(ch)) {
      at++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let end = at + 1;
      while (end < source.length && source[end] !== ch) {
        if (source[end] === "\n") return { error: "newline in quoted string" };
        end += source[end] === "\\" ? 2 : 1;
      }
      if (end >= source.length) return { error: "unterminated quoted string" };
      tokens.push({ kind: "string", text: unquote(source.slice(at + 1, end)) });
      at = end + 1;
      continue;
    }
    if (ch === "`") {
      const end = source.indexOf("`", at + 1);
      if (end < 0) return { error: "unterminated raw string" };
      tokens.push({ kind: "string", text: source.slice(at + 1, end) });
      at = end + 1;
      continue;
    }
    const word = /^(\$[A-Za-z0-9_]*|\.[A-Za-z0-9_.]*|[A-Za-z_][A-Za-z0-9_]*|[-+]?[0-9][0-9a-fA-FxX._]*|:=|[|(),=])/.exec(
      source.slice(at, at + 256),
    );
    if (!word) return { error: `unexpected character ${JSON.stringify(ch)} in action` };
    const text = word[0];
    if (text === "(") depth++;
    if (text === ")") depth--;
    if (depth < 0) return { error: "unexpected ) in action" };
    const kind: Token["kind"] = text.startsWith("$")
      ? "var"
      : text.startsWith(".")
        ? "field"
        : /^[-+0-9]/.test(text)
          ? "number"
          : /^[A-Za-z_]/.test(text)
            ? "ident"
            : "punct";
    tokens.push({ kind, text });
    at += text.length;
  }
  return { error: "unclosed action: missing }}" };
}

function unquote(body: string): string {
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t", '"': '"', "\\": "\\" })[c] ?? c);
}

interface ActionContext {
  blocks: { keyword: string; line: number }[];
  scopes: Set<string>[];
  scan: TemplateScan;
  line: number;
  problem: (message: string) => void;
}

function checkAction(tokens: Token[], context: ActionContext): void {
  const { blocks, scopes, scan, line, problem } = context;
  if (tokens.length === 0) {
    problem("empty action");
    return;
  }
  const first = tokens[0]!;
  let rest = tokens;
  if (first.kind === "ident" && keywords.has(first.text)) {
    rest = tokens.slice(1);
    if (first.text === "end") {
      if (blocks.pop() === undefined) problem("{{end}} without an open block");
      else scopes.pop();
      if (rest.length) problem("{{end}} takes no arguments");
      return;
    }
    if (first.text === "else") {
      const top = blocks[blocks.length - 1];
      if (!top || !["if", "range", "with"].includes(top.keyword)) problem("{{else}} outside if/range/with");
      scopes[scopes.length - 1] = new Set();
      if (rest[0]?.kind === "ident" && (rest[0].text === "if" || rest[0].text === "with")) rest = rest.slice(1);
    } else if (first.text === "define" || first.text === "template" || first.text === "block") {
      if (rest[0]?.kind !== "string") problem(`{{${first.text}}} needs a quoted template name`);
      rest = rest.slice(1);
      if (first.text === "define") {
        blocks.push({ keyword: "define", line });
        scopes.push(new Set(["$"]));
        if (rest.length) problem("{{define}} takes only a name");
        return;
      }
    } else if ((first.text === "break" || first.text === "continue") && !blocks.some((b) => b.keyword === "range")) {
      problem(`{{${first.text}}} outside {{range}}`);
    }
    if (blockKeywords.has(first.text)) {
      blocks.push({ keyword: first.text, line });
      scopes.push(new Set());
    }
  }
  declareVariables(rest, scopes, problem);
  for (const token of rest) {
    if (token.kind === "string") scan.strings.add(token.text);
    if (token.kind === "var") {
      const name = token.text.split(".")[0]!;
      if (!scopes.some((s) => s.has(name))) problem(`undefined variable ${name}`);
    }
    if (token.kind === "ident" && !constants.has(token.text)) {
      if (keywords.has(token.text)) problem(`unexpected keyword ${token.text}`);
      else {
        scan.functions.add(token.text);
        if (!injectionTemplateFunctions.has(token.text)) {
          const hint = helmOnlyFunctions.includes(token.text) ? " (a Helm helper; istiod does not provide it)" : "";
          problem(`function "${token.text}" not defined${hint}`);
        }
      }
    }
  }
}

/** Handles `$x := …`, `$k, $v := …` (declarations) and `$x = …` (assignment to a declared variable). */
function declareVariables(tokens: Token[], scopes: Set<string>[], problem: (m: string) => void): void {
  const assignAt = tokens.findIndex((t) => t.text === ":=" || t.text === "=");
  if (assignAt < 0) return;
  const targets = tokens.slice(0, assignAt).filter((t) => t.text !== ",");
  if (targets.length === 0 || targets.some((t) => t.kind !== "var")) return;
  const operator = tokens[assignAt]!.text;
  for (const target of targets) {
    if (operator === ":=") scopes[scopes.length - 1]!.add(target.text);
    else if (!scopes.some((s) => s.has(target.text))) problem(`assignment to undefined variable ${target.text}`);
  }
  tokens.splice(0, assignAt + 1);
}
