import type { CelCall, CelComprehension, CelConstant, CelNode } from "./ast.js";
import type { Decl } from "./cost.js";
import { unescapeFieldName } from "./property-names.js";

/**
 * The part of cel-go's type checker that the API server runs on a CRD's rules, for the errors it is certain of:
 * calls no overload accepts, undeclared names, field selection on scalars and lists, mixed-type list and map
 * literals (Kubernetes' homogeneous-literal option), comprehensions over scalars, and rules that do not give a bool
 * (or messageExpressions that do not give a string). What the checker cannot type exactly (functions it has no
 * signatures for, optional values, two-variable macros, indexing an object) is `dyn`, which cel-go accepts anywhere,
 * so a gap can only miss an error; a function it has signatures for must list every overload Kubernetes declares.
 */
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access --
   The node shapes come from @bufbuild/cel's generated protobuf union, typed in ast.ts. */

type Simple = "dyn" | "null" | "bool" | "int" | "uint" | "double" | "string" | "bytes" | "duration" | "timestamp" | "type";

export type CelType =
  | { kind: Simple }
  | { kind: "list"; elem: CelType }
  | { kind: "map"; key: CelType; value: CelType }
  /** A schema object: its fields are the schema node's (cost.ts's Decl). */
  | { kind: "object"; decl: Decl }
  /** Library types (URL, IP, CIDR, Quantity, Semver). */
  | { kind: "opaque"; name: string }
  /** A type parameter of an overload signature (A, K, V). */
  | { kind: "param"; name: string };

const simple = (kind: Simple): CelType => ({ kind });
const DYN = simple("dyn");
const BOOL = simple("bool");

/** The type a rule sees for a schema node (Kubernetes' SchemaDeclType, via cost.ts's Decl). */
export function typeOfDecl(decl: Decl | undefined): CelType {
  if (!decl) return DYN;
  switch (decl.kind) {
    case "list":
      return { kind: "list", elem: typeOfDecl(decl.elem) };
    case "map":
      return { kind: "map", key: simple("string"), value: typeOfDecl(decl.elem) };
    case "object":
      return { kind: "object", decl };
    default:
      return simple(decl.kind);
  }
}

/** cel-go's spelling of a type in its messages. */
export function typeName(type: CelType): string {
  switch (type.kind) {
    case "list":
      return `list(${typeName(type.elem)})`;
    case "map":
      return `map(${typeName(type.key)}, ${typeName(type.value)})`;
    case "object":
      return "object";
    case "opaque":
    case "param":
      return type.name;
    case "duration":
      return "google.protobuf.Duration";
    case "timestamp":
      return "google.protobuf.Timestamp";
    case "null":
      return "null_type";
    default:
      return type.kind;
  }
}

/** True when the type says nothing certain anywhere inside it (dyn, null or an unbound parameter). */
function isOpen(type: CelType): boolean {
  switch (type.kind) {
    case "dyn":
    case "null":
    case "param":
      return true;
    case "list":
      return isOpen(type.elem);
    case "map":
      return isOpen(type.key) || isOpen(type.value);
    default:
      return false;
  }
}

