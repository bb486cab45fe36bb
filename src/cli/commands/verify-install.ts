import type { Command } from "commander";
import { FindingsError } from "../../core/errors.js";
import type { CliContext } from "../context.js";
import { requestTimeoutOption, timeoutOption } from "../options.js";
import { outputFormat } from "../output.js";
import { clusterAccess, withinTimeout } from "../cluster-access.js";
import { renderPlan } from "../plan.js";
import { collect } from "../options.js";

interface VerifyFlags {
  set: string[];
  filename: string[];
  revision?: string;
  force?: boolean;
  requestTimeout: string;
  timeout?: string;
}

export function register(program: Command, context: CliContext): void {
  program
    .command("verify-install")
    .description("Compare what the profile renders with the cluster: missing, drifted and not-ready objects")
    .option("-s, --set <path=value>", "set an IstioOperator field, as given to install (repeatable)", collect, [])
    .option("-f, --filename <file>", "IstioOperator overlay file, as given to install (repeatable)", collect, [])
    .option("-r, --revision <revision>", "control plane revision")
    .option("--force", "render even if the IstioOperator fails validation")
    .addOption(requestTimeoutOption())
    .addOption(timeoutOption())
    .addHelpText("after", "\nOutput: a table, or -o json. Exit codes: 0 healthy, 1 not healthy, 2 usage or input error, 3 cluster error.")
    .action((flags: VerifyFlags, command: Command) => withinTimeout(flags.timeout, () => runVerify(flags, command, context)));
}

async function runVerify(flags: VerifyFlags, command: Command, context: CliContext): Promise<void> {
  const output = outputFormat(context, command);
  const access = await clusterAccess(context, command, flags.requestTimeout);
  const { plan } = await renderPlan(flags, context, command);
  const kube = await import("../../kube/index.js");
  const cluster = await kube.connectCluster(access);
  let entries;
  try {
    entries = await kube.verifyPlan(cluster, plan);
  } finally {
    cluster.close();
  }
  const unhealthy = entries.filter((entry) => entry.state !== "ok");
  if (output === "json") {
    const { toJson } = await import("../../core/documents/write.js");
    context.io.stdout.write(toJson({ healthy: unhealthy.length === 0, objects: entries }));
  } else {
    const { formatTable } = await import("../../kube/report.js");
    const rows = entries.map((entry) => [
      entry.component,
      entry.kind,
      entry.name,
      entry.namespace ?? "",
      entry.state === "ok" ? "✔ ok" : `✘ ${entry.state}`,
      entry.detail ?? "",
    ]);
    context.io.stdout.write(formatTable(["COMPONENT", "KIND", "NAME", "NAMESPACE", "STATUS", "DETAIL"], rows));
    const count = (kind: string) => entries.filter((entry) => entry.kind === kind).length;
    context.io.stdout.write(
      `Checked ${count("CustomResourceDefinition")} custom resource definitions\nChecked ${count("Deployment")} Istio Deployments\n`,
    );
    context.io.stdout.write(
      unhealthy.length === 0
        ? "✔ Istio is installed and verified successfully\n"
        : `✘ ${unhealthy.length} of ${entries.length} objects are missing, drifted or not ready\n`,
    );
  }
  if (unhealthy.length > 0)
    throw new FindingsError(`Istio is not healthy: ${summarize(unhealthy.map((entry) => entry.state))}`, {
      hint: "mesh install with the same flags re-applies missing and drifted objects",
    });
}

function summarize(states: string[]): string {
  const counts = new Map<string, number>();
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, count]) => `${count} ${state}`).join(", ");
}
