/** Port numbers and names as k8s.io/apimachinery/pkg/util/validation checks them (IsValidPortNum, IsValidPortName). */

export const PORT_RANGE_MESSAGE = "must be between 1 and 65535, inclusive";

export function isValidPortNumber(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** IANA_SVC_NAME (RFC 6335): problems, empty when valid. */
export function portNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length > 15) problems.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(name)) problems.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (name.includes("--")) problems.push("must not contain consecutive hyphens");
  if (!/[a-z]/.test(name)) problems.push("must contain at least one letter (a-z)");
  if (name.startsWith("-") || name.endsWith("-")) problems.push("must not begin or end with a hyphen");
  return problems;
}