// Overload signatures: "receiver name(args)result" for methods, "name(args)result" for functions (qualified names such
// as sets.contains keep their dot); types as cel-go spells them, with A, B, K, V as type parameters.
const signatureTexts = [
  "!_(bool)bool",
  "-_(int)int",
  "-_(double)double",
  "@not_strictly_false(bool)bool",
  "_?_:_(bool,A,A)A",
  "_==_(A,A)bool",
  "_!=_(A,A)bool",
  "@in(A,list(A))bool",
  "@in(A,map(A,B))bool",
  ...["_<_", "_<=_", "_>_", "_>=_"].flatMap((op) => [
    ...["bool", "int", "uint", "double", "string", "bytes", "timestamp", "duration"].map((t) => `${op}(${t},${t})bool`),
    ...["int,uint", "int,double", "uint,int", "uint,double", "double,int", "double,uint"].map((pair) => `${op}(${pair})bool`),
  ]),
  ...["int", "uint", "double", "string", "bytes", "duration"].map((t) => `_+_(${t},${t})${t}`),
  "_+_(list(A),list(A))list(A)",
  "_+_(timestamp,duration)timestamp",
  "_+_(duration,timestamp)timestamp",
  ...["int", "uint", "double", "duration"].map((t) => `_-_(${t},${t})${t}`),
  "_-_(timestamp,timestamp)duration",
  "_-_(timestamp,duration)timestamp",
  ...["int", "uint", "double"].flatMap((t) => [`_*_(${t},${t})${t}`, `_/_(${t},${t})${t}`]),
  "_%_(int,int)int",
  "_%_(uint,uint)uint",
  "_[_](list(A),int)A",
  "_[_](map(K,V),K)V",
  ...["string", "bytes", "list(A)", "map(K,V)"].flatMap((t) => [`size(${t})int`, `${t} size()int`]),
  ...["contains", "startsWith", "endsWith", "matches"].map((name) => `string ${name}(string)bool`),
  "matches(string,string)bool",
  ...[
    "getFullYear",
    "getMonth",
    "getDayOfYear",
    "getDayOfMonth",
    "getDate",
    "getDayOfWeek",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getMilliseconds",
  ].flatMap((name) => [`timestamp ${name}()int`, `timestamp ${name}(string)int`]),
  ...["getHours", "getMinutes", "getSeconds", "getMilliseconds"].map((name) => `duration ${name}()int`),
  // Strings extension, version 2.
  "string charAt(int)string",
  "string indexOf(string)int",
  "string indexOf(string,int)int",
  "string lastIndexOf(string)int",
  "string lastIndexOf(string,int)int",
  "string lowerAscii()string",
  "string upperAscii()string",
  "string replace(string,string)string",
  "string replace(string,string,int)string",
  "string split(string)list(string)",
  "string split(string,int)list(string)",
  "string substring(int)string",
  "string substring(int,int)string",
  "string trim()string",
  "list(string) join()string",
  "list(string) join(string)string",
  "strings.quote(string)string",
  "string format(list(dyn))string",
  // Kubernetes' list library (list.indexOf also sits beside the strings extension's).
  "list(A) isSorted()bool",
  "list(A) sum()A",
  "list(A) min()A",
  "list(A) max()A",
  "list(A) indexOf(A)int",
  "list(A) lastIndexOf(A)int",
  // Kubernetes' regex library.
  "string find(string)string",
  "string findAll(string)list(string)",
  "string findAll(string,int)list(string)",
  // Sets extension.
  "sets.contains(list(A),list(A))bool",
  "sets.equivalent(list(A),list(A))bool",
  "sets.intersects(list(A),list(A))bool",
  // Kubernetes' URL, quantity, IP, CIDR and semver libraries.
  "url(string)URL",
  "isURL(string)bool",
  ...["getScheme", "getHost", "getHostname", "getPort", "getEscapedPath"].map((name) => `URL ${name}()string`),
  "URL getQuery()map(string,list(string))",
  "quantity(string)Quantity",
  "isQuantity(string)bool",
  "Quantity sign()int",
  "Quantity isInteger()bool",
  "Quantity asInteger()int",
  "Quantity asApproximateFloat()double",
  "Quantity add(Quantity)Quantity",
  "Quantity add(int)Quantity",
  "Quantity sub(Quantity)Quantity",
  "Quantity sub(int)Quantity",
  "Quantity isGreaterThan(Quantity)bool",
  "Quantity isLessThan(Quantity)bool",
  "Quantity compareTo(Quantity)int",
  "ip(string)IP",
  "isIP(string)bool",
  "ip.isCanonical(string)bool",
  "IP family()int",
  ...["isUnspecified", "isLoopback", "isLinkLocalMulticast", "isLinkLocalUnicast", "isGlobalUnicast"].map((name) => `IP ${name}()bool`),
  "cidr(string)CIDR",
  "isCIDR(string)bool",
  "CIDR containsIP(IP)bool",
  "CIDR containsIP(string)bool",
  "CIDR containsCIDR(CIDR)bool",
  "CIDR containsCIDR(string)bool",
  "CIDR ip()IP",
  "CIDR masked()CIDR",
  "CIDR prefixLength()int",
  "semver(string)Semver",
  "isSemver(string)bool",
  "isSemver(string,bool)bool",
  "semver(string,bool)Semver",
  ...["major", "minor", "patch"].map((name) => `Semver ${name}()int`),
  "Semver isGreaterThan(Semver)bool",
  "Semver isLessThan(Semver)bool",
  "Semver compareTo(Semver)int",
];

/** Conversions accept more argument types than are worth listing: their result type is all that is used. */
const conversions = new Map<string, CelType>([
  ["int", simple("int")],
  ["uint", simple("uint")],
  ["double", simple("double")],
  ["string", simple("string")],
  ["bytes", simple("bytes")],
  ["bool", BOOL],
  ["duration", simple("duration")],
  ["timestamp", simple("timestamp")],
  ["dyn", DYN],
  ["type", simple("type")],
]);

