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
/** The body of a function `(rt, self)` (statements ending in a return) evaluating the expression. */
export function compileCelToFunctionBody(expression: CelNode): string | undefined {
  try {
    return new Generator().functionBody(expression);
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

class Generator {
  private counter = 0;
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
    if (accumulators.has(name)) return raw ? variable : `rt.ck(${variable})`;
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
      this.emit(this.attempt(left, rawPiece(args[0]!)));
      const second = this.attempt(right, rawPiece(args[1]!));
      this.emit(`if (${left} !== ${and ? "false" : "true"}) { ${second} ${left} = rt.${and ? "andEnd" : "orEnd"}(${left}, ${right}); }`);
      return raw ? left : `rt.ck(${left})`;
    }
    if (name === "@not_strictly_false") {
      const result = this.temporary();
      this.emit("rt.step();");
      this.emit(this.attempt(result, rawPiece(args[0]!)));
      return `(${result} !== false)`;
    }
    if (name === "_?_:_") {
      const condition = this.expression(args[0]!, accumulators, false);
      const whenTrue = this.capture(plain(args[1]!));
      const whenFalse = this.capture(plain(args[2]!));
      if (!whenTrue.statements && !whenFalse.statements) return `(rt.bool(${condition}) ? ${whenTrue.value} : ${whenFalse.value})`;
      const result = this.temporary();
      this.emit(
        `if (rt.bool(${condition})) { ${whenTrue.statements} ${result} = ${whenTrue.value}; } else { ${whenFalse.statements} ${result} = ${whenFalse.value}; }`,
      );
      return result;
    }
    if (name === "!_") return `rt.not(${this.expression(args[0]!, accumulators, false)})`;
    if (name === "-_") return `rt.neg(${this.expression(args[0]!, accumulators, false)})`;
    if (binary[name] && args.length === 2 && !call.target) return `rt.${binary[name]}(${this.operands(args.map(plain)).join(", ")})`;
    if (name === "size") {
      const operand = call.target ?? args[0];
      if (!operand || args.length !== (call.target ? 0 : 1)) throw new Unsupported();
      return `rt.size(${this.expression(operand, accumulators, false)})`;
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
        `${condition.statements} if (!rt.bool(${condition.value})) break; ${step.statements} ${accumulator} = ${step.value}; } ` +
        `${outcome.statements} ${result} = ${outcome.value}; }`,
    );
    return result;
  }
}
