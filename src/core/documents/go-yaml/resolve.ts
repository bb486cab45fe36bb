/**
 * How go-yaml v2 (kubectl) types a scalar: plain scalars by their text (YAML 1.1 booleans, Go's integer
 * and float syntax), tagged scalars by their tag. Shared by the full reader and the fast reader, so the
 * two can never read a value differently.
 */

export const TAG_PREFIX = "tag:yaml.org,2002:";
export const STR_TAG = `${TAG_PREFIX}str`;
export const INT_TAG = `${TAG_PREFIX}int`;
export const FLOAT_TAG = `${TAG_PREFIX}float`;
export const BOOL_TAG = `${TAG_PREFIX}bool`;
export const NULL_TAG = `${TAG_PREFIX}null`;
export const TIMESTAMP_TAG = `${TAG_PREFIX}timestamp`;
export const BINARY_TAG = `${TAG_PREFIX}binary`;
export const MERGE_TAG = `${TAG_PREFIX}merge`;

export type Resolved =
  | { tag: typeof NULL_TAG; value: null }
  | { tag: typeof BOOL_TAG; value: boolean }
  /** `unsigned`: beyond int64, as go-yaml's uint64 (which sigs.k8s.io/yaml cannot use as a key). */
  | { tag: typeof INT_TAG; value: bigint; unsigned: boolean }
  | { tag: typeof FLOAT_TAG; value: number }
  | { tag: typeof TIMESTAMP_TAG; value: string }
  | { tag: string; value: string };

const specialWords = new Map<string, Resolved>();
for (const word of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"])
  specialWords.set(word, { tag: BOOL_TAG, value: true });
for (const word of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"])
  specialWords.set(word, { tag: BOOL_TAG, value: false });
for (const word of ["", "~", "null", "Null", "NULL"]) specialWords.set(word, { tag: NULL_TAG, value: null });
for (const word of [".nan", ".NaN", ".NAN"]) specialWords.set(word, { tag: FLOAT_TAG, value: Number.NaN });
for (const word of [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]) specialWords.set(word, { tag: FLOAT_TAG, value: Infinity });
for (const word of ["-.inf", "-.Inf", "-.INF"]) specialWords.set(word, { tag: FLOAT_TAG, value: -Infinity });

const resolvableTags = new Set(["", STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG]);

const yamlStyleFloat = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
// Go's ParseFloat, which go-yaml applies to text starting with ".", allows "_" between digits.
const dotFloat = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;
const timestamp =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]| )[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]{1,9})?(?:Z|[-+][0-9]{2}:[0-9]{2})?)?$/;

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
const uint64Max = 2n ** 64n - 1n;

const digitPatterns: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };

/** Go's strconv.ParseInt(text, 0, 64), then ParseUint for what is too large: the integer, or undefined. */
function parseGoInteger(text: string): { value: bigint; unsigned: boolean } | undefined {
  let rest = text;
  let negative = false;
  let signed = false;
  if (rest[0] === "+" || rest[0] === "-") {
    negative = rest[0] === "-";
    signed = true;
    rest = rest.slice(1);
  }
  let base = 10;
  let prefix = "";
  const lower = rest.slice(0, 2).toLowerCase();
  if (lower === "0x") [base, prefix] = [16, "0x"];
  else if (lower === "0b") [base, prefix] = [2, "0b"];
  else if (lower === "0o") [base, prefix] = [8, "0o"];
  else if (rest.length > 1 && rest[0] === "0") [base, prefix] = [8, ""];
  const digits = rest.slice(prefix === "" && base === 8 ? 1 : prefix.length);
  if (digits === "" || !digitPatterns[base]!.test(digits)) return undefined;
  const magnitude = BigInt(base === 10 ? digits : `0${base === 16 ? "x" : base === 2 ? "b" : "o"}${digits}`);
  const value = negative ? -magnitude : magnitude;
  if (value >= int64Min && value <= int64Max) return { value, unsigned: false };
  if (!signed && value <= uint64Max) return { value, unsigned: true };
  return undefined;
}

function hintOf(text: string): "sign" | "digit" | "word" | "dot" | undefined {
  if (text === "") return "word";
  const c = text[0]!;
  if (c === "+" || c === "-") return "sign";
  if (c >= "0" && c <= "9") return "digit";
  if ("yYnNtTfFoO~".includes(c)) return "word";
  if (c === ".") return "dot";
  return undefined;
}

