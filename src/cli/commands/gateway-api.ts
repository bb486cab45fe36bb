import { Option, type Command } from "commander";
import { ClusterError } from "../../core/errors.js";
import type { CliContext, CliIo } from "../context.js";
import { withinTimeout } from "../cluster-access.js";
import { requestTimeoutOption, timeoutOption, withVersionPrefix } from "../options.js";
import { outputFormat } from "../output.js";
import type { Cluster } from "../../kube/index.js";
import type { GatewayApiProgress } from "../../kube/gateway-api.js";
import type { BundleRequestOptions } from "../../core/gatewayapi/request.js";

const DEFAULT_TIMEOUT = "2m";

/** The bundle flags are the request's options (core/gatewayapi/request.ts), under the same names. */
interface InstallFlags extends BundleRequestOptions {
  dryRun?: boolean;
  timeout: string;
  skipConfirmation?: boolean;
}

interface UninstallFlags {
  timeout?: string;
  dryRun?: boolean;
  skipConfirmation?: boolean;
}

async function connectCluster(context: CliContext, command: Command): Promise<Cluster> {
  const { clusterAccess } = await import("../cluster-access.js");
  const { connectCluster: connect } = await import("../../kube/index.js");
  return connect(await clusterAccess(context, command, command.opts<{ requestTimeout: string }>().requestTimeout));
}

export function register(program: Command, context: CliContext): void {
  const group = program
    .command("gateway-api")
    .description("Install, inspect and remove the Gateway API CRDs")
    .addHelpText(
      "after",
      "\nBundles come from <base>/<version>/<channel>-install.yaml (base: --base-url, $MESH_GATEWAY_API_BASE_URL or the\n" +
        "official GitHub releases), are verified, and are cached under $XDG_CACHE_HOME/mesh (or ~/.cache/mesh).",
    );

  group
    .command("install")
    .description("Install or upgrade the Gateway API CRDs (server-side apply, field manager mesh)")
    .addOption(
      new Option(
        "--version <version>",
        "Gateway API release, e.g. v1.2.1 or 1.2.1 (default: v1.5.1; with --from-file, the version the bundle's CRDs name)",
      ).argParser(withVersionPrefix),
    )
    .addOption(
      new Option(
        "--channel <channel>",
        "release channel (default: standard; with --from-file, the channel the bundle's CRDs name)",
      ).choices(["standard", "experimental"]),
    )
    .option("--base-url <url>", "mirror with the release layout (also $MESH_GATEWAY_API_BASE_URL)")
    .option("--from-file <path>", "use a bundle file instead of downloading (air-gapped installs; - reads stdin)")
    .option("--sha256 <hex>", "refuse a bundle whose SHA-256 differs")
    .option("--insecure-http", "allow a plain-HTTP mirror that is not on loopback")
    .option("--force", "allow downgrades, channel changes, replacing unrecognised CRDs and untested versions")
    .option("--dry-run", "decide and print the objects that would be applied; change nothing")
    .addOption(new Option("--timeout <duration>", "limit for the download and for the wait for Established").default(DEFAULT_TIMEOUT))
    .addOption(requestTimeoutOption())
    .option("-y, --skip-confirmation", "do not ask for confirmation")
    .action((flags: InstallFlags, command: Command) => withinTimeout(flags.timeout, () => runInstall(flags, command, context)));

  group
    .command("status")
    .description("Show each Gateway API CRD: bundle version, channel, served/stored versions, Established")
    .addOption(requestTimeoutOption())
    .addOption(timeoutOption())
    .action((flags: { timeout?: string }, command: Command) =>
      withinTimeout(flags.timeout, async () => {
        const output = outputFormat(context, command);
        const { gatewayApiStatus } = await import("../../kube/gateway-api.js");
        const cluster = await connectCluster(context, command);
        const status = await gatewayApiStatus(cluster).finally(() => cluster.close());
        if (output === "text") context.io.stdout.write(formatStatus(status));
        else {
          const { toJson, toYaml } = await import("../../core/documents/write.js");
          context.io.stdout.write(output === "json" ? toJson(status) : toYaml(status));
        }
        if (status.problems.length > 0) context.exitCode = 1;
      }),
    );

  group
    .command("uninstall")
    .description("Delete every Gateway API CRD (and with them every Gateway, HTTPRoute, …)")
    .option("--dry-run", "list what would be deleted; delete nothing")
    .option("-y, --skip-confirmation", "do not ask for confirmation")
    .addOption(requestTimeoutOption())
    .addOption(timeoutOption())
    .action((flags: UninstallFlags, command: Command) =>
      withinTimeout(flags.timeout, async () => {
        const cluster = await connectCluster(context, command);
        try {
          await runUninstall(cluster, flags, context, command);
        } catch (error) {
          reportCancelled(error, context);
        } finally {
          cluster.close();
        }
      }),
    );
}