/**
 * Names of the Kubernetes CEL environment the checker has no signatures for (optional values, the format, image
 * and authz libraries, macros it does not expand): calls to them are `dyn`, never an error.
 */
const untypedFunctions = new Set([
  "all",
  "exists",
  "exists_one",
  "map",
  "filter",
  "bind",
  "transformList",
  "transformMap",
  "transformMapEntry",
  "optMap",
  "optFlatMap",
  "of",
  "none",
  "ofNonZeroValue",
  "hasValue",
  "value",
  "orValue",
  "or",
  "unwrap",
  "_?._",
  "_[?_]",
  "named",
  "validate",
  "image",
  "isImage",
  "containsDigest",
  "registry",
  "repository",
  "identifier",
  "tag",
  "digest",
  "path",
  "group",
  "serviceAccount",
  "resource",
  "subresource",
  "namespace",
  "name",
  "check",
  "allowed",
  "reason",
  "errored",
  "error",
  "fieldSelector",
  "labelSelector",
  "reverse",
]);

/** Namespaces of qualified function names and type names: `sets.contains(…)`, `format.dns1123Label()`, `google.protobuf.Duration`. */
const namespaces = new Set(["sets", "strings", "optional", "format", "cel", "math", "google", "kubernetes", "net", "ip"]);

/** Identifiers every expression may use: type names. */
const typeIdentifiers = new Set(["bool", "bytes", "double", "int", "list", "map", "null_type", "string", "type", "uint", "dyn"]);

interface Signature {
  receiver?: CelType;
  params: CelType[];
  result: CelType;
}

function parseType(text: string): CelType {
  const open = text.indexOf("(");
  if (open < 0) {
    if (/^[ABKV]$/.test(text)) return { kind: "param", name: text };
    if (["URL", "IP", "CIDR", "Quantity", "Semver"].includes(text)) return { kind: "opaque", name: text };
    return simple(text as Simple);
  }
  const inner = splitTop(text.slice(open + 1, -1));
  if (text.startsWith("list(")) return { kind: "list", elem: parseType(inner[0]!) };
  return { kind: "map", key: parseType(inner[0]!), value: parseType(inner[1]!) };
}

/** Splits at commas outside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === "(") depth++;
    else if (char === ")") depth--;
    else if (char === "," && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  if (text.length > 0) parts.push(text.slice(start));
  return parts;
}

let signaturesByName: Map<string, Signature[]> | undefined;

function signatures(): Map<string, Signature[]> {
  if (signaturesByName) return signaturesByName;
  signaturesByName = new Map();
  for (const text of signatureTexts) {
    const space = text.indexOf(" ");
    const call = text.slice(space + 1);
    const open = call.indexOf("(", call.startsWith("_[_]") ? 4 : 0);
    const close = matchingParenthesis(call, open);
    const name = call.slice(0, open);
    const signature: Signature = {
      receiver: space >= 0 ? parseType(text.slice(0, space)) : undefined,
      params: splitTop(call.slice(open + 1, close)).map(parseType),
      result: parseType(call.slice(close + 1)),
    };
    const list = signaturesByName.get(name) ?? [];
    list.push(signature);
    signaturesByName.set(name, list);
  }
  return signaturesByName;
}

function matchingParenthesis(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    if (text[index] === "(") depth++;
    else if (text[index] === ")" && --depth === 0) return index;
  }
  return text.length;
}

type Bindings = Map<string, CelType>;

/** cel-go's assignability, with every open type (dyn, null) accepted; parameters bind to the first closed type they meet. */
function assignable(expected: CelType, actual: CelType, bindings: Bindings): boolean {
  if (actual.kind === "dyn" || actual.kind === "null" || actual.kind === "param" || expected.kind === "dyn") return true;
  if (expected.kind === "param") {
    const bound = bindings.get(expected.name);
    if (!bound || isOpen(bound)) {
      bindings.set(expected.name, actual);
      return true;
    }
    return sameType(bound, actual);
  }
  switch (expected.kind) {
    case "list":
      return actual.kind === "list" && assignable(expected.elem, actual.elem, bindings);
    case "map":
      // A schema object is not a map to cel-go, but whether indexing one is allowed is not modelled: let it pass.
      if (actual.kind === "object") return true;
      return actual.kind === "map" && assignable(expected.key, actual.key, bindings) && assignable(expected.value, actual.value, bindings);
    case "opaque":
      return actual.kind === "opaque" && actual.name === expected.name;
    default:
      return actual.kind === expected.kind;
  }
}

