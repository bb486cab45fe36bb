import type { Command } from "commander";
import { ClusterError } from "../core/errors.js";
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

/**
 * Runs a command's cluster work under `--timeout` (no limit without it). Past the limit mesh stops with exit 3; the
 * requests still in flight are abandoned when the process exits (bin/mesh.js exits once main returns).
 */
export async function withinTimeout<T>(timeout: string | undefined, work: () => Promise<T>): Promise<T> {
  if (timeout === undefined) return work();
  const { parseDuration } = await import("../kube/duration.js");
  const limitMs = parseDuration(timeout, "--timeout");
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ClusterError(`stopped after ${timeout} (--timeout ${timeout}): the cluster work did not finish in time`, {
            hint: "raise --timeout, or check the cluster and run the same command again (it continues where it stopped)",
          }),
        ),
      limitMs,
    );
  });
  try {
    return await Promise.race([work(), expired]);
  } finally {
    clearTimeout(timer);
  }
}