async function runInstall(flags: InstallFlags, command: Command, context: CliContext): Promise<void> {
  const { parseDurationFlag } = await import("../../core/durations.js");
  const timeoutMs = parseDurationFlag(flags.timeout, "--timeout");
  // Flag mistakes are reported before the kubeconfig is even read.
  const { resolveBundleRequest } = await import("../../core/gatewayapi/request.js");
  resolveBundleRequest(flags, context.io.env);
  const { ensureGatewayApiCrds, readRequestedBundle } = await import("../../kube/gateway-api.js");
  const { confirm } = await import("../prompt.js");
  const progress = progressPrinter(context.io, context.globals(command).quiet);
  const options = {
    ...flags,
    timeoutMs,
    env: context.io.env,
    readStdin: async () => (await import("../../core/documents/inputs.js")).readStream(context.io.stdin),
    confirm: flags.skipConfirmation
      ? undefined
      : (summary: string) => confirm(context, `${capitalise(summary)} in the cluster. Proceed?`, "change the Gateway API CRDs"),
  };
  const { toYamlStream } = await import("../../core/documents/write.js");

  const connection = await connectForInstall(context, command, flags.dryRun === true);
  if ("unreachable" in connection) {
    // Like `mesh install --dry-run`: without a cluster, show what would be applied to an empty one.
    const { obtained } = await readRequestedBundle(options, progress);
    const objects = [...obtained.bundle.crds, ...obtained.bundle.policies];
    context.io.stderr.write(
      `The cluster is not reachable (${connection.unreachable.message}).\nDry run without a cluster: printing the ${objects.length} objects a cluster without Gateway API would get; nothing was decided or checked by an API server.\n`,
    );
    context.io.stdout.write(toYamlStream(objects));
    return;
  }
  const { cluster } = connection;
  const output = outputFormat(context, command);
  try {
    const result = await ensureGatewayApiCrds(cluster, options, progress);
    if (output !== "text") {
      const { toJson, toYaml } = await import("../../core/documents/write.js");
      const { describeObject } = await import("../../core/objects.js");
      const summary = {
        version: result.obtained.bundle.version,
        channel: result.obtained.bundle.channel,
        sha256: result.obtained.bundle.sha256,
        action: result.decision.action,
        summary: result.decision.summary,
        dryRun: flags.dryRun === true,
        applied: result.applied,
        objects: result.objects.map(describeObject),
      };
      context.io.stdout.write(output === "json" ? toJson(summary) : toYaml(summary));
    } else if (flags.dryRun && result.objects.length > 0) context.io.stdout.write(toYamlStream(result.objects));
  } catch (error) {
    reportCancelled(error, context);
  } finally {
    cluster.close();
  }
}

/** For --dry-run, an unreachable cluster (not a refusal by a reachable one) is an outcome rather than an error. */
async function connectForInstall(
  context: CliContext,
  command: Command,
  dryRun: boolean,
): Promise<{ cluster: Cluster } | { unreachable: ClusterError }> {
  let cluster: Cluster | undefined;
  try {
    cluster = await connectCluster(context, command);
    if (dryRun) await cluster.version();
    return { cluster };
  } catch (error) {
    cluster?.close();
    const { KubeApiError } = await import("../../kube/index.js");
    if (!dryRun || !(error instanceof ClusterError) || error instanceof KubeApiError) throw error;
    return { unreachable: error };
  }
}

/** A declined prompt ends like `mesh install`'s: "Cancelled." and exit 1; anything else propagates. */
function reportCancelled(error: unknown, context: CliContext): void {
  if (!(error instanceof Error) || error.name !== "CancelledError") throw error;
  context.io.stderr.write("Cancelled.\n");
  context.exitCode = 1;
}