/** Equal as far as both are known: open parts match anything, and a schema object matches a map (not modelled). */
function sameType(left: CelType, right: CelType): boolean {
  if (isOpen(left) || isOpen(right)) return true;
  if (left.kind === "list" && right.kind === "list") return sameType(left.elem, right.elem);
  if (left.kind === "map" && right.kind === "map") return sameType(left.key, right.key) && sameType(left.value, right.value);
  if (left.kind === "opaque" && right.kind === "opaque") return left.name === right.name;
  if ((left.kind === "object" && right.kind === "map") || (left.kind === "map" && right.kind === "object")) return true;
  return left.kind === right.kind;
}

function substitute(type: CelType, bindings: Bindings): CelType {
  switch (type.kind) {
    case "param":
      return bindings.get(type.name) ?? DYN;
    case "list":
      return { kind: "list", elem: substitute(type.elem, bindings) };
    case "map":
      return { kind: "map", key: substitute(type.key, bindings), value: substitute(type.value, bindings) };
    default:
      return type;
  }
}

/** A type error, in cel-go's words. */
class CelTypeError extends Error {}

class Checker {
  private readonly scopes: Map<string, CelType>[] = [];

  constructor(private readonly variables: Map<string, CelType>) {}

  /** `exempt`: a list or map literal inside the arguments of string.format, where mixed types are allowed. */
  check(node: CelNode, exempt = false): CelType {
    const { case: kind, value } = node.exprKind;
    switch (kind) {
      case "constExpr":
        return this.constant(value as CelConstant);
      case "identExpr":
        return this.identifier(value.name as string);
      case "selectExpr":
        return this.select(value as { operand: CelNode; field: string; testOnly: boolean });
      case "callExpr":
        return this.call(value as CelCall);
      case "listExpr":
        return {
          kind: "list",
          elem: this.homogeneous(
            (value.elements as CelNode[]).map((element) => this.check(element, exempt)),
            exempt,
          ),
        };
      case "structExpr": {
        if (value.messageName) return DYN;
        const entries = value.entries as { keyKind: { case: string; value: CelNode }; value: CelNode }[];
        const keys: CelType[] = [];
        const values: CelType[] = [];
        for (const entry of entries) {
          if (entry.keyKind.case === "mapKey") keys.push(this.check(entry.keyKind.value, exempt));
          values.push(this.check(entry.value, exempt));
        }
        return { kind: "map", key: this.homogeneous(keys, exempt), value: this.homogeneous(values, exempt) };
      }
      case "comprehensionExpr":
        return this.comprehension(value as CelComprehension);
      default:
        return DYN;
    }
  }

  private constant(value: CelConstant): CelType {
    switch (value.constantKind.case) {
      case "stringValue":
        return simple("string");
      case "bytesValue":
        return simple("bytes");
      case "boolValue":
        return BOOL;
      case "int64Value":
        return simple("int");
      case "uint64Value":
        return simple("uint");
      case "doubleValue":
        return simple("double");
      case "nullValue":
        return simple("null");
      default:
        return DYN;
    }
  }

  private identifier(name: string): CelType {
    for (let index = this.scopes.length - 1; index >= 0; index--) {
      const local = this.scopes[index]!.get(name);
      if (local) return local;
    }
    const variable = this.variables.get(name);
    if (variable) return variable;
    if (typeIdentifiers.has(name)) return simple("type");
    if (namespaces.has(name)) return DYN;
    throw new CelTypeError(`undeclared reference to '${name}' (in container '')`);
  }

  /** Kubernetes' homogeneous aggregate literals: every element of a literal list (or key, or value of a map) has one type. */
  private homogeneous(types: CelType[], exempt: boolean): CelType {
    let first: CelType | undefined;
    for (const type of types) {
      if (isOpen(type)) continue;
      if (!first) first = type;
      else if (!sameType(first, type)) {
        if (exempt) return DYN;
        throw new CelTypeError(`expected type '${typeName(first)}' but found '${typeName(type)}'`);
      }
    }
    return first ?? DYN;
  }

  private select(value: { operand: CelNode; field: string; testOnly: boolean }): CelType {
    const operand = this.check(value.operand);
    const field = unescapeFieldName(value.field);
    const result = (): CelType => {
      switch (operand.kind) {
        case "object": {
          const fields = operand.decl.fields;
          return fields?.has(field) ? typeOfDecl(fields.get(field)) : DYN;
        }
        case "map":
          return operand.value;
        case "dyn":
        case "null":
        case "param":
        case "opaque":
        case "type":
          return DYN;
        default:
          throw new CelTypeError(`type '${typeName(operand)}' does not support field selection`);
      }
    };
    const type = result();
    return value.testOnly ? BOOL : type;
  }

