/**
 * Compiles a CEL expression (as parsed by @bufbuild/cel, macros already expanded into comprehensions)
 * into the body of a JavaScript function `(rt, self) => value` over plain JSON data, with CEL's error
 * semantics provided by cel/runtime.ts. Returns undefined for any construct it does not cover; such
 * rules run on the interpreter. The build step compiles every built-in rule ahead of time.
 *
 * The body is straight-line statements: `&&`, `||`, `?:` and macros become blocks with try/catch where CEL
 * absorbs errors, so an evaluation allocates no closures. Operands run strictly left to right, as the
 * runtime's calls did when the code was one nested expression: the cost spent and the first error are the same.
 */
import type { CelCall, CelComprehension, CelConstant, CelNode } from "./ast.js";
import { unescapeFieldName } from "./property-names.js";
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument --
   The node shapes come from @bufbuild/cel's generated protobuf union; typed in ast.ts. */
class Unsupported extends Error {}

const binary: Record<string, string> = {
  "_==_": "eq",
  "_!=_": "ne",
  "_<_": "lt",
  "_<=_": "le",
  "_>_": "gt",
  "_>=_": "ge",
  "_+_": "add",
  "_-_": "sub",
  "_*_": "mul",
  "_[_]": "index",
  "@in": "in",
};
const stringMethods: Record<string, number[]> = {
  contains: [1],
  startsWith: [1],
  endsWith: [1],
  matches: [1],
  split: [1],
  substring: [1, 2],
  lowerAscii: [0],
  upperAscii: [0],
  trim: [0],
};
const urlMethods: Record<string, string> = {
  getScheme: "scheme",
  getHost: "host",
  getHostname: "hostname",
  getPort: "port",
  getEscapedPath: "path",
};
const functions: Record<string, number> = { duration: 1, int: 1, string: 1, isIP: 1, isCIDR: 1, isURL: 1, url: 1 };
/**
 * The body of a function `(rt, self)` (statements ending in a return) evaluating the expression. `fused: false` leaves
 * out the fused runtime calls (a variable read with the operation on it), for tests that compare both forms.
 */
