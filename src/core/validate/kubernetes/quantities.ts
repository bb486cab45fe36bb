/**
 * resource.Quantity's grammar (k8s.io/apimachinery/pkg/api/resource): a signed decimal number with an optional
 * binary suffix (Ki…Ei), decimal suffix (n u m k M G T P E) or decimal exponent. A manifest may also give a
 * plain JSON number, which Quantity's UnmarshalJSON accepts.
 */
const quantityPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const shapePattern = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

export const QUANTITY_FORMAT_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** The API server's parse error for a quantity string, or undefined when it parses. */
export function quantityProblem(text: string): string | undefined {
  if (quantityPattern.test(text)) return undefined;
  return shapePattern.test(text) ? "unable to parse quantity's suffix" : QUANTITY_FORMAT_MESSAGE;
}

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The value of a valid quantity as a number (enough precision to compare requests with limits). */
export function quantityValue(quantity: string | number): number | undefined {
  if (typeof quantity === "number") return quantity;
  if (quantityProblem(quantity) !== undefined) return undefined;
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(quantity)!;
  const number = Number(match[1]);
  const suffix = match[2]!;
  if (suffix in binary) return number * binary[suffix]!;
  if (suffix in decimal) return number * decimal[suffix]!;
  return number * 10 ** Number(suffix.slice(1));
}
