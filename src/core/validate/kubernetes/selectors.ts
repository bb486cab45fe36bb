import type { LabelSelector } from "../../label-selectors.js";
import type { FieldError } from "../field-errors.js";
import { labelValueProblems, qualifiedNameProblems } from "../metadata.js";
import { forbidden, invalid, required, unsupported, type Path } from "./api-errors.js";

const operators = ["In", "NotIn", "Exists", "DoesNotExist"];

/** ValidateLabelSelector (meta/v1/validation): keys and values of matchLabels, operators and values of matchExpressions. */
export function labelSelectorErrors(selector: LabelSelector, path: Path): FieldError[] {
  const errors: FieldError[] = [];
  for (const [index, expression] of (selector.matchExpressions ?? []).entries()) {
    const here = [...path, "matchExpressions", index];
    const operator = expression.operator ?? "";
    const values = expression.values ?? [];
    if (operator === "In" || operator === "NotIn") {
      if (values.length === 0)
        errors.push(required([...here, "values"], "K8S_SELECTOR", "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === "Exists" || operator === "DoesNotExist") {
      if (values.length > 0)
        errors.push(forbidden([...here, "values"], "may not be specified when `operator` is 'Exists' or 'DoesNotExist'", "K8S_SELECTOR"));
    } else {
      errors.push(unsupported([...here, "operator"], operator, operators, "K8S_SELECTOR"));
    }
    for (const problem of qualifiedNameProblems(expression.key ?? ""))
      errors.push(invalid([...here, "key"], expression.key ?? "", "K8S_SELECTOR", problem));
  }
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    for (const problem of qualifiedNameProblems(key)) errors.push(invalid([...path, "matchLabels"], key, "K8S_SELECTOR", problem));
    for (const problem of labelValueProblems(value)) errors.push(invalid([...path, "matchLabels"], value, "K8S_SELECTOR", problem));
  }
  return errors;
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0;
}
