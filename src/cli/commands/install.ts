import type { Command } from "commander";
import { ClusterError, FindingsError } from "../../core/errors.js";
import type { KubeObject } from "../../core/objects.js";
import type { Cluster, InstallEvent, InstallPlan, InstallResult } from "../../kube/index.js";
import type { CliContext, OutputStream } from "../context.js";
import { manifestsOptions, requestTimeoutOption, timeoutOption } from "../options.js";
import { outputFormat } from "../output.js";
import { isOlderVersion } from "../../core/versions.js";
import { clusterAccess, withinTimeout } from "../cluster-access.js";
import { renderPlan } from "../plan.js";
import { confirm } from "../prompt.js";
import { collect } from "../options.js";
import { painter } from "../painter.js";

export interface InstallFlags {
  set: string[];
  filename: string[];
  revision?: string;
  skipConfirmation?: boolean;
  dryRun?: boolean;
  force?: boolean;
  forceConflicts?: boolean;
  readinessTimeout: string;
  requestTimeout: string;
  timeout?: string;
  prune: boolean;
  withGatewayApi?: boolean;
  manifests?: string;
  manifestsSha256?: string;
}

export function register(program: Command, context: CliContext): void {
  installOptions(
    program
      .command("install")
      .description("Install Istio into the cluster: server-side apply, wait until ready, prune what the profile no longer has"),
  )
    .addHelpText(
      "after",
      "\nOutput: text progress on stderr, or -o json. Exit codes: 0 installed, 1 not ready in time or cancelled, 2 usage or input error, 3 cluster error (unreachable, denied, conflicts).",
    )
    .action((flags: InstallFlags, command: Command) => withinTimeout(flags.timeout, () => runInstall(flags, command, context)));
}

/** install's flags; `mesh upgrade` takes the same. */
export function installOptions(command: Command): Command {
  return command
    .option("-s, --set <path=value>", "set an IstioOperator field, relative to spec (repeatable)", collect, [])
    .option("-f, --filename <file>", "IstioOperator overlay file, merged in order (repeatable, comma-separated)", collect, [])
    .option("-r, --revision <revision>", "control plane revision (same as --set revision=…)")
    .option("-y, --skip-confirmation", "do not ask for confirmation")
    .option("--dry-run", "validate on the server (dryRun=All) without changing anything; offline, print the objects")
    .option("--force", "install even if the IstioOperator fails validation")
    .option("--force-conflicts", "take ownership of fields that other field managers own")
    .option("--readiness-timeout <duration>", "how long to wait for each component to become ready", "5m")
    .addOption(requestTimeoutOption())
    .addOption(timeoutOption())
    .option("--no-prune", "keep objects of earlier installs that the new render no longer contains")
    .option("--with-gateway-api", "first install or upgrade the Gateway API CRDs (v1.5.1 standard) as `mesh gateway-api install` does")
    .addOption(manifestsOptions()[0]!)
    .addOption(manifestsOptions()[1]!);
}

