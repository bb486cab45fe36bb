import type { Finding } from "../findings.js";
import { validateObject } from "../validate/engine.js";
import { schemaSourceFor, toFinding } from "../validate/index.js";
import { resolveOptions } from "../validate/options.js";
import { withLookupMemo } from "./contract.js";
import type { InputObject } from "./input.js";
import type { ConvertOptions } from "./options.js";

const inputHint = "fix the input; `mesh validate FILE` shows every problem";

/**
 * The input objects a conversion reads, checked as `mesh validate` checks them (schema, CEL rules and Istio's
 * webhook; not the cross-object analysers). The converters read only the fields they know, so an unknown
 * field (a typo, a `subset` beside `destination`) or a value of the wrong type would otherwise vanish
 * silently and the output could route differently from what the author meant; the API server would have
 * refused the input anyway. Each rejection is an error (`CONV005/<validate code>`) at the input's position.
 *
 * Gateway API input is checked against the experimental channel of `--gateway-api-version`, the superset
 * the converter reads, so only fields no channel knows are reported.
 *
 * Each object goes through the engine as `mesh validate` sends it (validateObject); only its errors are kept, so
 * only they are placed in the file (warnings, timings and analysis inputs are not needed here).
 */
export function inputErrors(inputs: readonly InputObject[], options: ConvertOptions): Finding[] {
  const validateOptions = resolveOptions({
    gatewayApiVersion: options.gatewayApiVersion,
    channel: "experimental",
    defaultNamespace: options.namespace ?? options.defaultNamespace,
  });
  const source = withLookupMemo(schemaSourceFor(validateOptions));
  const errors: Finding[] = [];
  for (const { source: document } of inputs) {
    const verdict = validateObject(document.object, source, validateOptions);
    for (const error of verdict.errors) {
      if ((error.severity ?? "error") !== "error") continue;
      const finding = toFinding(error, document, verdict.identity);
      errors.push({ ...finding, code: `CONV005/${finding.code}`, message: `invalid input: ${finding.message}; ${inputHint}` });
    }
  }
  return errors;
}
