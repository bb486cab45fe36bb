/** Text for the lifecycle commands' output, istioctl-shaped. Pure: returns strings, the commands write them. */
import type { ComponentFailure, InstallEvent, InstallResult } from "../kube/install.js";
import { formatDuration } from "../kube/wait.js";

/** istioctl's permanent lines end in an emoji per component. */
const componentEmoji: Record<string, string> = {
  Base: "⛵️",
  Pilot: "🧠",
  IngressGateways: "🛬",
  EgressGateways: "🛫",
  Cni: "🪢",
  Ztunnel: "🔒",
};

export function installedLine(component: { component: string; displayName: string }): string {
  const emoji = componentEmoji[component.component];
  return `✔ ${component.displayName} installed${emoji ? ` ${emoji}` : ""}`;
}

/** The permanent line an install event leaves (a finished component, a created namespace, pruning), if any. */
export function installEventLine(event: InstallEvent): string | undefined {
  switch (event.type) {
    case "component-installed":
      return installedLine(event.component);
    case "namespace-created":
      return `Created namespace ${event.namespace}`;
    case "pruning":
      return "- Pruning removed resources";
    case "pruned":
      return `  Removed ${event.object}.`;
    default:
      return undefined;
  }
}

/** The live status line: `Processing resources for Istio core, Istiod. Waiting for Deployment/istio-system/istiod`. */
export function progressLine(active: readonly string[], waitingFor: readonly string[]): string {
  const base = `Processing resources for ${active.join(", ")}.`;
  if (waitingFor.length === 0) return base;
  const more = waitingFor.length > 1 ? ` (+${waitingFor.length - 1} more)` : "";
  return `${base} Waiting for ${waitingFor[0]}${more}`;
}

export function failureLines(failure: ComponentFailure, timeoutMs: number): string[] {
  if (failure.notReady) {
    return [
      `✘ ${failure.displayName} encountered an error: failed to wait for resource: resources not ready after ${formatDuration(timeoutMs)}`,
      ...failure.notReady.map((entry) => `  ${entry.object}: ${entry.reason}`),
    ];
  }
  if (failure.conflicts) {
    return [
      `✘ ${failure.displayName} encountered an error: server-side apply conflicts with other field managers`,
      ...failure.conflicts.map((conflict) => `  ${conflict.object}: ${conflict.field} is owned by "${conflict.manager}"`),
    ];
  }
  return [`✘ ${failure.displayName} encountered an error: ${failure.message}`];
}

/** After a failed install: what was applied, what is pending, and that running the command again converges. */
export function failedInstallSummary(result: InstallResult): string[] {
  const total = result.applied.length + result.pending.length;
  const lines = [
    `Applied ${result.applied.length} of ${total} objects; ${result.pending.length} pending${result.pending.length > 0 ? ":" : "."}`,
  ];
  for (const entry of result.pending) lines.push(`  ${entry.object}`);
  lines.push(
    "Nothing was rolled back. Fix the cause and run the same command again: mesh install converges, applying only what is missing or changed.",
  );
  return lines;
}

/** Columns padded to their widest cell, separated by three spaces, like kubectl's tables. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join("   ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/** istioctl's names for the components in progress and status output. */
export const componentDisplayNames: Record<string, string> = {
  Base: "Istio core",
  Pilot: "Istiod",
  IngressGateways: "Ingress gateways",
  EgressGateways: "Egress gateways",
  Cni: "CNI",
  Ztunnel: "Ztunnel",
};