export function compileCelToFunctionBody(expression: CelNode, { fused = true } = {}): string | undefined {
  try {
    return new Generator(fused).functionBody(expression);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** The same code as one JavaScript expression over `rt` and `self`. */
export function compileCelToJs(expression: CelNode): string | undefined {
  const body = compileCelToFunctionBody(expression);
  return body === undefined ? undefined : `(() => { ${body} })()`;
}

/** Code that yields a value: statements that must run first, then an expression read after them. */
interface Piece {
  statements: string;
  value: string;
}

const LITERAL = /^(?:"(?:[^"\\]|\\.)*"|-?[0-9.e+]+|true|false|null)$/;
/** A variable read and nothing else: `rt.id(name)`. */
const VARIABLE_READ = /^rt\.id\((self|v_[A-Za-z0-9_$]+)\)$/;
/** `has(variable.field)`, fused: the variable and the field's JSON string. */
const PRESENCE_TEST = /^rt\.hasOf\((self|v_[A-Za-z0-9_$]+), ("(?:[^"\\]|\\.)*")\)$/;
/** A temporary read with rt.ck (raising the error it may hold). */
const CHECKED_TEMPORARY = /^rt\.ck\((t[0-9]+)\)$/;
/** Runtime calls that return a bool or throw (never a held error): their value needs no rt.bool check. */
const BOOL_CALLS = new Set(["has", "hasOf", "lacksOf", "not", "eq", "ne", "lt", "le", "gt", "ge", "in", "notFalseOf"]);

/** Whether `code` is one call `rt.name(...)` of a function in BOOL_CALLS (not such a call inside a larger expression). */
function isBoolCall(code: string): boolean {
  const call = /^rt\.([A-Za-z]+)\(/.exec(code);
  if (!call || !BOOL_CALLS.has(call[1]!) || !code.endsWith(")")) return false;
  // The call's own closing parenthesis must be the last character: skip string literals while counting.
  let depth = 0;
  for (let index = call[0].length - 1; index < code.length; index++) {
    const char = code[index]!;
    if (char === '"') {
      for (index++; code[index] !== '"'; index++) if (code[index] === "\\") index++;
    } else if (char === "(") depth++;
    else if (char === ")" && --depth === 0) return index === code.length - 1;
  }
  return false;
}

class Generator {
  constructor(private readonly fused: boolean) {}

  private counter = 0;
  /** Temporaries holding a `&&`/`||` result: a bool or a held error. */
  private readonly boolOrError = new Set<string>();
  private temporaries = 0;
  private statements: string[] = [];

  functionBody(node: CelNode): string {
    const value = this.expression(node, new Set(), false);
    const names = Array.from({ length: this.temporaries }, (_, index) => `t${index}`);
    return `${names.length ? `let ${names.join(", ")}; ` : ""}${this.statements.join(" ")}\nreturn ${value};`;
  }

  private temporary(): string {
    return `t${this.temporaries++}`;
  }

  private emit(statement: string): void {
    this.statements.push(statement);
  }

  /** Generates into a fresh statement list, for code that runs only on some paths (a branch, a loop, a try). */
  private capture(generate: () => string): Piece {
    const outer = this.statements;
    this.statements = [];
    try {
      const value = generate();
      return { statements: this.statements.join(" "), value };
    } finally {
      this.statements = outer;
    }
  }

  /**
   * Operands evaluated in order: when a later operand needs statements, the earlier ones are read into
   * temporaries first, so nothing runs out of order.
   */
  private operands(generators: (() => string)[]): string[] {
    const values: string[] = [];
    for (const generate of generators) {
      const piece = this.capture(generate);
      if (piece.statements) {
        for (let index = 0; index < values.length; index++) {
          if (LITERAL.test(values[index]!)) continue;
          const temporary = this.temporary();
          this.emit(`${temporary} = ${values[index]};`);
          values[index] = temporary;
        }
        this.emit(piece.statements);
      }
      values.push(piece.value);
    }
    return values;
  }

  /** `target = value`, with CEL errors raised inside held as values (what `&&`, `||` and macros absorb). */
  private attempt(target: string, piece: Piece): string {
    // A constant or a variable read raises no CEL error (only the per-call limit, which nothing absorbs).
    if (this.fused && !piece.statements && (LITERAL.test(piece.value) || VARIABLE_READ.test(piece.value)))
      return `${target} = ${piece.value};`;
    return `try { ${piece.statements} ${target} = ${piece.value}; } catch (e) { ${target} = rt.caught(e); }`;
  }

  expression(node: CelNode, accumulators: Set<string>, raw: boolean): string {
    const { case: kind, value } = node.exprKind;
    const plain = (child: CelNode) => () => this.expression(child, accumulators, false);
    switch (kind) {
      case "constExpr":
        return this.constant(value);
      case "identExpr":
        return this.identifier(value.name as string, accumulators, raw);
      case "selectExpr": {
        const operand = this.expression(value.operand, accumulators, false);
        const field = JSON.stringify(unescapeFieldName(value.field as string));
        // `name.field` and `has(name.field)` on a variable: one runtime call that also charges the read.
        const variable = this.fused ? VARIABLE_READ.exec(operand)?.[1] : undefined;
        if (variable) return value.testOnly ? `rt.hasOf(${variable}, ${field})` : `rt.getOf(${variable}, ${field})`;
        return value.testOnly ? `rt.has(${operand}, ${field})` : `rt.get(${operand}, ${field})`;
      }
      case "listExpr":
        if ((value.optionalIndices as number[] | undefined)?.length) throw new Unsupported();
        return `rt.list([${this.operands((value.elements as CelNode[]).map(plain)).join(", ")}])`;
      case "structExpr": {
        if (value.messageName) throw new Unsupported();
        const entries = value.entries as { keyKind: { case: string; value: CelNode }; value: CelNode; optionalEntry?: boolean }[];
        const parts = this.operands(
          entries.flatMap((entry) => {
            if (entry.keyKind.case !== "mapKey" || entry.optionalEntry) throw new Unsupported();
            return [plain(entry.keyKind.value), plain(entry.value)];
          }),
        );
        const pairs = entries.map((_, index) => `[${parts[2 * index]}, ${parts[2 * index + 1]}]`);
        return `rt.map([${pairs.join(", ")}])`;
      }
      case "callExpr":
        return this.call(value, accumulators, raw);
      case "comprehensionExpr":
        return this.comprehension(value, accumulators);
      default:
        throw new Unsupported();
    }
  }
  private constant(value: CelConstant): string {
    const { case: kind, value: constant } = value.constantKind;
    switch (kind) {
      case "boolValue":
      case "stringValue":
        return JSON.stringify(constant);
      case "int64Value":
      case "uint64Value": {
        const number = Number(constant);
        if (!Number.isSafeInteger(number)) throw new Unsupported();
        return String(number);
      }
      case "doubleValue":
        if (Number.isInteger(constant)) throw new Unsupported();
        return String(constant);
      case "nullValue":
        return "null";
      default:
        throw new Unsupported();
    }
  }

  private identifier(name: string, accumulators: Set<string>, raw: boolean): string {
    // Every variable read costs 1 at runtime (rt.id), as in the API server's cost tracking.
    const variable = `rt.id(${this.variableName(name)})`;
    if (accumulators.has(name) && !raw) return this.fused ? `rt.ckOf(${this.variableName(name)})` : `rt.ck(${variable})`;
    return variable;
  }

  private variableName(name: string): string {
    if (name === "self") return "self";
    if (!/^@?[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Unsupported();
    return `v_${name.replace("@", "$")}`;
  }

  private call(call: CelCall, accumulators: Set<string>, raw: boolean): string {
    const name = call.function;
    const args = call.args;
    const plain = (node: CelNode) => () => this.expression(node, accumulators, false);
    const rawPiece = (node: CelNode) => this.capture(() => this.expression(node, accumulators, true));
    if (name === "_&&_" || name === "_||_") {
      const and = name === "_&&_";
      const left = this.temporary();
      const right = this.temporary();
      const first = rawPiece(args[0]!);
      this.emit(this.attempt(left, first));
      const secondPiece = rawPiece(args[1]!);
      const second = this.attempt(right, secondPiece);
      // Operands that are each a bool or a held error combine without rt.andEnd/orEnd's type checks: the right one
      // decides when it is false (true for `||`) or when the left one is true (false), else the left one's error.
      const end =
        this.fused && this.isBoolOrError(first.value) && this.isBoolOrError(secondPiece.value)
          ? `${left} = ${right} === ${!and} || ${left} === ${and} ? ${right} : ${left};`
          : `${left} = rt.${and ? "andEnd" : "orEnd"}(${left}, ${right});`;
      this.emit(`if (${left} !== ${!and}) { ${second} ${end} }`);
      this.boolOrError.add(left);
      return raw ? left : `rt.ck(${left})`;
    }
    if (name === "@not_strictly_false") {
      // A macro's loop condition on its accumulator (all, exists): the step and the read, neither of which can fail
      // but by the per-call limit, which no `try` absorbs (rules.ts).
      const operand = rawPiece(args[0]!);
      const variable = this.fused && !operand.statements ? VARIABLE_READ.exec(operand.value)?.[1] : undefined;
      if (variable) return `rt.notFalseOf(${variable})`;
      const result = this.temporary();
      this.emit("rt.step();");
      this.emit(this.attempt(result, operand));
      return `(${result} !== false)`;
    }
    if (name === "_?_:_") {
      const condition = this.expression(args[0]!, accumulators, false);
      const whenTrue = this.capture(plain(args[1]!));
      const whenFalse = this.capture(plain(args[2]!));
      const test = this.boolTest(condition);
      if (!whenTrue.statements && !whenFalse.statements) return `(${test} ? ${whenTrue.value} : ${whenFalse.value})`;
      const result = this.temporary();
      this.emit(
        `if (${test}) { ${whenTrue.statements} ${result} = ${whenTrue.value}; } else { ${whenFalse.statements} ${result} = ${whenFalse.value}; }`,
      );
      return result;
    }
    if (name === "!_") {
      const operand = this.expression(args[0]!, accumulators, false);
      const presence = this.fused ? PRESENCE_TEST.exec(operand) : null;
      return presence ? `rt.lacksOf(${presence[1]}, ${presence[2]})` : `rt.not(${operand})`;
    }
    if (name === "-_") return `rt.neg(${this.expression(args[0]!, accumulators, false)})`;
    if (binary[name] && args.length === 2 && !call.target) return `rt.${binary[name]}(${this.operands(args.map(plain)).join(", ")})`;
    if (name === "size") {
      const operand = call.target ?? args[0];
      if (!operand || args.length !== (call.target ? 0 : 1)) throw new Unsupported();
      const code = this.expression(operand, accumulators, false);
      const variable = this.fused ? VARIABLE_READ.exec(code)?.[1] : undefined;
      return variable ? `rt.sizeOf(${variable})` : `rt.size(${code})`;
    }
    if (call.target) {
      if (stringMethods[name]?.includes(args.length)) return `rt.${name}(${this.operands([call.target, ...args].map(plain)).join(", ")})`;
      if (urlMethods[name] && args.length === 0)
        return `rt.urlPart(${this.expression(call.target, accumulators, false)}, ${JSON.stringify(urlMethods[name])})`;
      throw new Unsupported();
    }
    if (functions[name] === args.length) return `rt.${name}(${this.operands(args.map(plain)).join(", ")})`;
    throw new Unsupported();
  }

  /**
   * Whether a raw operand of `&&`/`||` (its value read inside a `try`, which holds what it throws) can only be a bool
   * or a held error: a call that returns a bool, or an earlier `&&`/`||` result.
   */
  private isBoolOrError(code: string): boolean {
    return isBoolCall(code) || this.boolOrError.has(code);
  }

  /** `code` as a JavaScript condition: checked to be a bool unless it can only be one. */
  private boolTest(code: string): string {
    if (!this.fused) return `rt.bool(${code})`;
    if (isBoolCall(code)) return code;
    // rt.bool raises a held error itself.
    return `rt.bool(${CHECKED_TEMPORARY.exec(code)?.[1] ?? code})`;
  }

  private comprehension(value: CelComprehension, accumulators: Set<string>): string {
    if (value.iterVar2) throw new Unsupported();
    const inner = new Set(accumulators);
    inner.delete(value.iterVar);
    inner.add(value.accuVar);
    const accumulator = this.variableName(value.accuVar);
    const iterator = this.variableName(value.iterVar);
    const id = this.counter++;
    const range = this.temporary();
    const result = this.temporary();
    this.emit(`${range} = ${this.expression(value.iterRange, accumulators, false)};`);
    const init = this.capture(() => this.expression(value.accuInit, accumulators, true));
    const condition = this.capture(() => this.expression(value.loopCondition, inner, false));
    const step = this.capture(() => this.expression(value.loopStep, inner, true));
    const outcome = this.capture(() => this.expression(value.result, inner, false));
    // Arrays are walked by index (JSON arrays have no holes); a map's keys are a fresh array from rt.iter.
    this.emit(
      `{ ${init.statements} let ${accumulator} = ${init.value}; const l${id} = rt.iter(${range}); ` +
        `for (let i${id} = 0; i${id} < l${id}.length; i${id}++) { const ${iterator} = l${id}[i${id}]; ` +
        `${condition.statements} ${condition.value === "true" && this.fused ? "" : `if (!${this.boolTest(condition.value)}) break;`} ${step.statements} ${accumulator} = ${step.value}; } ` +
        `${outcome.statements} ${result} = ${outcome.value}; }`,
    );
    return result;
  }
}