async function runUninstall(cluster: Cluster, flags: UninstallFlags, context: CliContext, command: Command): Promise<void> {
  const { planGatewayApiUninstall, uninstallGatewayApi, CancelledError } = await import("../../kube/gateway-api.js");
  const plan = await planGatewayApiUninstall(cluster);
  const targets = [
    ...plan.policies.map((policy) => `${policy.kind} ${policy.name}`),
    ...plan.crds.map((crd) => {
      const count = plan.objectCounts.get(crd.name);
      const objects = count === undefined ? "" : ` (${count} ${crd.kind}${count === 1 ? "" : " objects"})`;
      return `CustomResourceDefinition ${crd.name}${objects}`;
    }),
  ];
  if (plan.foreign.length > 0) {
    context.io.stderr.write(
      `Warning: keeping ${plan.foreign.length} CRD(s) in a Gateway API group that no Gateway API release bundle installed ` +
        `(bundle-version/channel annotations missing or unknown); another tool or your platform may manage them:\n` +
        plan.foreign.map((crd) => `  CustomResourceDefinition ${crd.name}\n`).join(""),
    );
  }
  if (targets.length === 0) {
    context.io.stderr.write("No Gateway API CRDs from a release bundle are installed; nothing to delete.\n");
    return;
  }
  const list = targets.map((target) => `  ${target}\n`).join("");
  const json = outputFormat(context, command) === "json";
  const printJson = async () => {
    const { toJson } = await import("../../core/documents/write.js");
    context.io.stdout.write(toJson({ dryRun: flags.dryRun === true, objects: targets }));
  };
  if (flags.dryRun) {
    if (json) await printJson();
    else context.io.stdout.write(`Would delete:\n${list}`);
    return;
  }
  if (!flags.skipConfirmation) {
    const { confirm } = await import("../prompt.js");
    context.io.stderr.write(
      "Deleting the Gateway API CRDs deletes every Gateway, HTTPRoute and other Gateway API resource in the cluster.\n" +
        `These will be deleted:\n${list}`,
    );
    if (!(await confirm(context, "Proceed?", "delete the Gateway API CRDs"))) throw new CancelledError();
  }
  await uninstallGatewayApi(cluster, plan, progressPrinter(context.io, context.globals(command).quiet));
  if (json) await printJson();
}

/**
 * `mesh install --with-gateway-api`: the default Gateway API bundle (or $MESH_GATEWAY_API_BASE_URL's), under the same
 * rules as `gateway-api install`, before Istio; install has already asked for confirmation.
 */
export async function ensureGatewayApiBeforeIstio(
  cluster: Cluster,
  context: CliContext,
  command: Command,
  options: { dryRun: boolean; timeoutMs: number },
): Promise<void> {
  const { ensureGatewayApiCrds } = await import("../../kube/gateway-api.js");
  await ensureGatewayApiCrds(cluster, { ...options, env: context.io.env }, progressPrinter(context.io, context.globals(command).quiet));
}

function formatStatus(status: import("../../kube/gateway-api.js").GatewayApiStatus): string {
  const header = ["CRD", "INSTALLED", "BUNDLE-VERSION", "CHANNEL", "SERVED", "STORED", "ESTABLISHED"];
  const rows = status.crds.map((crd) => [
    crd.name,
    crd.installed ? "yes" : "no",
    crd.installed ? (crd.bundleVersion ?? "none") : "-",
    crd.installed ? (crd.channel ?? "none") : "-",
    crd.servedVersions.join(",") || "-",
    crd.storedVersions.join(",") || "-",
    crd.installed ? (crd.established ? "True" : "False") : "-",
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd();
  const installed = status.crds.filter((crd) => crd.installed).length;
  const summary =
    installed === 0
      ? "Gateway API is not installed."
      : `Gateway API ${status.bundles.join(", ")}: ${installed} CRDs installed` +
        (status.safeUpgradesPolicy ? ", safe-upgrades policy present" : "") +
        ".";
  const problems = status.problems.map((problem) => `Problem: ${problem}\n`).join("");
  return `${[line(header), ...rows.map(line)].join("\n")}\n\n${summary}\n${problems}`;
}

function progressPrinter(io: CliIo, quiet: boolean): GatewayApiProgress {
  return ({ kind, message }) => {
    if (kind === "warning") io.stderr.write(`Warning: ${message}\n`);
    else if (quiet) return;
    else if (kind === "done") io.stderr.write(`✔ ${message}\n`);
    else if (kind === "note") io.stderr.write(`  ${message}\n`);
    else io.stderr.write(`- ${message}\n`);
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
