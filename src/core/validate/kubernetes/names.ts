import { DNS1123_LABEL_MAX_LENGTH, isDns1123Label, isDns1123Subdomain } from "../../dns-names.js";

/** The API server's name checks (k8s.io/apimachinery/pkg/util/validation) with their exact messages. */

export const DNS1123_LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** IsDNS1123Label: container, volume and namespace names. */
export function dns1123LabelProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length > DNS1123_LABEL_MAX_LENGTH) problems.push(`must be no more than ${DNS1123_LABEL_MAX_LENGTH} characters`);
  // The character rule alone: a long name of valid characters is a subdomain without dots.
  const wellFormed = isDns1123Label(name) || (!name.includes(".") && isDns1123Subdomain(name));
  if (!wellFormed) problems.push(DNS1123_LABEL_MESSAGE);
  return problems;
}

const configKey = /^[-._a-zA-Z0-9]+$/;

/** IsConfigMapKey: keys of ConfigMap and Secret data. */
export function configKeyProblems(key: string): string[] {
  const problems: string[] = [];
  if (key.length > 253) problems.push("must be no more than 253 characters");
  if (!configKey.test(key)) {
    problems.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  }
  if (key === ".") problems.push("must not be '.'");
  else if (key === "..") problems.push("must not be '..'");
  else if (key.startsWith("..")) problems.push("must not start with '..'");
  return problems;
}

/** Environment variable names since RelaxedEnvironmentVariableValidation (on by default from Kubernetes 1.32). */
export function envVarNameProblems(name: string): string[] {
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(name)
    ? []
    : ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
}

/** IsValidPercent, as rolling-update maxSurge/maxUnavailable strings use it. */
export function percentProblems(text: string): string[] {
  return /^[0-9]+%$/.test(text)
    ? []
    : [
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ];
}