/** What the text of a scalar becomes under `tag` ("" for a plain scalar without a tag). */
function resolveUnchecked(tag: string, text: string): Resolved {
  const hint = hintOf(text);
  if (hint === undefined || tag === STR_TAG) return { tag: STR_TAG, value: text };
  const special = specialWords.get(text);
  if (special) return special;
  if (hint === "dot") {
    if (dotFloat.test(text)) {
      const value = Number(text.replace(/_/g, ""));
      if (Number.isFinite(value)) return { tag: FLOAT_TAG, value };
    }
  } else if (hint === "sign" || hint === "digit") {
    if ((tag === "" || tag === TIMESTAMP_TAG) && timestamp.test(text)) return { tag: TIMESTAMP_TAG, value: text };
    const plain = text.replace(/_/g, "");
    const integer = parseGoInteger(plain);
    if (integer) return { tag: INT_TAG, value: integer.value, unsigned: integer.unsigned };
    if (yamlStyleFloat.test(plain)) {
      const value = Number(plain);
      // Go's ParseFloat reports a range error (and go-yaml keeps the text) where JavaScript says Infinity.
      if (Number.isFinite(value)) return { tag: FLOAT_TAG, value };
    }
  }
  return { tag: STR_TAG, value: text };
}

function shortTag(tag: string): string {
  return tag.startsWith(TAG_PREFIX) ? `!!${tag.slice(TAG_PREFIX.length)}` : tag;
}

/**
 * go-yaml's resolve(tag, text): the typed value, or an error message when the text does not fit an
 * explicit tag (`!!int abc` → "cannot decode !!str `abc` as a !!int"). Unknown tags keep the text.
 */
export function resolveScalar(tag: string, text: string): Resolved | { error: string } {
  if (!resolvableTags.has(tag)) return { tag, value: text };
  const resolved = resolveUnchecked(tag, text);
  if (tag === "" || tag === resolved.tag || tag === STR_TAG) return resolved;
  if (tag === FLOAT_TAG && resolved.tag === INT_TAG && !(resolved as { unsigned: boolean }).unsigned)
    return { tag: FLOAT_TAG, value: Number(resolved.value) };
  return { error: `cannot decode ${shortTag(resolved.tag)} \`${text}\` as a ${shortTag(tag)}` };
}

/** A plain, untagged scalar as the fast reader sees it: a JSON value, or undefined when only the full reader may judge it. */
export function resolvePlainJson(text: string): unknown {
  const resolved = resolveUnchecked("", text);
  switch (resolved.tag) {
    case INT_TAG: {
      const value = resolved.value as bigint;
      return value >= -MAX_EXACT_INTEGER && value <= MAX_EXACT_INTEGER ? Number(value) : undefined;
    }
    case FLOAT_TAG:
      return Number.isFinite(resolved.value) ? resolved.value : undefined;
    case TIMESTAMP_TAG:
      return text;
    default:
      return resolved.value;
  }
}

/** Largest integer a JavaScript number holds exactly (2^53 - 1). */
export const MAX_EXACT_INTEGER = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A float map key as sigs.k8s.io/yaml writes it: Go's strconv.FormatFloat(key, 'g', -1, 32), i.e. the
 * shortest decimal that reads back as the same 32-bit float, in %e form below 1e-4 or from 1e6 on.
 */
export function formatFloatKey(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (value === Infinity) return ".inf";
  if (value === -Infinity) return "-.inf";
  const single = Math.fround(value);
  if (!Number.isFinite(single)) return single > 0 ? ".inf" : "-.inf";
  if (single === 0) return Object.is(single, -0) ? "-0" : "0";
  let exponential = "";
  for (let precision = 1; precision <= 9; precision++) {
    exponential = single.toExponential(precision - 1);
    if (Math.fround(Number(exponential)) === single) break;
  }
  const [mantissa, exponentText] = exponential.split("e") as [string, string];
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace(/^-/, "").replace(".", "");
  const exponent = Number(exponentText);
  const sign = negative ? "-" : "";
  if (exponent < -4 || exponent >= 6) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const magnitude = Math.abs(exponent);
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? "-" : "+"}${magnitude < 10 ? "0" : ""}${magnitude}`;
  }
  const pointAt = exponent + 1;
  if (pointAt <= 0) return `${sign}0.${"0".repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return `${sign}${digits}${"0".repeat(pointAt - digits.length)}`;
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}
