import { UsageError } from "../../errors.js";
import type { Finding, ResourceIdentity } from "../../findings.js";

/** One `--suppress CODE=RESOURCE` rule, as istioctl analyze takes it: `IST0102=Namespace frod`, `IST0101=VirtualService *.shop`. */
export interface Suppression {
  code: string;
  resource: RegExp;
}

export function parseSuppressions(values: readonly string[]): Suppression[] {
  return values.map((value) => {
    const parts = value.split("=");
    if (parts.length !== 2 || parts[0]!.trim() === "" || parts[1]!.trim() === "") {
      throw new UsageError(`--suppress ${JSON.stringify(value)} is not a valid suppression value`, {
        hint: 'use CODE=RESOURCE, e.g. --suppress "IST0102=Namespace frod" or "IST0101=VirtualService *.shop" (* matches any text)',
      });
    }
    const pattern = parts[1]!
      .trim()
      .split("*")
      .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    return { code: parts[0]!.trim(), resource: new RegExp(`^${pattern}$`) };
  });
}

/** istioctl's name for a resource in messages and suppressions: `Kind name.namespace` (`Kind name` when cluster-scoped). */
export function friendlyName(resource: ResourceIdentity | undefined): string {
  if (!resource) return "";
  return `${resource.kind ?? ""} ${resource.name ?? ""}${resource.namespace ? `.${resource.namespace}` : ""}`;
}

export function isSuppressed(finding: Finding, suppressions: readonly Suppression[]): boolean {
  if (suppressions.length === 0) return false;
  const name = friendlyName(finding.resource);
  return suppressions.some((rule) => rule.code === finding.code && rule.resource.test(name));
}
