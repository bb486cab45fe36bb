import type { Command } from "commander";
import type { ClusterAccessOptions } from "../kube/index.js";
import type { CliContext } from "./context.js";

/** Cluster access from the global flags; shared by the lifecycle commands. */
export async function clusterAccess(context: CliContext, command: Command, requestTimeout: string): Promise<ClusterAccessOptions> {
  const { parseDuration } = await import("../kube/duration.js");
  const globals = context.globals(command);
  return {
    ...(globals.kubeconfig ? { kubeconfig: globals.kubeconfig } : {}),
    ...(globals.context ? { context: globals.context } : {}),
    env: context.io.env,
    requestTimeoutMs: parseDuration(requestTimeout, "--request-timeout"),
    ...(globals.verbose
      ? {
          onRetry: (event) =>
            context.io.stderr.write(
              `Retrying ${event.action} (attempt ${event.attempt + 1} of ${event.maxAttempts}) in ${event.delayMs}ms after ${event.reason}\n`,
            ),
        }
      : {}),
  };
}
