import { withinTimeout } from "../cluster-access.js";
import type { Command } from "commander";
import { FindingsError } from "../../core/errors.js";
import type { CliContext } from "../context.js";
import { clusterAccess } from "../cluster-access.js";
import { installOptions, runInstall, type InstallFlags } from "./install.js";

export function register(program: Command, context: CliContext): void {
  installOptions(
    program
      .command("upgrade")
      .description(
        "Install over an existing control plane, with upgrade checks: one minor version at a time, proxies left on older versions",
      ),
  )
    .addHelpText(
      "after",
      "\nRefuses to skip a minor version of the control plane (1.28 → 1.30) or to downgrade unless --force; warns about data-plane proxies\nrunning older versions (restart their workloads afterwards). Exit codes as install; 1 also when the upgrade is refused.",
    )
    .action((flags: InstallFlags, command: Command) => withinTimeout(flags.timeout, () => runUpgrade(flags, command, context)));
}

async function runUpgrade(flags: InstallFlags, command: Command, context: CliContext): Promise<void> {
  const { renderPlan } = await import("../plan.js");
  const { plan, version } = await renderPlan(flags, context, command);
  const access = await clusterAccess(context, command, flags.requestTimeout);
  const kube = await import("../../kube/index.js");
  const { readUpgradeState, minorSteps, compareIstioVersions } = await import("../../kube/upgrade.js");
  const cluster = await kube.connectCluster(access);
  let state;
  try {
    state = await readUpgradeState(cluster, plan.namespace, plan.revision);
  } finally {
    cluster.close();
  }
  const from = state.controlPlaneVersion;
  if (!from)
    throw new FindingsError(`no Istio control plane of revision "${plan.revision}" in namespace ${plan.namespace} to upgrade`, {
      hint: "install it with mesh install, or name the installed revision with --revision",
    });
  const steps = minorSteps(from, version);
  if ((steps > 1 || steps < 0) && !flags.force)
    throw new FindingsError(
      steps < 0
        ? `refusing to downgrade the control plane from ${from} to ${version}`
        : `refusing to upgrade the control plane from ${from} to ${version}: Istio supports upgrading one minor version at a time`,
      {
        hint:
          steps < 0
            ? "pass --force to downgrade anyway"
            : `upgrade through each minor version in turn, or install ${version} as a canary revision (--revision) and move workloads; --force skips this check`,
      },
    );
  const older = state.proxies.filter((proxy) => compareIstioVersions(proxy.version, version) < 0);
  if (older.length > 0 && !context.globals(command).quiet) {
    const versions = [...new Set(older.map((proxy) => proxy.version))].sort().join(", ");
    const pods = older.slice(0, 5).map((proxy) => `${proxy.namespace}/${proxy.pod}`);
    context.io.stderr.write(
      `Warning: ${older.length} data-plane proxies run older Istio versions (${versions}): ${pods.join(", ")}${older.length > 5 ? ", …" : ""}.\n         Restart their workloads after the upgrade (kubectl rollout restart) so that they get ${version} proxies.\n`,
    );
  }
  if (from !== version) context.io.stderr.write(`Upgrading the control plane from ${from} to ${version}.\n`);
  await runInstall(flags, command, context);
}
