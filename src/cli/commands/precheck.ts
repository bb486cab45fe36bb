import type { Command } from "commander";
import { UsageError } from "../../core/errors.js";
import type { CliContext } from "../context.js";
import { clusterAccess } from "../cluster-access.js";
import { renderPlan } from "../plan.js";
import { collect, requestTimeoutOption } from "../options.js";

interface PrecheckFlags {
  set: string[];
  filename: string[];
  revision?: string;
  requestTimeout: string;
}

export function register(program: Command, context: CliContext): void {
  program
    .command("precheck")
    .description(
      "Check whether Istio can be installed or upgraded here (istioctl x precheck): version, permissions, existing Istio, Gateway API, webhooks",
    )
    .option("-s, --set <path=value>", "check for the install these IstioOperator fields render (repeatable)", collect, [])
    .option("-f, --filename <file>", "check for the install this IstioOperator overlay renders (repeatable)", collect, [])
    .option("-r, --revision <revision>", "control plane revision to check for")
    .addOption(requestTimeoutOption())
    .addHelpText(
      "after",
      "\nOutput: one line per problem with its fix, or -o json. Exit codes: 0 safe to install, 1 problems found, 2 usage error, 3 cluster error.",
    )
    .action((flags: PrecheckFlags, command: Command) => runPrecheck(flags, command, context));
}

async function runPrecheck(flags: PrecheckFlags, command: Command, context: CliContext): Promise<void> {
  const globals = context.globals(command);
  const output = globals.output ?? "text";
  if (output !== "text" && output !== "json")
    throw new UsageError(`unknown output format "${output}" for precheck`, { hint: "use -o json" });
  const access = await clusterAccess(context, command, flags.requestTimeout);
  const { plan } = await renderPlan(flags, context, command);
  const kube = await import("../../kube/index.js");
  const { precheck } = await import("../../kube/precheck.js");
  const cluster = await kube.connectCluster(access);
  let problems;
  try {
    problems = await precheck(cluster, plan);
  } finally {
    cluster.close();
  }
  const failed = problems.some((problem) => problem.level === "error");
  if (output === "json") {
    const { toJson } = await import("../../core/documents/write.js");
    context.io.stdout.write(toJson({ safe: !failed, problems }));
  } else {
    for (const problem of problems)
      context.io.stdout.write(`${problem.level === "error" ? "✘" : "i"} ${problem.check}: ${problem.message}. Fix: ${problem.fix}\n`);
    if (!failed && !globals.quiet)
      context.io.stderr.write("✔ No issues found when checking the cluster. Istio is safe to install or upgrade!\n");
  }
  if (failed) context.exitCode = 1;
}
