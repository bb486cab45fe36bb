import type { Command } from "commander";
import { UsageError } from "../../core/errors.js";
import type { KubeObject } from "../../core/objects.js";
import type { CliContext } from "../context.js";
import { requestTimeoutOption, timeoutOption } from "../options.js";
import { outputFormat } from "../output.js";
import { clusterAccess, withinTimeout } from "../cluster-access.js";
import { confirm } from "../prompt.js";
import { renderPlan } from "../plan.js";
import { collect } from "../options.js";

interface UninstallFlags {
  purge?: boolean;
  revision?: string;
  set: string[];
  filename: string[];
  skipConfirmation?: boolean;
  dryRun?: boolean;
  requestTimeout: string;
  timeout?: string;
}

export function register(program: Command, context: CliContext): void {
  program
    .command("uninstall")
    .description("Remove what mesh install applied: everything (--purge), one revision (-r), or what -f/--set render")
    .option("--purge", "remove every object mesh or istioctl installed, CRDs (and so all Istio configuration) included")
    .option("-r, --revision <revision>", "remove this revision's control plane and gateways")
    .option("-s, --set <path=value>", "select by rendering with this IstioOperator field (repeatable)", collect, [])
    .option("-f, --filename <file>", "select by rendering this IstioOperator overlay (repeatable)", collect, [])
    .option("-y, --skip-confirmation", "do not ask for confirmation")
    .option("--dry-run", "print what would be removed without removing it")
    .addOption(requestTimeoutOption())
    .addOption(timeoutOption())
    .addHelpText("after", "\nExit codes: 0 removed (or nothing to remove), 1 cancelled, 2 usage error, 3 cluster error.")
    .action((flags: UninstallFlags, command: Command) => withinTimeout(flags.timeout, () => runUninstall(flags, command, context)));
}

async function runUninstall(flags: UninstallFlags, command: Command, context: CliContext): Promise<void> {
  const globals = context.globals(command);
  const selectsByRender = flags.set.length > 0 || flags.filename.length > 0;
  if (!flags.purge && flags.revision === undefined && !selectsByRender) {
    throw new UsageError("at least one of --purge, --revision (-r), --filename (-f) or --set must be given", {
      hint: "mesh uninstall --purge removes everything mesh installed",
    });
  }
  const err = (line: string) => {
    if (!globals.quiet) context.io.stderr.write(`${line}\n`);
  };
  if (flags.purge && (flags.revision !== undefined || selectsByRender))
    err("Warning: --purge removes everything; --revision, -f and --set are ignored.");
  const access = await clusterAccess(context, command, flags.requestTimeout);
  const rendered =
    !flags.purge && selectsByRender
      ? await renderPlan({ ...flags, ...(flags.revision !== undefined ? { revision: flags.revision } : {}) }, context, command)
      : undefined;
  const kube = await import("../../kube/index.js");
  const { describeObject } = await import("../../core/objects.js");
  const cluster = await kube.connectCluster(access);
  try {
    const revision = rendered ? rendered.plan.revision : flags.revision;
    let targets: KubeObject[] = await kube.findUninstallTargets(cluster, {
      purge: flags.purge ?? false,
      ...(revision !== undefined ? { revision } : {}),
    });
    if (rendered) {
      const wanted = new Set(
        rendered.plan.components
          .filter((component) => component.component !== "Base")
          .flatMap((component) => component.objects.map(kube.identityOf)),
      );
      targets = targets.filter((object) => wanted.has(kube.identityOf(object)));
    }
    if (targets.length === 0) {
      err("No resources will be pruned from the cluster. Please double check the input configs.");
      return;
    }
    if (!flags.dryRun && !flags.skipConfirmation) {
      const question = flags.purge
        ? "All Istio resources will be pruned from the cluster\nProceed?"
        : `The following resources will be pruned from the cluster:\n${targets.map((object) => `  ${describeObject(object)}`).join("\n")}\nProceed?`;
      if (!(await confirm(context, question, "uninstall"))) {
        context.io.stderr.write("Cancelled.\n");
        context.exitCode = 1;
        return;
      }
    }
    const reports = await kube.deleteObjects(cluster, targets, { dryRun: flags.dryRun ?? false }, (report) => {
      const name = describeObject(report.object);
      if (report.result === "dry run") err(`  Not pruning ${name} because of dry run.`);
      else if (report.result === "already gone") err(`  ${name} was already gone.`);
      else err(`  Removed ${name}.`);
    });
    if (outputFormat(context, command) === "json") {
      const { toJson } = await import("../../core/documents/write.js");
      context.io.stdout.write(
        toJson({
          dryRun: flags.dryRun ?? false,
          objects: reports.map((report) => ({ object: describeObject(report.object), result: report.result })),
        }),
      );
    }
    err(flags.dryRun ? `Dry run: ${reports.length} objects would be removed. Nothing was changed.` : "✔ Uninstall complete");
  } finally {
    cluster.close();
  }
}
