import type { FieldError } from "../field-errors.js";
import type { ValidateOptions } from "../options.js";
import { collector, isPort, labelMapProblems } from "./webhook-rules.js";
import { recordsOf, type JsonObject } from "../../json.js";

const customForbiddenSources = [
  "principals",
  "notPrincipals",
  "requestPrincipals",
  "notRequestPrincipals",
  "namespaces",
  "notNamespaces",
  "serviceAccounts",
  "notServiceAccounts",
];

/** security.istio.io AuthorizationPolicy (docs/design/validation.md §3.6, the parts that decide verdicts). */
export function validateIstioAuthorizationPolicy(object: JsonObject, _options: ValidateOptions): FieldError[] {
  const { errors, report } = collector("ISTIO_AUTHORIZATIONPOLICY");
  const spec = (object.spec ?? {}) as JsonObject;
  const action = (spec.action as string | undefined) ?? "ALLOW";
  const targets = [spec.selector, spec.targetRef, spec.targetRefs].filter((value) => value !== undefined).length;
  if (targets > 1) report(["spec"], "only one of selector, targetRef or targetRefs can be set");
  if (action === "CUSTOM") {
    const provider = spec.provider as JsonObject | undefined;
    if (!provider || typeof provider.name !== "string" || provider.name === "")
      report(["spec", "provider", "name"], "CUSTOM action requires a provider name");
    if (spec.rules === undefined)
      report(["spec", "rules"], "CUSTOM action requires rules", { hint: "add rules: [{}] to match every request" });
    recordsOf(spec.rules).forEach((rule, ruleIndex) =>
      recordsOf(rule.from).forEach((from, fromIndex) => {
        const source = (from.source ?? {}) as JsonObject;
        for (const field of customForbiddenSources) {
          if (source[field] !== undefined)
            report(["spec", "rules", ruleIndex, "from", fromIndex, "source", field], `${field} is not supported with the CUSTOM action`);
        }
      }),
    );
  } else if (spec.provider !== undefined) {
    report(["spec", "provider"], "provider must only be used with the CUSTOM action");
  }
  if (action === "DENY" && spec.rules === undefined) {
    report(["spec", "rules"], "DENY action requires rules", { hint: "an empty rule `rules: [{}]` denies every request" });
  }
  recordsOf(spec.rules).forEach((rule, ruleIndex) => {
    const at = ["spec", "rules", ruleIndex];
    if (rule.from !== undefined && recordsOf(rule.from).length === 0)
      report([...at, "from"], "from must not be empty; remove it to match any source");
    if (rule.to !== undefined && recordsOf(rule.to).length === 0)
      report([...at, "to"], "to must not be empty; remove it to match any operation");
    recordsOf(rule.from).forEach((from, index) => {
      const source = from.source as JsonObject | undefined;
      if (!source || Object.keys(source).length === 0) report([...at, "from", index, "source"], "source must not be empty");
    });
    recordsOf(rule.to).forEach((to, index) => {
      const operation = to.operation as JsonObject | undefined;
      if (!operation || Object.keys(operation).length === 0) report([...at, "to", index, "operation"], "operation must not be empty");
    });
    recordsOf(rule.when).forEach((condition, index) => {
      if (typeof condition.key !== "string" || condition.key === "")
        report([...at, "when", index, "key"], "condition key must not be empty");
      if (recordsOf(condition.values).length === 0 && recordsOf(condition.notValues).length === 0)
        report([...at, "when", index], "condition needs values or notValues");
    });
  });
  return errors;
}

/** security.istio.io PeerAuthentication (docs/design/validation.md §3.6). */
export function validateIstioPeerAuthentication(object: JsonObject, _options: ValidateOptions): FieldError[] {
  const { errors, report } = collector("ISTIO_PEERAUTHENTICATION");
  const spec = (object.spec ?? {}) as JsonObject;
  const portLevel = spec.portLevelMtls as JsonObject | undefined;
  if (portLevel !== undefined) {
    const labels = ((spec.selector ?? {}) as JsonObject).matchLabels;
    if (!labels || Object.keys(labels).length === 0)
      report(["spec", "portLevelMtls"], "portLevelMtls requires a selector with matchLabels");
    if (Object.keys(portLevel).length === 0) report(["spec", "portLevelMtls"], "portLevelMtls must not be empty when set");
    for (const key of Object.keys(portLevel)) {
      if (!/^[0-9]+$/.test(key) || !isPort(Number(key)))
        report(["spec", "portLevelMtls", key], "port must be a number in the range 1..65535");
    }
  }
  for (const problem of labelMapProblems(((spec.selector ?? {}) as JsonObject).matchLabels))
    report(["spec", "selector", "matchLabels"], problem);
  return errors;
}
