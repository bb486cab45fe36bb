/**
 * The shapes of @bufbuild/cel's parsed expressions that mesh's CEL passes (codegen.ts, cost.ts) walk: the
 * generated protobuf union, read one case at a time.
 */
/* eslint-disable @typescript-eslint/no-explicit-any --
   exprKind's value is the generated union; each case of a walker reads the fields that case has. */
export interface CelNode {
  id?: unknown;
  exprKind: { case: string | undefined; value: any };
}

/** A comprehension (what macros such as all/exists/map expand into); iterVar2 is set by the two-variable forms. */
export interface CelComprehension {
  iterVar: string;
  iterVar2?: string;
  iterRange: CelNode;
  accuVar: string;
  accuInit: CelNode;
  loopCondition: CelNode;
  loopStep: CelNode;
  result: CelNode;
}

/** A constant literal: constantKind.case names its type (stringValue, int64Value, …). */
export interface CelConstant {
  constantKind: { case: string; value: unknown };
}

/** A function or method call; `target` is the receiver of a method call. */
export interface CelCall {
  function: string;
  target?: CelNode;
  args: CelNode[];
}