export async function runInstall(flags: InstallFlags, command: Command, context: CliContext): Promise<void> {
  const globals = context.globals(command);
  const output = outputFormat(context, command);
  const { parseDurationFlag } = await import("../../core/durations.js");
  const readinessTimeoutMs = parseDurationFlag(flags.readinessTimeout, "--readiness-timeout");
  const access = await clusterAccess(context, command, flags.requestTimeout);
  const kubeModule = import("../../kube/index.js");
  // Reaching the cluster (kubeconfig, TLS, version, discovery) overlaps rendering; errors surface where they did.
  const connecting = kubeModule.then(async (kube) => {
    const cluster = await kube.connectCluster(access);
    return { cluster, version: kube.warmUp(cluster) };
  });
  connecting.catch(() => {});
  let rendered: Awaited<ReturnType<typeof renderPlan>>;
  try {
    rendered = await renderPlan(flags, context, command);
  } catch (error) {
    connecting.then(({ cluster }) => cluster.close()).catch(() => {});
    throw error;
  }
  const { generated, plan, version } = rendered;
  const objectCount = plan.components.reduce((sum, component) => sum + component.objects.length, 0);
  const kube = await kubeModule;
  const err = (line: string) => {
    if (!globals.quiet) context.io.stderr.write(`${line}\n`);
  };
  if (flags.manifests === undefined && plan.components.some((component) => component.objects.some(isIstioCrd)))
    err(
      `Note: mesh's Istio CRDs are structural only: \`kubectl explain\` will show no field docs for Istio resources. For Istio's own CRDs with their docs, pass --manifests <istio-${version}/manifests or the release archive>.`,
    );

  let cluster: Cluster;
  try {
    const connected = await connecting;
    cluster = connected.cluster;
    const server = await (connected.version ?? cluster.version());
    const minor = Number.parseInt(server.minor, 10);
    if (server.major === "1" && minor < 32) {
      err(
        `Warning: the Kubernetes version ${server.gitVersion} is not supported by Istio ${version}. The minimum supported Kubernetes version is 1.32. Proceeding with the installation, but you might experience problems.`,
      );
    }
  } catch (error) {
    if (!flags.dryRun || !(error instanceof ClusterError) || error instanceof kube.KubeApiError) throw error;
    return printOfflineDryRun(plan, objectCount, error, output, context);
  }

  try {
    if (!flags.dryRun && !flags.skipConfirmation) {
      const proceed = await confirm(
        context,
        `This will install the Istio ${version} profile "${generated.profile}" into the cluster. Proceed?`,
        "install",
      );
      if (!proceed) {
        context.io.stderr.write("Cancelled.\n");
        context.exitCode = 1;
        return;
      }
    }
    if (flags.withGatewayApi)
      await (
        await import("./gateway-api.js")
      ).ensureGatewayApiBeforeIstio(cluster, context, command, { dryRun: flags.dryRun ?? false, timeoutMs: readinessTimeoutMs });
    if (flags.dryRun) {
      const { printPlannedChanges } = await import("../dry-run.js");
      await printPlannedChanges(cluster, plan, { output, forceConflicts: flags.forceConflicts ?? false }, context, err);
      return;
    }
    const progress = await createProgress(context, command, globals.quiet || output === "json");
    const onEvent = (event: InstallEvent) => {
      if (event.type === "lock-waiting") {
        if (!globals.quiet)
          context.io.stderr.write(`Waiting for another mesh run to finish: the install lock is held by ${event.holder}\n`);
        return;
      }
      if (event.type === "version-change") {
        const direction = isOlderVersion(event.to, event.from) ? "downgraded" : "upgraded";
        context.io.stderr.write(
          `WARNING: Istio is being ${direction} from ${event.from} to ${event.to}.\n         Consider a canary upgrade with --revision to roll back safely.\n`,
        );
        return;
      }
      progress.onEvent(event);
    };
    const result = await kube.installPlan(
      cluster,
      plan,
      {
        dryRun: flags.dryRun ?? false,
        forceConflicts: flags.forceConflicts ?? false,
        readinessTimeoutMs,
        prune: flags.prune,
        lock: {
          operation: `install (profile ${generated.profile}, revision ${plan.revision})`,
          waitMs: readinessTimeoutMs,
          ...lockPoll(context),
        },
      },
      onEvent,
    );
    progress.stop();
    await reportResult(result, { plan, flags, output, readinessTimeoutMs, profile: generated.profile, objectCount }, context, err);
  } finally {
    cluster.close();
  }
}

function isIstioCrd(object: KubeObject): boolean {
  return object.kind === "CustomResourceDefinition" && (object.metadata.name ?? "").endsWith(".istio.io");
}

function printOfflineDryRun(
  plan: InstallPlan,
  objectCount: number,
  error: ClusterError,
  output: string,
  context: CliContext,
): Promise<void> {
  return (async () => {
    const { withOwnerLabels } = await import("../../kube/ownership.js");
    const { manifestYaml, manifestJson } = await import("../../core/render/index.js");
    const objects: KubeObject[] = plan.components.flatMap((component) =>
      component.objects.map((object) =>
        withOwnerLabels(object, {
          component: component.component,
          revision: plan.revision,
          namespace: plan.namespace,
          version: plan.version,
        }),
      ),
    );
    context.io.stderr.write(
      `The cluster is not reachable (${error.message}).\nDry run without a cluster: printing the ${objectCount} objects that would be applied; the API server did not validate them.\n`,
    );
    context.io.stdout.write(output === "json" ? manifestJson(objects) : manifestYaml(objects));
  })();
}

interface Progress {
  onEvent(event: InstallEvent): void;
  stop(): void;
}

