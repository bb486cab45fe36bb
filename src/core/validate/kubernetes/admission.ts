import type { FieldError } from "../field-errors.js";
import { isDns1123Subdomain } from "../../dns-names.js";
import { duplicate, invalid, required, unsupported, type Path } from "./api-errors.js";

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const map = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});

const operations = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];

function webhookErrors(object: Json, mutating: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  for (const [index, webhook] of list(object.webhooks).entries()) {
    const here: Path = ["webhooks", index];
    const name = typeof webhook.name === "string" ? webhook.name : "";
    if (name.split(".").length < 3)
      errors.push(invalid([...here, "name"], name, "K8S_NAME", "should be a domain with at least three segments separated by dots"));
    else if (!isDns1123Subdomain(name)) {
      errors.push(
        invalid(
          [...here, "name"],
          name,
          "K8S_NAME",
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ),
      );
    }
    if (names.has(name)) errors.push(duplicate([...here, "name"], name));
    names.add(name);
    const sideEffects = webhook.sideEffects;
    if (typeof sideEffects === "string" && sideEffects !== "None" && sideEffects !== "NoneOnDryRun") {
      errors.push(unsupported([...here, "sideEffects"], sideEffects, ["None", "NoneOnDryRun"]));
    }
    const versions = Array.isArray(webhook.admissionReviewVersions) ? (webhook.admissionReviewVersions as string[]) : [];
    if (!versions.includes("v1") && !versions.includes("v1beta1")) {
      errors.push(
        versions.length === 0
          ? required([...here, "admissionReviewVersions"], "K8S_REQUIRED", "must specify one of v1, v1beta1")
          : invalid([...here, "admissionReviewVersions"], versions, "K8S_INVALID", "must include at least one of v1, v1beta1"),
      );
    }
    for (const [field, allowed] of [
      ["failurePolicy", ["Fail", "Ignore"]],
      ["matchPolicy", ["Equivalent", "Exact"]],
      ...(mutating ? [["reinvocationPolicy", ["IfNeeded", "Never"]] as const] : []),
    ] as const) {
      const value = webhook[field];
      if (value !== undefined && !(allowed as readonly string[]).includes(value as string))
        errors.push(unsupported([...here, field], value, allowed));
    }
    const timeout = webhook.timeoutSeconds;
    if (typeof timeout === "number" && (timeout < 1 || timeout > 30)) {
      errors.push(invalid([...here, "timeoutSeconds"], timeout, "K8S_INVALID", "the timeout value must be between 1 and 30 seconds"));
    }
    const clientConfig = map(webhook.clientConfig);
    if ((clientConfig.url === undefined) === (clientConfig.service === undefined)) {
      errors.push(required([...here, "clientConfig"], "K8S_REQUIRED", "exactly one of url or service is required"));
    }
    for (const [ruleIndex, rule] of list(webhook.rules).entries()) {
      for (const operation of Array.isArray(rule.operations) ? (rule.operations as unknown[]) : []) {
        if (!operations.includes(operation as string))
          errors.push(unsupported([...here, "rules", ruleIndex, "operations"], operation, operations));
      }
      const scope = rule.scope;
      if (scope !== undefined && !["*", "Cluster", "Namespaced"].includes(scope as string)) {
        errors.push(unsupported([...here, "rules", ruleIndex, "scope"], scope, ["*", "Cluster", "Namespaced"]));
      }
    }
  }
  return errors;
}

export function validatingWebhookErrors(object: Json): FieldError[] {
  return webhookErrors(object, false);
}

export function mutatingWebhookErrors(object: Json): FieldError[] {
  return webhookErrors(object, true);
}

export function validatingAdmissionPolicyErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const errors: FieldError[] = [];
  if (list(spec.validations).length === 0 && list(spec.auditAnnotations).length === 0) {
    errors.push(required(["spec", "validations"], "K8S_REQUIRED", "validations or auditAnnotations must contain at least one item"));
  }
  if (spec.failurePolicy !== undefined && spec.failurePolicy !== "Fail" && spec.failurePolicy !== "Ignore") {
    errors.push(unsupported(["spec", "failurePolicy"], spec.failurePolicy, ["Fail", "Ignore"]));
  }
  for (const [index, validation] of list(spec.validations).entries()) {
    if (typeof validation.expression !== "string" || validation.expression.trim() === "") {
      errors.push(required(["spec", "validations", index, "expression"], "K8S_REQUIRED"));
    }
  }
  return errors;
}

const validationActions = ["Audit", "Deny", "Warn"];

export function validatingAdmissionPolicyBindingErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const errors: FieldError[] = [];
  if (typeof spec.policyName !== "string" || spec.policyName === "") errors.push(required(["spec", "policyName"], "K8S_REQUIRED"));
  const actions = Array.isArray(spec.validationActions) ? (spec.validationActions as unknown[]) : [];
  if (actions.length === 0)
    errors.push(required(["spec", "validationActions"], "K8S_REQUIRED", "at least one validation action is required"));
  for (const [index, action] of actions.entries()) {
    if (!validationActions.includes(action as string))
      errors.push(unsupported(["spec", "validationActions", index], action, validationActions));
  }
  if (actions.includes("Deny") && actions.includes("Warn")) {
    errors.push(
      invalid(
        ["spec", "validationActions"],
        actions,
        "K8S_INVALID",
        "must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)",
      ),
    );
  }
  return errors;
}

export function customResourceDefinitionErrors(object: Json): FieldError[] {
  const spec = map(object.spec);
  const errors: FieldError[] = [];
  const group = typeof spec.group === "string" ? spec.group : "";
  const plural = typeof map(spec.names).plural === "string" ? (map(spec.names).plural as string) : "";
  const name = map(object.metadata).name;
  if (typeof name === "string" && group !== "" && plural !== "" && name !== `${plural}.${group}`) {
    errors.push(invalid(["metadata", "name"], name, "K8S_NAME", 'must be spec.names.plural+"."+spec.group'));
  }
  if (group !== "" && !group.includes("."))
    errors.push(invalid(["spec", "group"], group, "K8S_NAME", "should be a domain with at least one dot"));
  if (spec.scope !== undefined && spec.scope !== "Cluster" && spec.scope !== "Namespaced") {
    errors.push(unsupported(["spec", "scope"], spec.scope, ["Cluster", "Namespaced"]));
  }
  const versions = list(spec.versions);
  if (versions.length === 0)
    errors.push(invalid(["spec", "versions"], versions, "K8S_REQUIRED", "must have exactly one version marked as storage version"));
  else if (versions.filter((version) => version.storage === true).length !== 1) {
    errors.push(invalid(["spec", "versions"], versions, "K8S_INVALID", "must have exactly one version marked as storage version"));
  }
  const seen = new Set<string>();
  for (const [index, version] of versions.entries()) {
    if (typeof version.name === "string") {
      if (seen.has(version.name)) errors.push(duplicate(["spec", "versions", index, "name"], version.name));
      seen.add(version.name);
    }
  }
  return errors;
}
