/**
 * Compiles a CEL expression (as parsed by @bufbuild/cel, macros already expanded into comprehensions)
 * into the body of a JavaScript function `(rt, self) => value` over plain JSON data, with CEL's error
 * semantics provided by cel/runtime.ts. Returns undefined for any construct it does not cover; such
 * rules run on the interpreter. The build step compiles every built-in rule ahead of time.
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
export function compileCelToJs(expression: CelNode): string | undefined {
  try {
    return new Generator().expression(expression, new Set(), false);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

class Generator {
  private counter = 0;

  expression(node: CelNode, accumulators: Set<string>, raw: boolean): string {
    const { case: kind, value } = node.exprKind;
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
        return `rt.list([${(value.elements as CelNode[]).map((element) => this.expression(element, accumulators, false)).join(", ")}])`;
      case "structExpr": {
        if (value.messageName) throw new Unsupported();
        const entries = (value.entries as { keyKind: { case: string; value: CelNode }; value: CelNode; optionalEntry?: boolean }[]).map(
          (entry) => {
            if (entry.keyKind.case !== "mapKey" || entry.optionalEntry) throw new Unsupported();
            return `[${this.expression(entry.keyKind.value, accumulators, false)}, ${this.expression(entry.value, accumulators, false)}]`;
          },
        );
        return `rt.map([${entries.join(", ")}])`;
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
    const plain = (node: CelNode) => this.expression(node, accumulators, false);
    const thunk = (node: CelNode) => `() => ${this.expression(node, accumulators, true)}`;
    if (name === "_&&_" || name === "_||_") {
      const joined = `rt.${name === "_&&_" ? "and" : "or"}(${thunk(args[0]!)}, ${thunk(args[1]!)})`;
      return raw ? joined : `rt.ck(${joined})`;
    }
    if (name === "@not_strictly_false") return `rt.notStrictlyFalse(${thunk(args[0]!)})`;
    if (name === "_?_:_") return `(rt.bool(${plain(args[0]!)}) ? ${plain(args[1]!)} : ${plain(args[2]!)})`;
    if (name === "!_") return `rt.not(${plain(args[0]!)})`;
    if (name === "-_") return `rt.neg(${plain(args[0]!)})`;
    if (binary[name] && args.length === 2 && !call.target) return `rt.${binary[name]}(${plain(args[0]!)}, ${plain(args[1]!)})`;
    if (name === "size") {
      const operand = call.target ?? args[0];
      if (!operand || args.length !== (call.target ? 0 : 1)) throw new Unsupported();
      return `rt.size(${plain(operand)})`;
    }
    if (call.target) {
      const target = plain(call.target);
      if (stringMethods[name]?.includes(args.length)) return `rt.${name}(${[target, ...args.map(plain)].join(", ")})`;
      if (urlMethods[name] && args.length === 0) return `rt.urlPart(${target}, ${JSON.stringify(urlMethods[name])})`;
      throw new Unsupported();
    }
    if (functions[name] === args.length) return `rt.${name}(${args.map(plain).join(", ")})`;
    throw new Unsupported();
  }

  private comprehension(value: CelComprehension, accumulators: Set<string>): string {
    if (value.iterVar2) throw new Unsupported();
    const inner = new Set(accumulators);
    inner.delete(value.iterVar);
    inner.add(value.accuVar);
    const accumulator = this.variableName(value.accuVar);
    const iterator = this.variableName(value.iterVar);
    const range = `r${this.counter++}`;
    const init = this.expression(value.accuInit, accumulators, true);
    const condition = this.expression(value.loopCondition, inner, false);
    const step = this.expression(value.loopStep, inner, true);
    const result = this.expression(value.result, inner, false);
    return `((${range}) => { let ${accumulator} = ${init}; for (const ${iterator} of rt.iter(${range})) { if (!rt.bool(${condition})) break; ${accumulator} = ${step}; } return ${result}; })(${this.expression(value.iterRange, accumulators, false)})`;
  }
}