/** One live line on a TTY (ora), plain lines otherwise; permanent ✔ lines per finished component. */
async function createProgress(context: CliContext, command: Command, silent: boolean): Promise<Progress> {
  const { installEventLine, progressLine } = await import("../lifecycle-text.js");
  const color = context.stderrColor(command);
  const { green } = await painter(color);
  const check = (text: string) => text.replace(/^\u2714/, green("\u2714"));
  const active = new Map<string, string[]>();
  const line = () => progressLine([...active.keys()], [...active.values()].flat());
  /** Tracks the components in progress; returns the event's permanent line, if it leaves one. */
  const follow = (event: InstallEvent): string | undefined => {
    if (event.type === "component-started") active.set(event.component.displayName, []);
    if (event.type === "component-waiting") active.set(event.component.displayName, event.pending);
    if (event.type === "component-installed" || event.type === "component-failed") active.delete(event.component.displayName);
    const permanent = installEventLine(event);
    return permanent === undefined ? undefined : check(permanent);
  };
  if (silent) return { onEvent: () => {}, stop: () => {} };
  const stderr = context.io.stderr as OutputStream & Partial<NodeJS.WriteStream>;
  const columns = stderr.columns ?? 0;
  // A pseudo-terminal without a size (columns 0) makes a spinner redraw loop forever: plain lines then.
  // On a terminal, stderr is Node's own stream (processIo), which the spinner needs.
  if (stderr.isTTY && columns > 0 && typeof stderr.on === "function") {
    const { default: ora } = await import("ora");
    const fit = (text: string) => (text.length >= columns ? `${text.slice(0, Math.max(columns - 4, 10))}…` : text);
    const spinner = ora({ stream: stderr as NodeJS.WriteStream, isEnabled: true, color: color ? "cyan" : false });
    return {
      onEvent(event) {
        const permanent = follow(event);
        if (permanent !== undefined) spinner.stopAndPersist({ symbol: "", text: permanent });
        else if (event.type === "component-failed") spinner.stop();
        if (active.size > 0) spinner.start(fit(line()));
      },
      stop: () => spinner.stop(),
    };
  }
  let last = "";
  const write = (text: string) => context.io.stderr.write(`${text}\n`);
  return {
    onEvent(event) {
      const permanent = follow(event);
      if (permanent !== undefined) write(permanent);
      const current = active.size > 0 ? `- ${line()}` : "";
      if (current && current !== last) write(current);
      last = current;
    },
    stop: () => {},
  };
}

function reportResult(
  result: InstallResult,
  info: { plan: InstallPlan; flags: InstallFlags; output: string; readinessTimeoutMs: number; profile: string; objectCount: number },
  context: CliContext,
  err: (line: string) => void,
): Promise<void> {
  return (async () => {
    const { failureLines, failedInstallSummary } = await import("../lifecycle-text.js");
    const dryRun = info.flags.dryRun ?? false;
    if (info.output === "json") {
      const { toJson } = await import("../../core/documents/write.js");
      context.io.stdout.write(
        toJson({
          profile: info.profile,
          revision: info.plan.revision,
          namespace: info.plan.namespace,
          dryRun,
          complete: result.failures.length === 0,
          applied: result.applied,
          pending: result.pending,
          pruned: result.pruned,
          failures: result.failures.map(({ error: _error, ...failure }) => failure),
          ...(result.ingressAddress ? { ingressAddress: result.ingressAddress } : {}),
        }),
      );
    }
    if (result.failures.length > 0) {
      for (const failure of result.failures) for (const line of failureLines(failure, info.readinessTimeoutMs)) err(line);
      for (const line of failedInstallSummary(result)) err(line);
      const message = `failed to install manifests: ${result.failures.map((failure) => `${failure.displayName}: ${failure.notReady ? "not ready in time" : failure.conflicts ? "field manager conflicts" : failure.message.split("\n")[0]}`).join("; ")}`;
      const onlyTimeouts = result.failures.every((failure) => failure.notReady);
      if (onlyTimeouts) throw new FindingsError(message);
      throw new ClusterError(
        message,
        result.failures.some((failure) => failure.conflicts)
          ? { hint: "re-run with --force-conflicts to take ownership of the conflicting fields" }
          : {},
      );
    }
    if (dryRun) {
      const counts = { created: 0, configured: 0, unchanged: 0 };
      for (const entry of result.applied) if (entry.outcome) counts[entry.outcome]++;
      if (info.output !== "json") {
        for (const entry of result.applied) err(`  ${entry.object}: would be ${entry.outcome}`);
        for (const object of result.pruned) err(`  ${object}: would be pruned`);
      }
      err(
        `Dry run: ${counts.created} objects would be created, ${counts.configured} configured, ${counts.unchanged} unchanged; ${result.pruned.length} would be pruned. Nothing was changed.`,
      );
      return;
    }
    const changed = result.applied.filter((entry) => entry.outcome !== "unchanged").length;
    err(`✔ Installation complete${changed === 0 && result.pruned.length === 0 ? " (no changes)" : ""}`);
    if (result.ingressAddress) err(`  Ingress gateway address: ${result.ingressAddress}`);
    if (info.profile === "ambient" && info.output !== "json")
      context.io.stdout.write("The ambient profile has been installed successfully, enjoy Istio without sidecars!\n");
  })();
}

/** MESH_LOCK_POLL_MS shortens the wait between looks at a held lock (tests). */
export function lockPoll(context: CliContext): { pollMs?: number } {
  const value = Number(context.io.env.MESH_LOCK_POLL_MS);
  return Number.isFinite(value) && value > 0 ? { pollMs: value } : {};
}