  private call(value: CelCall): CelType {
    const name = value.function;
    // A qualified name: the target is a namespace, not a receiver.
    const targetName = value.target?.exprKind.case === "identExpr" ? (value.target.exprKind.value.name as string) : undefined;
    const qualified =
      targetName !== undefined && namespaces.has(targetName) && !this.isVariable(targetName) ? `${targetName}.${name}` : undefined;
    if (untypedFunctions.has(name) && !signatures().has(qualified ?? name)) return DYN;
    const receiver = value.target && qualified === undefined ? this.check(value.target) : undefined;
    const args = value.args.map((arg) => this.check(arg, name === "format"));
    if (!value.target || qualified !== undefined) {
      const conversion = qualified === undefined ? conversions.get(name) : undefined;
      if (conversion) return conversion;
    }
    if (name === "_&&_" || name === "_||_") {
      // cel-go checks the logical operators' operands one by one, not as an overload.
      const wrong = args.find((arg) => !isOpen(arg) && arg.kind !== "bool");
      if (wrong) throw new CelTypeError(`expected type 'bool' but found '${typeName(wrong)}'`);
      return BOOL;
    }
    const candidates = signatures().get(qualified ?? name);
    if (!candidates) {
      if (qualified !== undefined) return DYN;
      throw new CelTypeError(`undeclared reference to '${name}' (in container '')`);
    }
    const results: CelType[] = [];
    for (const candidate of candidates) {
      if (Boolean(candidate.receiver) !== Boolean(receiver) || candidate.params.length !== args.length) continue;
      const bindings: Bindings = new Map();
      if (receiver && !assignable(candidate.receiver!, receiver, bindings)) continue;
      if (args.every((arg, index) => assignable(candidate.params[index]!, arg, bindings)))
        results.push(substitute(candidate.result, bindings));
    }
    if (results.length === 0) {
      const shown = `(${args.map(typeName).join(", ")})`;
      throw new CelTypeError(`found no matching overload for '${name}' applied to '${receiver ? `${typeName(receiver)}.` : ""}${shown}'`);
    }
    return results.every((result) => sameType(result, results[0]!) && !isOpen(result)) ? results[0]! : DYN;
  }

  private isVariable(name: string): boolean {
    return this.variables.has(name) || this.scopes.some((scope) => scope.has(name));
  }

  private comprehension(value: CelComprehension): CelType {
    const range = this.check(value.iterRange);
    let iteration: CelType[];
    switch (range.kind) {
      case "list":
        iteration = value.iterVar2 ? [simple("int"), range.elem] : [range.elem];
        break;
      case "map":
        iteration = value.iterVar2 ? [range.key, range.value] : [range.key];
        break;
      case "dyn":
      case "null":
      case "param":
      case "object":
        iteration = [DYN, DYN];
        break;
      default:
        throw new CelTypeError(
          `expression of type '${typeName(range)}' cannot be range of a comprehension (must be list, map, or dynamic)`,
        );
    }
    const accumulator = this.check(value.accuInit);
    const scope = new Map<string, CelType>([[value.accuVar, accumulator]]);
    this.scopes.push(scope);
    const loop = new Map<string, CelType>([[value.iterVar, iteration[0]!]]);
    if (value.iterVar2) loop.set(value.iterVar2, iteration[1] ?? DYN);
    this.scopes.push(loop);
    this.check(value.loopCondition);
    const step = this.check(value.loopStep);
    this.scopes.pop();
    // The accumulator takes the step's type when the initial value left it open (the empty list of `map`/`filter`).
    if (isOpen(accumulator)) scope.set(value.accuVar, step);
    const result = this.check(value.result);
    this.scopes.pop();
    return result;
  }
}

/** What a rule or messageExpression must give. */
export type ExpectedResult = "bool" | "string";

/**
 * The first type error cel-go would report for a parsed rule (or messageExpression) on a schema node whose type is
 * `self`, in cel-go's words; undefined when it finds none. `oldSelf` has self's type (transition rules).
 */
export function celTypeError(parsed: unknown, self: Decl | undefined, expected: ExpectedResult): string | undefined {
  const selfType = typeOfDecl(self);
  const checker = new Checker(
    new Map([
      ["self", selfType],
      ["oldSelf", selfType],
    ]),
  );
  let result: CelType;
  try {
    result = checker.check(parsed as CelNode);
  } catch (error) {
    if (error instanceof CelTypeError) return error.message;
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  if (!isOpen(result) && result.kind !== expected) {
    return expected === "bool" ? "cel expression must evaluate to a bool" : "messageExpression must evaluate to a string";
  }
  return undefined;
}
