import type { Command } from "commander";
import { ClusterError, UsageError } from "../../core/errors.js";
import type { KubeObject } from "../../core/objects.js";
import type { LockHolder } from "../../kube/index.js";
import type { CliContext } from "../context.js";
import { collect, requestTimeoutOption, timeoutOption } from "../options.js";
import { outputFormat } from "../output.js";
import { clusterAccess, withinTimeout } from "../cluster-access.js";
import { confirm } from "../prompt.js";
import { renderPlan } from "../plan.js";
import { lockPoll } from "./install.js";

interface UninstallFlags {
  purge?: boolean;
  revision?: string;
  set: string[];
  filename: string[];
  skipConfirmation?: boolean;
  dryRun?: boolean;
  force?: boolean;
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
    .option("--force", "with --purge, delete the CRDs without asking even though custom resources would go with them")
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
    // Deleting a CRD deletes every custom resource of its kind: the user's VirtualServices, Gateways…
    const stored = flags.purge ? await kube.countCustomResources(cluster, targets) : [];
    const doomed = stored.filter((entry) => entry.count !== 0);
    if (doomed.length > 0) {
      const total = doomed.reduce((sum, entry) => sum + (entry.count ?? 0), 0);
      err(`Deleting the CRDs also deletes ${total} custom resources stored in them:`);
      for (const entry of doomed) err(`  ${entry.kind}: ${entry.count ?? "unknown number (could not list)"} (${entry.crd})`);
      if (!flags.dryRun && !flags.force) {
        if (!context.io.stdin.isTTY) {
          throw new UsageError("refusing to delete custom resources without confirmation: standard input is not a terminal", {
            hint: "back them up (kubectl get <kind> -A -o yaml), then pass --force to delete them with their CRDs",
          });
        }
        if (!(await confirm(context, "Delete these custom resources with their CRDs?", "delete custom resources"))) {
          context.io.stderr.write("Cancelled.\n");
          context.exitCode = 1;
          return;
        }
      }
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
    const namespace = rendered?.plan.namespace ?? "istio-system";
    const lock =
      !flags.dryRun && (await cluster.get({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } }))
        ? {
            namespace,
            operation: flags.purge ? "uninstall --purge" : `uninstall (revision ${revision ?? "default"})`,
            waitMs: 5 * 60_000,
            ...lockPoll(context),
            onWaiting: (holder: LockHolder) =>
              err(`Waiting for another mesh run to finish: the install lock is held by ${kube.describeHolder(holder)}`),
          }
        : undefined;
    const reports = await kube.withInstallLock(cluster, lock, () =>
      kube.deleteObjects(cluster, targets, { dryRun: flags.dryRun ?? false }, (report) => {
        const name = describeObject(report.object);
        if (report.result === "dry run") err(`  Not pruning ${name} because of dry run.`);
        else if (report.result === "already gone") err(`  ${name} was already gone.`);
        else if (report.result === "failed") err(`  Could not remove ${name}: ${report.error ?? "unknown error"}`);
        else err(`  Removed ${name}.`);
      }),
    );
    const left = reports.filter((report) => report.result === "failed");
    if (outputFormat(context, command) === "json") {
      const { toJson } = await import("../../core/documents/write.js");
      context.io.stdout.write(
        toJson({
          dryRun: flags.dryRun ?? false,
          objects: reports.map((report) => ({
            object: describeObject(report.object),
            result: report.result,
            ...(report.error ? { error: report.error } : {}),
          })),
          ...(flags.purge ? { customResources: stored } : {}),
        }),
      );
    }
    if (left.length > 0) {
      err(`Removed ${reports.length - left.length} of ${reports.length} objects; ${left.length} left:`);
      for (const report of left) err(`  ${describeObject(report.object)}`);
      throw new ClusterError(`uninstall incomplete: ${left.length} objects could not be removed`, {
        hint: "fix the cause above and run the same command again; it removes only what is left",
      });
    }
    err(flags.dryRun ? `Dry run: ${reports.length} objects would be removed. Nothing was changed.` : "✔ Uninstall complete");
  } finally {
    cluster.close();
  }
}
